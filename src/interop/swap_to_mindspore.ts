// SPDX-License-Identifier: Apache-2.0
import {ones, serialization, Tensor, tidy, zeros} from '@tensorflow/tfjs-core';
import {LayersModel, Sequential} from '@tensorflow/tfjs-layers';

// (The classes a swap creates are registered for deserialization by swap_rules' imports of them.)
import {isMsLayer} from '../layers/ms_layer';
import {AFFINE_WEIGHTS} from '../layers/weight_names';
import {assertOptions} from '../util/option_keys';
import {ownValue} from '../util/own_value';
import {assertArg, assertOneOf, assertPositive} from '../util/validation';
import {RuleResult, SWAP_RULES, SwapOptions} from './swap_rules';

export type {SwapOptions};

const OP = 'swapToMindSpore';

type Layer = LayersModel['layers'][number];
type Shape = Array<number|null>;

export interface SwapReplacement {
  /** The layer's name (kept in the new model). */
  name: string;
  /** tfjs class name, e.g. 'BatchNormalization'. */
  from: string;
  /** This package's class name, e.g. 'BatchNorm2d'. */
  to: string;
  /** What changed in behaviour or configuration, in words. */
  notes: string[];
}

export interface SwapSkip {
  name: string;
  className: string;
  reason: string;
}

export interface SwapResult {
  /**
   * A new model; the original is left untouched. It is not compiled (compile
   * it before fit(): an optimizer's state belongs to the original's weights).
   * Its layers of this package are in the original's setTrain mode.
   */
  model: LayersModel;
  replaced: SwapReplacement[];
  /** Normalization layers that could not be replaced, and why (they stay as they were). */
  skipped: SwapSkip[];
}

/**
 * Rebuilds a tfjs LayersModel (Sequential or functional) with every stock
 * `BatchNormalization` replaced by BatchNorm1d/2d/3d and every
 * `LayerNormalization` by LayerNorm, carrying all weights over. Inference
 * outputs are unchanged (same epsilon unless `options.epsilon`); training
 * differs where MindSpore does (see each replacement's notes). The new model
 * shares no state with the original: later training of one leaves the other
 * alone. The setTrain mode carries over: each layer of this package keeps its
 * own, and the replacements take the mode the original's layers of this
 * package share (inference, MindSpore's default, when they have none or
 * differ).
 */
export function swapToMindSpore(model: LayersModel, options: SwapOptions = {}): SwapResult {
  assertArg(model instanceof LayersModel, OP, 'model', 'a tf.LayersModel', model);
  assertOptions(OP, 'options', options, ['epsilon', 'varianceUpdate']);
  if (options.epsilon !== undefined) {
    assertPositive(OP, 'options.epsilon', options.epsilon);
  }
  if (options.varianceUpdate !== undefined) {
    assertOneOf(OP, 'options.varianceUpdate', options.varianceUpdate, ['unbiased', 'biased']);
  }
  assertArg(model.outputs != null && model.outputs.length > 0, OP, 'model',
      'a model with known input shapes', model.name);

  // A deep copy, so rewriting it leaves the original model's config objects alone.
  const config = JSON.parse(JSON.stringify(model.getConfig())) as serialization.ConfigDict;
  const replaced: SwapReplacement[] = [];
  const skipped: SwapSkip[] = [];
  const replacedPaths = new Set<string>();
  rewriteLayers(model, config, options, '', {replaced, skipped, replacedPaths});

  const cls = model instanceof Sequential ? Sequential : LayersModel;
  const swapped = cls.fromConfig(
      cls as unknown as serialization.SerializableConstructor<LayersModel>, config);
  copyModelWeights(model, swapped, '', replacedPaths);
  carryTrainMode(model, swapped);
  return {model: swapped, replaced, skipped};
}

interface Report {
  replaced: SwapReplacement[];
  skipped: SwapSkip[];
  /** 'outer/inner' paths of the replaced layers, for the weight copy. */
  replacedPaths: Set<string>;
}

/** Rewrites a (nested) model's layer configs in place, recursing into nested models. */
function rewriteLayers(
    container: LayersModel, config: serialization.ConfigDict, options: SwapOptions,
    prefix: string, report: Report): void {
  for (const entry of config['layers'] as serialization.ConfigDict[]) {
    const className = entry['className'] as string;
    const layerConfig = entry['config'] as serialization.ConfigDict;
    const name = layerConfig['name'] as string;
    const layer = container.getLayer(name);
    if (layer instanceof LayersModel) {
      rewriteLayers(layer, layerConfig, options, `${prefix}${name}/`, report);
      continue;
    }
    const rule = ownValue(SWAP_RULES, className);
    if (rule == null) {
      continue;
    }
    const shape = inputShapeOf(layer);
    const result: RuleResult = typeof shape === 'string' ? {skip: shape} :
                                                           rule(layerConfig, shape, options);
    if ('skip' in result) {
      report.skipped.push({name, className, reason: result.skip});
      continue;
    }
    entry['className'] = result.className;
    entry['config'] = result.config;
    report.replaced.push({name, from: className, to: result.className, notes: result.notes});
    report.replacedPaths.add(prefix + name);
  }
}

function copyModelWeights(
    from: LayersModel, to: LayersModel, prefix: string, replacedPaths: Set<string>): void {
  for (const layer of from.layers) {
    const target = to.getLayer(layer.name);
    if (layer instanceof LayersModel) {
      copyModelWeights(layer, target as LayersModel, `${prefix}${layer.name}/`, replacedPaths);
    } else {
      copyWeights(layer, target, replacedPaths.has(prefix + layer.name));
    }
  }
}

/** The layers of a model and of its nested models, in order. */
function allLayers(model: LayersModel): Layer[] {
  return model.layers.flatMap(l => l instanceof LayersModel ? allLayers(l) : [l]);
}

/**
 * setTrain state from `from` to `to` (whose layers are in the same order):
 * a layer of this package keeps its mode; a replacement takes the mode
 * all of from's layers of this package share, if they share one.
 */
function carryTrainMode(from: LayersModel, to: LayersModel): void {
  const before = allLayers(from);
  const modes = new Set(before.filter(isMsLayer).map(l => l.trainingMode));
  const shared = modes.size === 1 ? [...modes][0] : false;
  allLayers(to).forEach((layer, i) => {
    if (isMsLayer(layer)) {
      const old = before[i];
      layer.setTrain(isMsLayer(old) ? old.trainingMode : shared);
    }
  });
}

/** The layer's single input shape, or why it has none. */
function inputShapeOf(layer: Layer): Shape|string {
  const all = layer.inboundNodes.map(node => JSON.stringify(node.inputShapes));
  if (all.length === 0) {
    return 'the layer has no input (it was never applied).';
  }
  if (new Set(all).size !== 1) {
    return 'the layer is applied to inputs of different shapes.';
  }
  // One input's shape, possibly wrapped in a one-element list.
  const shapes0 = layer.inboundNodes[0].inputShapes;
  const list = (Array.isArray(shapes0[0]) ? shapes0 : [shapes0]) as Shape[];
  if (list.length !== 1) {
    return 'the layer takes several inputs.';
  }
  return list[0];
}

/**
 * Copies weights old -> new. A replaced layer's weights are matched by their
 * own names (gamma, beta, moving_mean, moving_variance); a weight the tfjs
 * layer did not have (gamma with scale: false, beta with center: false) is
 * set to the value tfjs used in its place (1, 0).
 */
function copyWeights(from: Layer, to: Layer, renamed: boolean): void {
  tidy(() => {
    if (!renamed) {
      to.setWeights(from.getWeights());
      return;
    }
    const byName = new Map<string, Tensor>();
    from.weights.forEach((w, i) => byName.set(shortName(w.originalName), from.getWeights()[i]));
    to.setWeights(to.weights.map(w => {
      const name = shortName(w.originalName);
      const value = byName.get(name);
      if (value != null) {
        return value;
      }
      if (name === AFFINE_WEIGHTS.gamma) {
        return ones(w.shape as number[]);
      }
      if (name === AFFINE_WEIGHTS.beta) {
        return zeros(w.shape as number[]);
      }
      throw new Error(`${OP}: layer '${from.name}' has no weight '${name}' to carry over.`);
    }));
  });
}

function shortName(weightName: string): string {
  return weightName.slice(weightName.lastIndexOf('/') + 1);
}
