// SPDX-License-Identifier: Apache-2.0
/**
 * Initializers for the layers' weights, accepting MindSpore's names
 * ('ones', 'zeros', 'normal', 'uniform', 'truncatedNormal', 'xavier_uniform',
 * 'he_uniform', 'he_normal'), tfjs's names and objects, a number (constant),
 * or the values themselves (an array or tensor of the weight's shape).
 * The identifier is kept in a JSON-friendly form for getConfig().
 */
import {DataType, serialization, Tensor, tensor, util} from '@tensorflow/tfjs-core';
import {initializers} from '@tensorflow/tfjs-layers';

import {ownValue} from '../util/own_value';
import {argError, describe, disposedError} from '../util/validation';

type TfInitializer = ReturnType<typeof initializers.ones>;

/**
 * The initializer names the layers know: MindSpore's (mindspore.common.initializer)
 * and tfjs's, in the spellings either writes. Matching ignores case and
 * underscores at run time (model.json may hold other spellings).
 */
export type InitializerName = 'zeros'|'ones'|'zero'|'one'|'normal'|'uniform'|'truncatedNormal'|
    'truncated_normal'|'xavier_uniform'|'xavier_normal'|'he_uniform'|'he_normal'|'glorotUniform'|
    'glorot_uniform'|'glorotNormal'|'glorot_normal'|'leCunNormal'|'lecun_normal'|'leCunUniform'|
    'lecun_uniform'|'randomNormal'|'random_normal'|'randomUniform'|'random_uniform';

/** What a user may pass as an initializer. */
export type InitializerIdentifier =
    InitializerName|number|number[]|Float32Array|Tensor|TfInitializer|serialization.ConfigDict;

/** The serializable form kept in a layer config. */
export type InitializerConfig = string|number|number[]|serialization.ConfigDict;

// MindSpore's defaults: Normal(sigma=0.01), Uniform(scale=0.07), TruncatedNormal(sigma=0.01)
// (mindspore.common.initializer). Each entry: canonical name, factory.
const known: Array<[string, () => TfInitializer]> = [
  ['zeros', () => initializers.zeros()],
  ['ones', () => initializers.ones()],
  ['normal', () => initializers.randomNormal({mean: 0, stddev: 0.01})],
  ['uniform', () => initializers.randomUniform({minval: -0.07, maxval: 0.07})],
  ['truncatedNormal', () => initializers.truncatedNormal({mean: 0, stddev: 0.01})],
  ['xavier_uniform', () => initializers.glorotUniform({})],
  ['xavier_normal', () => initializers.glorotNormal({})],
  ['he_uniform', () => initializers.heUniform({})],
  ['he_normal', () => initializers.heNormal({})],
  ['glorotUniform', () => initializers.glorotUniform({})],
  ['glorotNormal', () => initializers.glorotNormal({})],
  ['leCunNormal', () => initializers.leCunNormal({})],
  ['leCunUniform', () => initializers.leCunUniform({})],
  ['randomNormal', () => initializers.randomNormal({})],
  ['randomUniform', () => initializers.randomUniform({})],
];
const aliases: {[key: string]: string} = {'zero': 'zeros', 'one': 'ones'};

/**
 * Names match ignoring case and underscores: MindSpore writes 'he_uniform',
 * and tfjs-layers turns saved snake_case strings into camelCase on load.
 */
function lookup(name: string): [string, () => TfInitializer]|undefined {
  const key = (s: string) => s.toLowerCase().replace(/_/g, '');
  const wanted = ownValue(aliases, key(name)) ?? key(name);
  return known.find(([canonical]) => key(canonical) === wanted);
}

/** Fills a weight with given values (MindSpore's Tensor-as-initializer). */
class ValuesInitializer {
  constructor(private readonly values: number[]) {}

  apply(shape: number[], dtype?: DataType): Tensor {
    if (util.sizeFromShape(shape) !== this.values.length) {
      throw new Error(
          `Initializer values have ${this.values.length} elements, but the weight has shape ` +
          `[${shape}].`);
    }
    return tensor(this.values, shape, dtype ?? 'float32');
  }

  getClassName(): string {
    return 'MsValues';
  }

  getConfig(): serialization.ConfigDict {
    return {values: this.values};
  }
}

// tfjs-layers does not export its Initializer base class; every built-in
// initializer derives from it, so it is the parent of Zeros's constructor.
const InitializerBase =
    Object.getPrototypeOf(initializers.zeros().constructor) as abstract new () => TfInitializer;

/** True when `config` holds only finite numbers (JSON writes NaN and Infinity as null). */
function allFinite(config: unknown): boolean {
  if (typeof config === 'number') {
    return Number.isFinite(config);
  }
  if (config != null && typeof config === 'object') {
    return Object.values(config).every(allFinite);
  }
  return true;
}

function isTfInitializer(v: unknown): v is TfInitializer {
  return v != null && typeof v === 'object' &&
      typeof (v as TfInitializer).apply === 'function' &&
      typeof (v as TfInitializer).getClassName === 'function';
}

/**
 * Resolves an identifier into an initializer plus its serializable form.
 * `size` (the weight's element count) checks explicit values early, so a bad
 * config fails at construction.
 */
export function resolveInitializer(
    id: InitializerIdentifier|InitializerConfig, owner: string, arg: string,
    size: number): {initializer: TfInitializer, config: InitializerConfig} {
  const expected = 'an initializer name (e.g. \'ones\', \'zeros\', \'normal\'), a number, ' +
      `an initializer object, or ${size} values`;
  if (typeof id === 'string') {
    const entry = lookup(id);
    if (entry == null) {
      throw argError(
          owner, arg, `${expected}; known names: ${known.map(([n]) => n).join(', ')}`, id);
    }
    return {initializer: entry[1](), config: entry[0]};
  }
  if (typeof id === 'number') {
    if (!Number.isFinite(id)) {
      throw argError(owner, arg, 'a finite number when given as a constant', id);
    }
    return {initializer: initializers.constant({value: id}), config: id};
  }
  if (id instanceof Tensor || Array.isArray(id) || id instanceof Float32Array) {
    if (id instanceof Tensor && id.isDisposed) {
      throw disposedError(owner, arg, id);
    }
    const values = id instanceof Tensor ? Array.from(id.dataSync()) : Array.from(id as number[]);
    const ok = values.length === size && values.every(v => typeof v === 'number');
    if (!ok) {
      throw argError(owner, arg, `${size} numbers (one per channel)`, id instanceof Tensor ? id : values);
    }
    if (!values.every(Number.isFinite)) {
      throw argError(owner, arg, `${size} finite numbers`, values);
    }
    return {initializer: new ValuesInitializer(values) as unknown as TfInitializer, config: values};
  }
  if (isTfInitializer(id)) {
    const config = id.getConfig();
    if (!allFinite(config)) {
      throw argError(owner, arg, 'an initializer whose settings are finite numbers', config);
    }
    return {initializer: id, config: {className: id.getClassName(), config}};
  }
  if (id != null && typeof id === 'object' && typeof id.className === 'string') {
    const className = id.className;
    if (className === 'MsValues') {
      const values = (id.config as {values?: unknown} | undefined)?.values;
      if (!Array.isArray(values)) {
        throw argError(owner, arg, `an MsValues config holding ${size} values`, id);
      }
      return resolveInitializer(values, owner, arg, size);
    }
    // A name from model.json: an own entry of the registry (not 'constructor'
    // from its prototype), and an initializer (not 'Dense' or 'Adam').
    const entry = ownValue(serialization.SerializationMap.getMap().classNameMap, className);
    if (entry == null || !(entry[0].prototype instanceof InitializerBase)) {
      throw argError(owner, arg, 'the class name of a registered initializer', className);
    }
    const [cls, fromConfig] = entry;
    const initializer = fromConfig(cls, (id.config ?? {}) as serialization.ConfigDict) as
        unknown as TfInitializer;
    return resolveInitializer(initializer, owner, arg, size);
  }
  throw new Error(`${owner}: '${arg}' must be ${expected}, but got ${describe(id)}.`);
}
