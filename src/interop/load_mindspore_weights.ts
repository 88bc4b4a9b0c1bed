import {cast, Tensor, tidy, transpose} from '@tensorflow/tfjs-core';
import {LayersModel, LayerVariable} from '@tensorflow/tfjs-layers';

import {assertArg} from '../util/validation';

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

// MindSpore parameter name -> this package's / tfjs's weight name. BatchNorm and
// InstanceNorm write their moving statistics as 'mean'/'variance' in checkpoints.
const PARAM_ALIASES: Record<string, string> = {
  gamma: 'gamma',
  beta: 'beta',
  moving_mean: 'moving_mean',
  mean: 'moving_mean',
  moving_variance: 'moving_variance',
  variance: 'moving_variance',
  weight: 'kernel',
  bias: 'bias',
};

// MindSpore keeps kernels as [out, in, ...spatial] (Dense: [out, in]); tfjs as
// [...spatial, in, out]. Permutation from MindSpore's layout to tfjs's, by layer class.
const KERNEL_LAYOUTS: Record<string, {perm: number[], layout: string}> = {
  Dense: {perm: [1, 0], layout: '[out, in]'},
  Conv2D: {perm: [2, 3, 1, 0], layout: '[out, in, kh, kw]'},
  Conv3D: {perm: [2, 3, 4, 1, 0], layout: '[out, in, kd, kh, kw]'},
};

interface Assignment {
  tag: string;
  variable: LayerVariable;
  perm?: number[];
}

/**
 * Writes a MindSpore checkpoint's parameters (as read by
 * `readMindSporeCheckpoint`) into a model's weights. By default the tag
 * `<cell>.<param>` goes to the layer named `<cell>` and its weight `<param>`,
 * where 'mean'/'variance' (MindSpore's checkpoint names for BatchNorm's
 * moving statistics) mean moving_mean/moving_variance and 'weight' means
 * 'kernel'. A layer with a weight of the parameter's own name takes it as is:
 * RMSNorm's 'weight' and the mint layers' 'weight', 'bias', 'running_mean',
 * 'running_var' and 'num_batches_tracked'. A Dense/Conv2D/Conv3D kernel is transposed from MindSpore's
 * [out, in, ...] layout to tfjs's [..., in, out].
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
  assertArg(options != null && typeof options === 'object', OP, 'options', 'an object', options);
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
    const previous = taken.get(variable);
    if (previous != null) {
      throw new Error(`${OP}: checkpoint tensors '${previous}' and '${tag}' both map to weight ` +
                      `'${variable.originalName}'.`);
    }
    taken.set(variable, tag);
    const kernel = variable === findWeight(layer, 'kernel') && tag.endsWith('.weight') ?
        KERNEL_LAYOUTS[layer.getClassName()] : undefined;
    checkAssignment(tag, value, variable, kernel);
    assignments.push({tag, variable, perm: kernel?.perm});
  }

  const byTag = new Map(entries);
  tidy(() => {
    for (const {tag, variable, perm} of assignments) {
      let value = byTag.get(tag)!;
      if (value.dtype !== variable.dtype) {
        value = cast(value, variable.dtype);
      }
      variable.write(perm == null ? value : transpose(value, perm));
    }
  });
  const assignedVars = new Set(assignments.map(a => a.variable));
  const unmatchedWeights = layers.flatMap(l => l.weights)
                               .filter(w => !assignedVars.has(w))
                               .map(w => w.originalName);
  return {assigned: assignments.map(a => a.tag), unmatchedCheckpoint, unmatchedWeights};
}

/** The model's layers, with nested models' layers in place of the nested model. */
function flattenLayers(model: LayersModel): Layer[] {
  return model.layers.flatMap(l => l instanceof LayersModel ? flattenLayers(l) : [l]);
}

function findWeight(layer: Layer, name: string): LayerVariable|undefined {
  return layer.weights.find(
      w => w.originalName.slice(w.originalName.lastIndexOf('/') + 1) === name);
}

/** The layer and weight a tag goes to, or null when nothing matches. */
function resolveTarget(tag: string, nameMap: NameMap|undefined, layers: Layer[]):
    {layer: Layer, variable: LayerVariable}|null {
  let name: string|null|undefined = tag;
  if (typeof nameMap === 'function') {
    name = nameMap(tag);
  } else if (nameMap != null) {
    const cell = tag.slice(0, Math.max(tag.lastIndexOf('.'), 0));
    const own = (key: string) => Object.prototype.hasOwnProperty.call(nameMap, key) ?
        nameMap[key] :
        undefined;
    const whole = own(tag);
    const cellTarget = own(cell);
    name = whole ?? (cellTarget != null ? `${cellTarget}${tag.slice(cell.length)}` : tag);
  }
  if (name == null) {
    return null;
  }
  const slash = name.lastIndexOf('/');
  const dot = name.lastIndexOf('.');
  let layerName: string;
  let weightNames: Array<string|undefined>;
  if (slash >= 0) {
    // A weight path: 'layer/weight'.
    layerName = name.slice(0, slash);
    weightNames = [name.slice(slash + 1)];
  } else if (dot >= 0) {
    layerName = name.slice(0, dot);
    // A weight of the parameter's own name first (RMSNorm's and the mint
    // layers' 'weight', 'running_mean', ...), then MindSpore nn's aliases.
    const param = name.slice(dot + 1);
    weightNames = [param, PARAM_ALIASES[param]];
  } else {
    return null;
  }
  const layer = layers.find(l => l.name === layerName);
  const variable = layer == null ? undefined :
      weightNames.map(w => (w == null ? undefined : findWeight(layer, w))).find(v => v != null);
  return variable == null ? null : {layer: layer!, variable};
}

function checkAssignment(
    tag: string, value: Tensor, variable: LayerVariable,
    kernel?: {perm: number[], layout: string}): void {
  if (value.dtype === 'string' || value.dtype === 'complex64') {
    throw new Error(`${OP}: checkpoint tensor '${tag}' has dtype ${value.dtype}, but weight ` +
                    `'${variable.originalName}' is numeric.`);
  }
  const given = kernel != null && value.rank === kernel.perm.length ?
      kernel.perm.map(p => value.shape[p]) :
      value.shape;
  const expected = variable.shape;
  const same = given.length === expected.length && given.every((d, i) => d === expected[i]);
  if (!same) {
    // MindSpore-layout shape g with expected[i] = g[perm[i]].
    const layout = kernel == null ? '' :
        ` (MindSpore's ${kernel.layout} layout: [${
            expected.map((_, j) => expected[kernel.perm.indexOf(j)])}] expected)`;
    throw new Error(`${OP}: checkpoint tensor '${tag}' has shape [${value.shape}], but weight ` +
                    `'${variable.originalName}' expects [${expected}]${layout}.`);
  }
}
