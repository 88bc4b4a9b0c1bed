// SPDX-License-Identifier: Apache-2.0
/**
 * Section 2: BatchNorm's moving mean and variance over training steps, one
 * line per convention, with the batch statistics as dots, and a sentence on
 * which lines coincide (computed, not asserted).
 */
import {byId, el} from '../dom';
import {formatNumber} from '../format';
import {legend, linePlot, Series} from '../svg/line_plot';

import {trainingBatches} from './batches';
import {CONVENTIONS} from './conventions';
import {momentumSeries, MomentumSeries} from './series';

function maxGap(a: Array<[number, number]>, b: Array<[number, number]>): number {
  return a.reduce((m, [, v], i) => Math.max(m, Math.abs(v - b[i][1])), 0);
}

function batchDots(): {mean: Series, variance: Series} {
  const batches = trainingBatches();
  const mean: Array<[number, number]> = [];
  const variance: Array<[number, number]> = [];
  batches.forEach((b, i) => {
    const m = b.reduce((s, v) => s + v, 0) / b.length;
    mean.push([i + 1, m]);
    variance.push([i + 1, b.reduce((s, v) => s + (v - m) ** 2, 0) / (b.length - 1)]);
  });
  const dots = {color: '#9aa0a6', dots: true};
  return {
    mean: {id: 'batch', label: 'batch mean', points: mean, ...dots},
    variance: {id: 'batch', label: 'batch variance (unbiased)', points: variance, ...dots},
  };
}

export async function setUpMomentum(): Promise<void> {
  const section = byId('momentum');
  const results = await momentumSeries(CONVENTIONS);
  const byConvention = new Map(results.map(r => [r.id, r]));
  const lines = (pick: (r: MomentumSeries) => Array<[number, number]>): Series[] =>
      CONVENTIONS.map(c => ({
        id: c.id, label: c.label, points: pick(byConvention.get(c.id)!), color: c.color,
        dash: c.dash, width: c.width,
      }));
  const dots = batchDots();
  const meanSeries = [dots.mean, ...lines(r => r.mean)];
  const varSeries = [dots.variance, ...lines(r => r.variance)];
  const top = (s: Series[]) => Math.ceil(Math.max(...s.flatMap(x => x.points.map(p => p[1]))));
  const steps = results[0].mean.length - 1;
  const plot = (id: string, title: string, yLabel: string, series: Series[]) => linePlot({
    id, title, xLabel: 'training step', yLabel, series,
    x: {domain: [0, steps]}, y: {domain: [0, top(series)]}, width: 520, height: 290,
  });
  byId('momentum-plots').replaceChildren(
      plot('momentum-mean', 'moving mean', 'moving mean', meanSeries),
      plot('momentum-variance', 'moving variance', 'moving variance', varSeries));
  byId('momentum-legend').replaceChildren(legend(meanSeries));

  const get = (id: string) => byConvention.get(id)!;
  const nnVsMint = Math.max(maxGap(get('nn-0.9').mean, get('mint-0.1').mean),
                            maxGap(get('nn-0.9').variance, get('mint-0.1').variance));
  const kerasMean = maxGap(get('nn-0.9').mean, get('keras-0.9').mean);
  const kerasVar = maxGap(get('nn-0.9').variance, get('keras-0.9').variance);
  byId('momentum-notes').replaceChildren(
      el('li', {'data-gap': String(nnVsMint), id: 'gap-nn-mint'},
         `MindSpore nn 0.9 and mint / PyTorch 0.1 are one rule spelled two ways: the lines ` +
         `coincide (largest gap ${formatNumber(nnVsMint)}).`),
      el('li', {'data-gap': String(kerasMean), id: 'gap-keras-mean'},
         `Keras / tfjs with momentum 0.9 gives the same moving mean (largest gap ` +
         `${formatNumber(kerasMean)}, float32 rounding) but a lower moving variance (largest gap ` +
         `${formatNumber(kerasVar)}): it updates with the biased batch variance, ` +
         `MindSpore's GPU kernel and PyTorch with the unbiased one.`),
      el('li', {}, 'Keras\'s default 0.99 has barely moved after ' +
         `${steps} steps; PyTorch's 0.1 pasted into MindSpore nn follows every batch.`));
  section.dataset.state = 'ready';
}
