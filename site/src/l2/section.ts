// SPDX-License-Identifier: Apache-2.0
/**
 * Section 3: the output norm of L2Normalize against the input norm (log-log),
 * with each convention's knee (where its epsilon takes over) and the seed's
 * tiny input [1e-10, 2e-10, 3e-10] marked.
 */
import {byId, el} from '../dom';
import {formatNumber} from '../format';
import {legend, linePlot, Series} from '../svg/line_plot';

import {L2Id, norm, normCurve, SEED_INPUT, seedOutput} from './series';

const STYLE: Record<L2Id, {label: string, color: string, dash?: string, width: number}> = {
  ms: {label: 'MindSpore L2Normalize: x / sqrt(max(Σx², 1e-4))', color: '#1f5fbf', width: 3},
  torch: {label: 'PyTorch F.normalize: x / max(‖x‖, 1e-12)', color: '#f28e2b', width: 2.5},
  tf: {label: 'TensorFlow l2_normalize: x / sqrt(max(Σx², 1e-12))', color: '#2a9d5c',
       dash: '6 4', width: 2},
};
const IDS: L2Id[] = ['ms', 'torch', 'tf'];

export async function setUpL2(): Promise<void> {
  const series: Series[] = [];
  for (const id of IDS) {
    series.push({id, ...STYLE[id], points: await normCurve(id)});
  }
  const seed: Record<string, number[]> = {};
  for (const id of IDS) {
    seed[id] = await seedOutput(id);
  }
  const seedNorm = norm(Float32Array.from(SEED_INPUT));
  const plot = linePlot({
    id: 'l2-plot', title: 'output norm ‖y‖ against input norm ‖x‖ (x along [1, 2, 3])',
    xLabel: 'input norm ‖x‖', yLabel: 'output norm ‖y‖', series,
    x: {domain: [1e-14, 100], log: true}, y: {domain: [1e-13, 10], log: true},
    width: 1000, height: 340,
    guides: [
      {x: 1e-2, label: '√1e-4', color: STYLE.ms.color},
      {x: 1e-6, label: '√1e-12', color: STYLE.tf.color},
      {x: 1e-12, label: '1e-12', color: STYLE.torch.color},
    ],
    marks: [
      {x: seedNorm, y: norm(seed.ms), label: `seed: MindSpore ‖y‖ = ${formatNumber(norm(seed.ms))}`,
       color: STYLE.ms.color, anchor: 'start', dy: 16},
      {x: seedNorm, y: norm(seed.torch), label: `seed: PyTorch ‖y‖ = ${formatNumber(norm(seed.torch))}`,
       color: STYLE.torch.color, anchor: 'end', dy: 20},
    ],
  });
  byId('l2-plot-box').replaceChildren(plot, legend(series));
  const values = (id: L2Id) => el('span', {class: 'seed-values', 'data-id': id,
                                           'data-values': JSON.stringify(seed[id])},
                                  `[${seed[id].map(formatNumber).join(', ')}]`);
  byId('l2-seed').replaceChildren(
      'The seed input [1e-10, 2e-10, 3e-10] (‖x‖ = ', formatNumber(seedNorm), '): MindSpore gives ',
      values('ms'), ', PyTorch ', values('torch'), ', TensorFlow ', values('tf'), '.');
  byId('l2').dataset.state = 'ready';
}
