// SPDX-License-Identifier: Apache-2.0
import {cast, squeeze, Tensor, tidy, transpose} from '@tensorflow/tfjs-core';
import {LayersModel, LayerVariable} from '@tensorflow/tfjs-layers';

import {CHANNEL_AFFINE_WEIGHTS} from '../layers/weight_names';
import {assertOptions} from '../util/option_keys';
import {ownValue} from '../util/own_value';
import {argError, assertArg} from '../util/validation';

const OP = 'loadMindSporeWeights';

type Layer = LayersModel['layers'][number];

/**
 * Where a checkpoint tag goes. A record maps a whole tag ('backbone.bn1.gamma')
 * or a cell name ('backbone.bn1') to a layer name ('bn1'), or a whole tag to a
 * weight path ('bn1/gamma', as in LayerVariable.originalName). A function
 * receives the tag and returns a tag whose cell is a layer name, a weight
 * path, or null/undefined to leave the tag out.
 */
export type NameMap = Record<string, string>|((tag: string) => string | null | undefined);

export interface LoadWeightsOptions {
  nameMap?: NameMap;
}

export interface LoadWeightsResult {
  /** Checkpoint tags whose values were written into the model. */
  assigned: string[];
  /** Checkpoint tags that match no weight of the model. */
  unmatchedCheckpoint: string[];
  /** The model's weights (originalName, 'layer/weight') that received no value. */
  unmatchedWeights: string[];
}

const W = CHANNEL_AFFINE_WEIGHTS;

// MindSpore parameter name -> this package's / tfjs's weight name. BatchNorm and
// InstanceNorm write their moving statistics as 'mean'/'variance' in checkpoints.
const PARAM_ALIASES: Record<string, string> = {
  [W.gamma]: W.gamma,
  [W.beta]: W.beta,
  [W.movingMean]: W.movingMean,
  mean: W.movingMean,
  [W.movingVariance]: W.movingVariance,
  variance: W.movingVariance,
  weight: 'kernel',
  bias: 'bias',
};

/** How a MindSpore kernel of one rank becomes tfjs's: drop a size-1 axis, then transpose. */
interface KernelLayout {
  layout: string;
  perm: number[];
  /** An axis of size 1 MindSpore adds that tfjs does not have. */
  squeeze?: number;
}

// MindSpore keeps kernels as [out, in, ...spatial] (Dense [out, in], Conv2dTranspose
// [in, out, kh, kw]); tfjs as [...spatial, in, out] (Conv2DTranspose [kh, kw, out, in]).
// MindSpore's Conv1d weight is [out, in, k]; before 2.0 it was [out, in, 1, k] (a Conv2D).
const KERNEL_LAYOUTS: Record<string, KernelLayout[]> = {
  Dense: [{layout: '[out, in]', perm: [1, 0]}],
  Conv1D: [{layout: '[out, in, k]', perm: [2, 1, 0]},
           {layout: '[out, in, 1, k]', perm: [2, 1, 0], squeeze: 2}],
  Conv2D: [{layout: '[out, in, kh, kw]', perm: [2, 3, 1, 0]}],
  Conv2DTranspose: [{layout: '[in, out, kh, kw]', perm: [2, 3, 1, 0]}],
  Conv3D: [{layout: '[out, in, kd, kh, kw]', perm: [2, 3, 4, 1, 0]}],
};

/** A layer of the model with its path: the names of the nested models holding it, then its own. */
interface PlacedLayer {
  layer: Layer;
  path: string;
}

interface Assignment {
  tag: string;
  variable: LayerVariable;
  kernel?: KernelLayout;
}

/**
 * Writes a MindSpore checkpoint's parameters (as read by
 * `readMindSporeCheckpoint`) into a model's weights. By default the tag
 * `<cell>.<param>` goes to the layer named `<cell>` and its weight `<param>`,
 * where 'mean'/'variance' (MindSpore's checkpoint names for BatchNorm's
 * moving statistics) mean moving_mean/moving_variance and 'weight' means
 * 'kernel'. A layer with a weight of the parameter's own name takes it as is:
 * RMSNorm's 'weight' and the mint layers' 'weight', 'bias', 'running_mean',
 * 'running_var' and 'num_batches_tracked'. A Dense/Conv1D/Conv2D/Conv2DTranspose/Conv3D kernel is
 * transposed from MindSpore's layout to tfjs's; a kernel of any other layer
 * class is an error. A layer name that names several layers (an outer 'bn'
 * and one inside a nested model) is an error: map such tags with `nameMap`
 * to a layer path ('backbone/bn/gamma', or '/bn/gamma' for the top level).
 *
 * Every shape is checked before anything is written: on an error the model
 * is unchanged. The checkpoint's tensors stay owned by the caller.
 */
export function loadMindSporeWeights(
    model: LayersModel, checkpoint: Map<string, Tensor>|Record<string, Tensor>,
    options: LoadWeightsOptions = {}): LoadWeightsResult {
  assertArg(model instanceof LayersModel, OP, 'model', 'a tf.LayersModel', model);
  assertArg(checkpoint != null && typeof checkpoint === 'object', OP, 'checkpoint',
      'a Map (or record) of tag -> tf.Tensor', checkpoint);
  assertOptions(OP, 'options', options, ['nameMap']);
  const {nameMap} = options;
  assertArg(nameMap == null || typeof nameMap === 'function' || typeof nameMap === 'object', OP,
      'options.nameMap', 'a record of names or a function', nameMap);
  const entries =
      checkpoint instanceof Map ? [...checkpoint.entries()] : Object.entries(checkpoint);
  const layers = flattenLayers(model);

  const assignments: Assignment[] = [];
  const unmatchedCheckpoint: string[] = [];
  const taken = new Map<LayerVariable, string>();
  for (const [tag, value] of entries) {
    assertArg(value instanceof Tensor && !value.isDisposed, OP, `checkpoint['${tag}']`,
        'a live tf.Tensor', value);
    const target = resolveTarget(tag, nameMap, layers);
    if (target == null) {
      unmatchedCheckpoint.push(tag);
      continue;
    }
    const {layer, variable} = target;
    const kernel = variable === findWeight(layer, 'kernel') ? kernelLayout(tag, value, layer) :
                                                              undefined;
    const previous = taken.get(variable);
    if (previous != null) {
      throw new Error(`${OP}: checkpoint tensors '${previous}' and '${tag}' both map to weight ` +
                      `'${variable.originalName}'.`);
    }
    taken.set(variable, tag);
    checkAssignment(tag, value, variable, kernel);
    assignments.push({tag, variable, kernel});
  }

  const byTag = new Map(entries);
  tidy(() => {
    for (const {tag, variable, kernel} of assignments) {
      let value = byTag.get(tag)!;
      if (value.dtype !== variable.dtype) {
        value = cast(value, variable.dtype);
      }
      variable.write(kernel == null ? value : transpose(squeezed(value, kernel), kernel.perm));
    }
  });
  const assignedVars = new Set(assignments.map(a => a.variable));
  const unmatchedWeights = layers.flatMap(l => l.layer.weights)
                               .filter(w => !assignedVars.has(w))
                               .map(w => w.originalName);
  return {assigned: assignments.map(a => a.tag), unmatchedCheckpoint, unmatchedWeights};
}

/** The model's layers, with nested models' layers in place of the nested model. */
function flattenLayers(model: LayersModel, prefix = ''): PlacedLayer[] {
  return model.layers.flatMap(
      l => l instanceof LayersModel ? flattenLayers(l, `${prefix}${l.name}/`) :
                                      [{layer: l, path: prefix + l.name}]);
}

/** The layout a MindSpore kernel of this rank has for the layer's class; an error if unknown. */
function kernelLayout(tag: string, value: Tensor, layer: Layer): KernelLayout {
  const className = layer.getClassName();
  const layouts = ownValue(KERNEL_LAYOUTS, className);
  if (layouts == null) {
    throw new Error(
        `${OP}: checkpoint tensor '${tag}' goes to the kernel of layer '${layer.name}', whose ` +
        `class must be one of ${Object.keys(KERNEL_LAYOUTS).join(', ')} (MindSpore layouts ` +
        `known), but got ${className}. Leave the tag out with nameMap and set that kernel ` +
        `yourself.`);
  }
  const squeezedRank = (l: KernelLayout) => l.perm.length + (l.squeeze == null ? 0 : 1);
  const layout = layouts.find(l => squeezedRank(l) === value.rank &&
                                  (l.squeeze == null || value.shape[l.squeeze] === 1));
  if (layout == null) {
    throw new Error(
        `${OP}: checkpoint tensor '${tag}' for the ${className} kernel of layer '${layer.name}' ` +
        `must have MindSpore's layout ${layouts.map(l => l.layout).join(' or ')}, but got ` +
        `shape [${value.shape}].`);
  }
  return layout;
}

function squeezed(value: Tensor, kernel: KernelLayout): Tensor {
  return kernel.squeeze == null ? value : squeeze(value, [kernel.squeeze]);
}

function findWeight(layer: Layer, name: string): LayerVariable|undefined {
  return layer.weights.find(
      w => w.originalName.slice(w.originalName.lastIndexOf('/') + 1) === name);
}

/** The layer and weight a tag goes to, or null when nothing matches. */
function resolveTarget(tag: string, nameMap: NameMap|undefined, layers: PlacedLayer[]):
    {layer: Layer, variable: LayerVariable}|null {
  const name = mappedName(tag, nameMap);
  if (name == null) {
    return null;
  }
  const slash = name.lastIndexOf('/');
  const dot = name.lastIndexOf('.');
  let layerName: string;
  let weightNames: Array<string|undefined>;
  if (slash >= 0) {
    // A weight path: 'layer/weight', where the layer may be a path ('backbone/bn', '/bn').
    layerName = name.slice(0, slash);
    weightNames = [name.slice(slash + 1)];
  } else if (dot >= 0) {
    layerName = name.slice(0, dot);
    // A weight of the parameter's own name first (RMSNorm's and the mint
    // layers' 'weight', 'running_mean', ...), then MindSpore nn's aliases.
    const param = name.slice(dot + 1);
    weightNames = [param, ownValue(PARAM_ALIASES, param)];
  } else {
    return null;
  }
  const layer = findLayer(tag, layerName, layers);
  const variable = layer == null ? undefined :
      weightNames.map(w => (w == null ? undefined : findWeight(layer, w))).find(v => v != null);
  return variable == null ? null : {layer: layer!, variable};
}

/** The name nameMap gives a tag (the tag itself without a nameMap), or null to leave it out. */
function mappedName(tag: string, nameMap: NameMap|undefined): string|null {
  if (nameMap == null) {
    return tag;
  }
  if (typeof nameMap === 'function') {
    const name = nameMap(tag);
    if (name != null && typeof name !== 'string') {
      throw argError(OP, 'options.nameMap', `a function returning a string, null or ` +
                     `undefined (for tag '${tag}')`, name);
    }
    return name ?? null;
  }
  const cell = tag.slice(0, Math.max(tag.lastIndexOf('.'), 0));
  const own = (key: string) => {
    if (!Object.prototype.hasOwnProperty.call(nameMap, key)) {
      return undefined;
    }
    const value = nameMap[key];
    if (typeof value !== 'string') {
      throw argError(OP, `options.nameMap['${key}']`, 'a string', value);
    }
    return value;
  };
  const whole = own(tag);
  const cellTarget = own(cell);
  return whole ?? (cellTarget != null ? `${cellTarget}${tag.slice(cell.length)}` : tag);
}

/**
 * The layer a name means: a path ('backbone/bn', '/bn' for the top level)
 * names one layer; a plain name must be unique among all the nested layers.
 */
function findLayer(tag: string, layerName: string, layers: PlacedLayer[]): Layer|undefined {
  if (layerName.includes('/')) {
    const path = layerName.startsWith('/') ? layerName.slice(1) : layerName;
    return layers.find(l => l.path === path)?.layer;
  }
  const named = layers.filter(l => l.layer.name === layerName);
  if (named.length > 1) {
    const paths = named.map(l => `'${l.path}'`).join(', ');
    throw new Error(
        `${OP}: checkpoint tensor '${tag}' goes to layer name '${layerName}', which must name ` +
        `one layer, but it names ${named.length}: ${paths}. Map the tag with options.nameMap ` +
        `to a layer path ('${named[named.length - 1].path}/<weight>', or '/<path>/<weight>' ` +
        `from the top level).`);
  }
  return named[0]?.layer;
}

function checkAssignment(
    tag: string, value: Tensor, variable: LayerVariable, kernel?: KernelLayout): void {
  if (value.dtype === 'string' || value.dtype === 'complex64') {
    throw new Error(`${OP}: checkpoint tensor '${tag}' has dtype ${value.dtype}, but weight ` +
                    `'${variable.originalName}' is numeric.`);
  }
  const shape = kernel?.squeeze == null ? value.shape :
                                          value.shape.filter((_, i) => i !== kernel.squeeze);
  const given = kernel != null ? kernel.perm.map(p => shape[p]) : shape;
  const expected = variable.shape;
  const same = given.length === expected.length && given.every((d, i) => d === expected[i]);
  if (!same) {
    // MindSpore-layout shape g with expected[i] = g[perm[i]].
    const layout = kernel == null ? '' :
        ` (MindSpore's ${kernel.layout} layout: [${
            msShape(expected as number[], kernel)}] expected)`;
    throw new Error(`${OP}: checkpoint tensor '${tag}' has shape [${value.shape}], but weight ` +
                    `'${variable.originalName}' expects [${expected}]${layout}.`);
  }
}

/** The MindSpore-layout shape that becomes tfjs's `shape`. */
function msShape(shape: number[], kernel: KernelLayout): number[] {
  const ms = shape.map((_, j) => shape[kernel.perm.indexOf(j)]);
  if (kernel.squeeze != null) {
    ms.splice(kernel.squeeze, 0, 1);
  }
  return ms;
}
