// SPDX-License-Identifier: Apache-2.0
/** Node-side checks that a model trained with fit() on a backend matches the same training on cpu. */
import type {TrainResult} from '../test_util';

import type {BackendUnderTest, PageHarness} from './backend_under_test';

/** A training run in the harness (Node or page), e.g. through h.refs.fitAndRead. */
export type Training = (h: PageHarness, backendName: string) => Promise<TrainResult>;

export function expectNear(actual: number[], expected: number[], what: string): void {
  expect({what, length: actual.length}).toEqual({what, length: expected.length});
  actual.forEach((a, i) => {
    const tol = 1e-4 + 1e-3 * Math.abs(expected[i]);
    if (!(Math.abs(a - expected[i]) <= tol)) {
      throw new Error(`${what}[${i}]: ${a} vs cpu ${expected[i]} (tol ${tol})`);
    }
  });
}

/**
 * Same backends as asked, no leak, and the same losses, weights (in model
 * order, by weight name: layer names carry a per-model counter) and
 * predictions as on cpu. Returns the cpu weights for further checks.
 */
export function expectSameTraining(cpu: TrainResult, other: TrainResult, backend: string):
    Array<[string, number[]]> {
  expect([cpu.backend, other.backend]).toEqual(['cpu', backend]);
  expect([cpu.leaked, other.leaked]).toEqual([0, 0]);
  expectNear(other.losses, cpu.losses, 'loss');
  const cpuWeights = Object.entries(cpu.weights);
  const otherWeights = Object.entries(other.weights);
  const shortName = (n: string) => n.split('/').pop();
  expect(otherWeights.map(([n]) => shortName(n))).toEqual(cpuWeights.map(([n]) => shortName(n)));
  cpuWeights.forEach(([name, values], i) => expectNear(otherWeights[i][1], values, name));
  expectNear(other.prediction, cpu.prediction, 'prediction');
  return cpuWeights;
}

/**
 * Runs `training` on cpu and on b's backend, both where b runs (Node or its
 * page), asserts that they trained alike and returns the cpu weights.
 */
export async function expectTrainsAsOnCpu(b: BackendUnderTest, training: Training):
    Promise<Array<[string, number[]]>> {
  const cpu = await b.evaluate(training, 'cpu');
  return expectSameTraining(cpu, await b.evaluate(training, b.backend), b.backend);
}
