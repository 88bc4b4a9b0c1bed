// SPDX-License-Identifier: Apache-2.0
/**
 * What a benchmark page (webgl_page.ts, webgpu_page.ts) offers the Node side
 * (browser.ts) as `window.bench`: the same suite as the CPU run, on the
 * page's backend, with the tests' backend set-up (CPU forwarding of small
 * tensors off, so every op runs its shaders).
 */
import {selectBackend} from '../tools/backend_setup';
import {FitRow, Row} from './report';
import {runCases, runFit, SuiteOptions} from './suite';
import {Finish} from './timing';

const log = (line: string) => console.log(line);

/** `finish` blocks until the GPU has executed everything queued so far. */
export function benchPage(backend: string, finish: Finish) {
  return {
    setUp: () => selectBackend(backend),
    runCases: (opts: SuiteOptions): Promise<Row[]> => runCases(opts, backend, finish, false, log),
    runFit: (quick: boolean): Promise<FitRow[]> => runFit(backend, quick, finish, log),
  };
}

declare global {
  interface Window {
    bench: ReturnType<typeof benchPage>;
  }
}
