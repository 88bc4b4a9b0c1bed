// SPDX-License-Identifier: Apache-2.0
/**
 * The bad-input matrix: every op and every layer, each bad argument or input a
 * user can pass. Each row must throw an Error whose message names the op or
 * layer, the argument, what was expected and what was given, and leave
 * tf.memory().numTensors unchanged.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {batchNorm, convert, groupNorm, instanceNorm, l2Normalize, layerNorm, layers, loadMindSporeWeights, lrn, mint, rmsNorm, setTrain, swapToMindSpore, torchLocalResponseNorm, torchNormalize} from '../../src';

interface BadCase {
  /** What is wrong, as the test name. */
  what: string;
  run: () => unknown;
  /** The op or layer the message must start with. */
  owner: string;
  /** The argument the message must name. */
  arg: RegExp;
  expected: RegExp;
  got: RegExp;
}

/**
 * Runs a failing call; returns its message after checking nothing leaked
 * (tensors the row itself made as arguments, through hold(), excepted).
 */
function messageOf(run: () => unknown): string {
  const before = tf.memory().numTensors;
  const heldBefore = keep.length;
  let message: string|undefined;
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    message = (e as Error).message;
  }
  expect(tf.memory().numTensors - (keep.length - heldBefore)).toBe(before);
  if (message == null) {
    throw new Error('expected an error, but the call succeeded');
  }
  return message;
}

function check(c: BadCase): void {
  const message = messageOf(c.run);
  expect(message.startsWith(`${c.owner}: `)).toBe(true);
  expect(message).toMatch(c.arg);
  expect(message).toMatch(c.expected);
  expect(message).toMatch(c.got);
}

/** Argument tensors made by the rows; not counted as leaks, disposed after all. */
const keep: tf.Tensor[] = [];
function hold<T extends tf.Tensor>(t: T): T {
  keep.push(t);
  return t;
}

function disposed(shape: number[]): tf.Tensor {
  const t = tf.ones(shape);
  t.dispose();
  return t;
}

/** A valid-looking tensor of `shape` in each dtype the ops reject. */
function wrongDtypes(shape: number[]): Array<[string, () => tf.Tensor]> {
  const size = shape.reduce((a, b) => a * b, 1);
  return [
    ['int32', () => hold(tf.ones(shape, 'int32'))],
    ['bool', () => hold(tf.ones(shape, 'bool'))],
    ['string', () => hold(tf.tensor(new Array(size).fill('a'), shape, 'string'))],
    ['complex64', () => hold(tf.tidy(() => tf.complex(tf.ones(shape), tf.zeros(shape))))],
  ];
}

const shapeText = (shape: number[]) => `\\[${shape.join(',')}\\]`;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterAll(() => {
  tf.dispose(keep);
});

// ---------------------------------------------------------------------------
// Ops: the input x

interface OpSpec {
  name: string;
  /** A valid input shape. */
  shape: number[];
  /** A shape of the wrong rank, and how the message states the expected rank. */
  badShape: number[];
  rankText: RegExp;
  /** Calls the op with valid other arguments. */
  call: (x: tf.Tensor|tf.TensorLike) => unknown;
  /**
   * x as a plain array and a later argument invalid: what x (and any
   * parameter) was converted into must be released. Where no argument is
   * checked after x, x's own rank fails after its conversion.
   */
  late: Omit<BadCase, 'what'|'owner'>;
}

const m3 = () => hold(tf.zeros([3]));
const v3 = () => hold(tf.ones([3]));

const opSpecs: OpSpec[] = [
  {name: 'l2Normalize', shape: [2, 3], badShape: [], rankText: /rank >= 1/,
   call: x => l2Normalize(x as tf.Tensor, 0),
   late: {arg: /'axis'/, expected: /an integer in \[-2, 2\)/, got: /got 2\./,
          run: () => l2Normalize([[1, 2, 3], [4, 5, 6]], 2)}},
  {name: 'lrn', shape: [1, 3, 2, 2], badShape: [3, 2, 2], rankText: /rank 4/,
   call: x => lrn(x as tf.Tensor, 1),
   late: {arg: /'x'/, expected: /rank 4/, got: /rank 3 \(shape \[1,1,2\]\)/,
          run: () => lrn([[[1, 2]]] as never, 1)}},
  {name: 'groupNorm', shape: [2, 4, 3], badShape: [4], rankText: /rank >= 2/,
   call: x => groupNorm(x, 2),
   late: {arg: /'beta'/, expected: /shape \[2\]/, got: /shape \[1\]/,
          run: () => groupNorm([[1, 2], [3, 4]], 1, [1, 1], [0])}},
  {name: 'batchNorm', shape: [2, 3], badShape: [3], rankText: /rank >= 2/,
   call: x => batchNorm(x, m3(), v3()),
   late: {arg: /'bias'/, expected: /shape \[2\]/, got: /shape \[3\]/,
          run: () => batchNorm([[1, 2], [3, 4]], [0, 0], [1, 1], [1, 1], [0, 0, 0], {training: true})}},
  {name: 'layerNorm', shape: [2, 3], badShape: [], rankText: /rank >= 1/,
   call: x => layerNorm(x, [1, 1, 1], [0, 0, 0], {beginNormAxis: -1, beginParamsAxis: -1}),
   late: {arg: /'beta'/, expected: /shape \[3\]/, got: /shape \[2\]/,
          run: () => layerNorm([[1, 2, 3]], [1, 1, 1], [0, 0])}},
  {name: 'instanceNorm', shape: [2, 3, 2], badShape: [2, 3], rankText: /rank >= 3/,
   call: x => instanceNorm(x),
   late: {arg: /'beta'/, expected: /shape \[2\]/, got: /shape \[1\]/,
          run: () => instanceNorm([[[1, 2], [3, 4]]], [1, 1], [0])}},
  {name: 'torchNormalize', shape: [2, 3], badShape: [], rankText: /rank >= 1/,
   call: x => torchNormalize(x as tf.Tensor),
   late: {arg: /'dim'/, expected: /an integer in \[-2, 2\)/, got: /got 2\./,
          run: () => torchNormalize([[1, 2]], 2, 2)}},
  {name: 'torchLocalResponseNorm', shape: [2, 3, 2], badShape: [2, 3], rankText: /rank >= 3/,
   call: x => torchLocalResponseNorm(x as tf.Tensor, 2),
   late: {arg: /'x'/, expected: /rank >= 3/, got: /rank 2 \(shape \[1,2\]\)/,
          run: () => torchLocalResponseNorm([[1, 2]], 2)}},
];

function inputCases(op: OpSpec): BadCase[] {
  const {name, shape, badShape} = op;
  const x = /'x'/;
  const cases: BadCase[] = [
    {what: `x of rank ${badShape.length}`, owner: name, arg: x, expected: op.rankText,
     got: new RegExp(`rank ${badShape.length} \\(shape ${shapeText(badShape)}\\)`),
     run: () => op.call(hold(tf.zeros(badShape)))},
    {what: 'a disposed x', owner: name, arg: x, expected: /a live tensor/,
     got: new RegExp(`a disposed float32 tensor of shape ${shapeText(shape)}`),
     run: () => op.call(disposed(shape))},
    {what: 'a ragged plain array', owner: name, arg: x, expected: /rectangular/,
     got: /x\[1\] has 1 elements where 2 were expected/, run: () => op.call([[1, 2], [3]])},
    {what: 'a plain array nested unevenly', owner: name, arg: x, expected: /rectangular/,
     got: /x\[1\] nests deeper than x\[0\]/,
     run: () => op.call([1, [2]] as unknown as number[])},
    {what: 'a plain array of booleans', owner: name, arg: x, expected: /float32 numbers/,
     got: /bool values/, run: () => op.call([[true, false]] as unknown as number[][])},
    {what: 'a plain array of strings', owner: name, arg: x, expected: /float32 numbers/,
     got: /string values/, run: () => op.call([['a', 'b']])},
    {what: 'an Int32Array', owner: name, arg: x, expected: /float32 numbers/,
     got: /int32 values/, run: () => op.call(new Int32Array(6))},
    {what: 'null', owner: name, arg: x, expected: /a float32 Tensor or a \(nested\) array/,
     got: /got null/, run: () => op.call(null as unknown as number[])},
    {what: 'a string', owner: name, arg: x, expected: /a float32 Tensor or a \(nested\) array/,
     got: /got 'abc'/, run: () => op.call('abc')},
  ];
  for (const [dtype, make] of wrongDtypes(shape)) {
    cases.push({
      what: `a ${dtype} tensor`, owner: name, arg: x, expected: /a float32 tensor/,
      got: new RegExp(`${dtype} tensor of shape ${shapeText(shape)}`),
      run: () => op.call(make()),
    });
  }
  cases.push({what: 'a later bad argument and releases the arrays converted before it', owner: name,
              ...op.late});
  return cases;
}

// ---------------------------------------------------------------------------
// Ops: parameter tensors (gamma, beta, moving statistics)

interface ParamSpec {
  op: string;
  arg: string;
  /** The shape the op requires for this argument. */
  shape: number[];
  call: (p: tf.Tensor|tf.TensorLike) => unknown;
}

const x243 = () => hold(tf.zeros([2, 4, 3]));
const x23 = () => hold(tf.zeros([2, 3]));
const x232 = () => hold(tf.zeros([2, 3, 2]));

const paramSpecs: ParamSpec[] = [
  {op: 'groupNorm', arg: 'gamma', shape: [4], call: p => groupNorm(x243(), 2, p)},
  {op: 'groupNorm', arg: 'beta', shape: [4], call: p => groupNorm(x243(), 2, null, p)},
  {op: 'batchNorm', arg: 'runningMean', shape: [3], call: p => batchNorm(x23(), p, v3())},
  {op: 'batchNorm', arg: 'runningVar', shape: [3],
   call: p => batchNorm(x23(), m3(), p, null, null, {training: true})},
  {op: 'batchNorm', arg: 'weight', shape: [3], call: p => batchNorm(x23(), m3(), v3(), p)},
  {op: 'batchNorm', arg: 'bias', shape: [3], call: p => batchNorm(x23(), m3(), v3(), null, p)},
  {op: 'layerNorm', arg: 'gamma', shape: [3], call: p => layerNorm(x23(), p, [0, 0, 0])},
  {op: 'layerNorm', arg: 'beta', shape: [3], call: p => layerNorm(x23(), [1, 1, 1], p)},
  {op: 'instanceNorm', arg: 'gamma', shape: [3], call: p => instanceNorm(x232(), p)},
  {op: 'instanceNorm', arg: 'beta', shape: [3], call: p => instanceNorm(x232(), null, p)},
];

function paramCases(p: ParamSpec): BadCase[] {
  const arg = new RegExp(`'${p.arg}'`);
  const wrong = [p.shape[0] + 1];
  return [
    {what: `${p.arg} of shape [${wrong}]`, owner: p.op, arg,
     expected: new RegExp(`shape ${shapeText(p.shape)}`), got: new RegExp(`shape ${shapeText(wrong)}`),
     run: () => p.call(hold(tf.ones(wrong)))},
    {what: `${p.arg} of rank 2`, owner: p.op, arg,
     expected: new RegExp(`shape ${shapeText(p.shape)}`),
     got: new RegExp(`shape \\[1,${p.shape[0]}\\]`), run: () => p.call(hold(tf.ones([1, p.shape[0]])))},
    {what: `an int32 ${p.arg}`, owner: p.op, arg, expected: /a float32 tensor/,
     got: /int32 tensor/, run: () => p.call(hold(tf.ones(p.shape, 'int32')))},
    {what: `a disposed ${p.arg}`, owner: p.op, arg, expected: /a live tensor/,
     got: /a disposed float32 tensor/, run: () => p.call(disposed(p.shape))},
    {what: `a ragged ${p.arg}`, owner: p.op, arg, expected: /rectangular/,
     got: new RegExp(`${p.arg}\\[1\\] has 1 elements`),
     run: () => p.call([[1, 2], [3]])},
    {what: `an Int32Array ${p.arg}`, owner: p.op, arg, expected: /float32 numbers/,
     got: /int32 values/, run: () => p.call(new Int32Array(p.shape[0]))},
    {what: `a string ${p.arg}`, owner: p.op, arg,
     expected: /a float32 Tensor or a \(nested\) array/, got: /got 'ones'/,
     run: () => p.call('ones')},
  ];
}

// ---------------------------------------------------------------------------
// Ops: hyperparameters

/** Rows for numbers that must be finite and > 0 (eps-like). */
function positiveNumberCases(
    owner: string, arg: string, run: (v: number) => unknown,
    expected = /a finite number > 0/): BadCase[] {
  return [0, -1e-5, NaN, Infinity].map(v => ({
    what: `${arg} = ${v}`, owner, arg: new RegExp(`'${arg}'`), expected,
    got: new RegExp(`got ${v === -1e-5 ? '-0.00001' : v}\\.`), run: () => run(v),
  }));
}

function valueCases(
    owner: string, arg: string, expected: RegExp, values: unknown[],
    run: (v: never) => unknown): BadCase[] {
  return values.map(v => ({
    what: `${arg} = ${typeof v === 'string' ? `'${v}'` : JSON.stringify(v) ?? String(v)}`,
    owner, arg: new RegExp(`'${arg}'`), expected,
    got: new RegExp(`got ${escape(render(v))}\\.`),
    run: () => run(v as never),
  }));
}

/** How the package's messages render a given value. */
function render(v: unknown): string {
  if (typeof v === 'string') {
    return `'${v}'`;
  }
  if (Array.isArray(v)) {
    return `[${v.map(render).join(', ')}]`;
  }
  return String(v);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const x4 = () => hold(tf.zeros([1, 3, 2, 2]));

const hyperCases: BadCase[] = [
  ...positiveNumberCases('l2Normalize', 'epsilon', v => l2Normalize(x23(), 0, v)),
  ...valueCases('l2Normalize', 'axis', /an integer in \[-2, 2\)/, [2, -3, 1.5, NaN],
      v => l2Normalize(x23(), v)),
  ...valueCases('l2Normalize', 'axis', /a list of integers in \[-2, 2\)/, [[0, 5]],
      v => l2Normalize(x23(), v)),
  ...valueCases('l2Normalize', 'axis', /non-empty list/, [[]], v => l2Normalize(x23(), v)),
  ...valueCases('l2Normalize', 'axis', /distinct axes/, [[1, -1]], v => l2Normalize(x23(), v)),

  ...valueCases('lrn', 'depthRadius', /an integer >= 0/, [-1, 1.5, NaN, Infinity],
      v => lrn(x4(), v)),
  ...valueCases('lrn', 'bias', /a finite number/, [NaN, Infinity], v => lrn(x4(), 1, v)),
  ...valueCases('lrn', 'alpha', /a finite number/, [NaN, -Infinity], v => lrn(x4(), 1, 1, v)),
  ...valueCases('lrn', 'beta', /a finite number/, [NaN, Infinity, '0.5'], v => lrn(x4(), 1, 1, 1, v)),
  ...valueCases('lrn', 'normRegion', /one of 'ACROSS_CHANNELS'/,
      ['WITHIN_CHANNEL', 'across_channels'], v => lrn(x4(), 1, 1, 1, 0.5, v)),

  ...valueCases('groupNorm', 'numGroups', /an integer >= 1/, [0, -2, 1.5, NaN, Infinity],
      v => groupNorm(x243(), v)),
  ...valueCases('groupNorm', 'numGroups', /a divisor of the number of channels \(4\)/, [3, 8],
      v => groupNorm(x243(), v)),
  ...positiveNumberCases('groupNorm', 'eps', v => groupNorm(x243(), 2, null, null, v)),

  ...valueCases('batchNorm', 'momentum', /a number in range \[0, 1\]/, [-0.1, 1.5, NaN, Infinity, '0.1'],
      v => batchNorm(x23(), m3(), v3(), null, null, {momentum: v, training: true})),
  ...positiveNumberCases('batchNorm', 'eps', v => batchNorm(x23(), m3(), v3(), null, null, {eps: v})),
  ...valueCases('batchNorm', 'dataFormat', /one of 'NCHW', 'NHWC'/, ['NCW', 'nchw'],
      v => batchNorm(x23(), m3(), v3(), null, null, {dataFormat: v})),
  ...valueCases('batchNorm', 'varianceUpdate', /one of 'unbiased', 'biased'/, ['population'],
      v => batchNorm(x23(), m3(), v3(), null, null, {varianceUpdate: v, training: true})),
  ...valueCases('batchNorm', 'training', /a boolean/, ['yes', 1],
      v => batchNorm(x23(), m3(), v3(), null, null, {training: v})),
  {what: 'an unknown option', owner: 'batchNorm', arg: /'options'/,
   expected: /its keys must be among 'training', 'momentum', 'eps', 'dataFormat', 'varianceUpdate'/,
   got: /but got 'momentun'; did you mean 'momentum'\?/,
   run: () => batchNorm(x23(), m3(), v3(), null, null, {momentun: 0.1} as never)},
  unknownKeyRow('batchNorm', 'epsilon', /; did you mean 'eps'\?/,
      () => batchNorm(x23(), m3(), v3(), null, null, {epsilon: 1e-3} as never)),
  {what: 'options that are not an object', owner: 'batchNorm', arg: /'options'/,
   expected: /an object/, got: /got 5\./,
   run: () => batchNorm(x23(), m3(), v3(), null, null, 5 as never)},
  {what: 'NHWC with channels that do not match the statistics', owner: 'batchNorm',
   arg: /'runningMean'/, expected: /shape \[2\]/, got: /shape \[3\]/,
   run: () => batchNorm(x232(), m3(), v3(), null, null, {dataFormat: 'NHWC'})},

  ...valueCases('layerNorm', 'beginNormAxis', /an integer in the range \[-1, 2\)/,
      [-2, 2, 0.5, NaN], v => layerNorm(x23(), [1, 1, 1], [0, 0, 0], {beginNormAxis: v})),
  ...valueCases('layerNorm', 'beginParamsAxis', /an integer in the range \[-1, 2\)/,
      [-2, 2, 0.5, '1'], v => layerNorm(x23(), [1, 1, 1], [0, 0, 0], {beginParamsAxis: v})),
  {what: 'the default beginNormAxis (1) on a rank-1 x', owner: 'layerNorm', arg: /'beginNormAxis'/,
   expected: /an integer in the range \[-1, 1\)/, got: /got 1\./,
   run: () => layerNorm(hold(tf.zeros([2])), [1, 1], [0, 0])},
  ...valueCases('layerNorm', 'epsilon', /a finite number >= 0/, [-1e-7, NaN, Infinity],
      v => layerNorm(x23(), [1, 1, 1], [0, 0, 0], {epsilon: v})),
  {what: 'options that are not an object', owner: 'layerNorm', arg: /'options'/,
   expected: /an object/, got: /got 1\./,
   run: () => layerNorm(x23(), [1, 1, 1], [0, 0, 0], 1 as never)},
  unknownKeyRow('layerNorm', 'begin_norm_axis',
      /; did you mean 'beginNormAxis' \(MindSpore's begin_norm_axis\)\?/,
      () => layerNorm(x23(), [1, 1, 1], [0, 0, 0], {begin_norm_axis: 1} as never)),
  ...(['gamma', 'beta'] as const).map((arg): BadCase => ({
    what: `a missing ${arg}`, owner: 'layerNorm', arg: new RegExp(`'${arg}'`),
    expected: /a float32 Tensor or a \(nested\) array/, got: /got undefined/,
    run: () => layerNorm(x23(), arg === 'gamma' ? undefined as never : [1, 1, 1],
                         arg === 'beta' ? undefined as never : [0, 0, 0])})),
  {what: 'an unknown option', owner: 'layerNorm', arg: /'options'/,
   expected: /its keys must be among 'beginNormAxis', 'beginParamsAxis', 'epsilon'/,
   got: /but got 'eps'; did you mean 'epsilon'\?/,
   run: () => layerNorm(x23(), [1, 1, 1], [0, 0, 0], {eps: 1e-5} as never)},
  {what: 'gamma not covering the params axes', owner: 'layerNorm', arg: /'gamma'/,
   expected: /shape \[2,3\]/, got: /shape \[3\]/,
   run: () => layerNorm(x23(), [1, 1, 1], [[0, 0, 0], [0, 0, 0]], {beginParamsAxis: 0})},

  ...positiveNumberCases('instanceNorm', 'eps', v => instanceNorm(x232(), null, null, v)),

  ...valueCases('torchNormalize', 'p', /a number >= 0 or Infinity/, [-1, NaN, '2'],
      v => torchNormalize(x23(), v)),
  ...valueCases('torchNormalize', 'dim', /an integer in \[-2, 2\)/, [2, -3, 0.5],
      v => torchNormalize(x23(), 2, v)),
  ...valueCases('torchNormalize', 'dim', /a list of distinct axes/, [[0, -2]],
      v => torchNormalize(x23(), 2, v)),
  ...valueCases('torchNormalize', 'eps', /a finite number >= 0/, [-1e-12, NaN, Infinity],
      v => torchNormalize(x23(), 2, 1, v)),
  ...valueCases('torchLocalResponseNorm', 'size', /an integer >= 1/, [0, -1, 1.5, NaN, undefined],
      v => torchLocalResponseNorm(x232(), v)),
  ...valueCases('torchLocalResponseNorm', 'alpha', /a finite number/, [NaN, Infinity],
      v => torchLocalResponseNorm(x232(), 2, v)),
  ...valueCases('torchLocalResponseNorm', 'beta', /a finite number/, [NaN, -Infinity],
      v => torchLocalResponseNorm(x232(), 2, 1e-4, v)),
  ...valueCases('torchLocalResponseNorm', 'k', /a finite number/, [NaN, Infinity, '1'],
      v => torchLocalResponseNorm(x232(), 2, 1e-4, 0.75, v)),
];

describe('ops reject bad input with a full message and no leak', () => {
  for (const op of opSpecs) {
    describe(`${op.name}: x`, () => {
      for (const c of inputCases(op)) {
        it(`rejects ${c.what}`, () => check(c));
      }
    });
  }
  for (const p of paramSpecs) {
    describe(`${p.op}: ${p.arg}`, () => {
      for (const c of paramCases(p)) {
        it(`rejects ${c.what}`, () => check(c));
      }
    });
  }
  describe('hyperparameters', () => {
    for (const c of hyperCases) {
      it(`${c.owner} rejects ${c.what}`, () => check(c));
    }
  });
});

// ---------------------------------------------------------------------------
// Layers: constructor arguments

type Factory = (args: never) => unknown;

interface LayerSpec {
  className: string;
  make: Factory;
  /** Valid constructor arguments. */
  args: Record<string, unknown>;
  /** The channel-count argument, if any. */
  channelArg?: string;
}

const bnArgs = {numFeatures: 3};
/** A BatchNorm or InstanceNorm layer (any rank): 3 features. */
const perFeature = (className: string, make: Factory): LayerSpec =>
    ({className, make, args: bnArgs, channelArg: 'numFeatures'});
const layerSpecs: LayerSpec[] = [
  {className: 'L2Normalize', make: layers.l2Normalize as Factory, args: {}},
  {className: 'LRN', make: layers.lrn as Factory, args: {}},
  {className: 'GroupNorm', make: layers.groupNorm as Factory,
   args: {numGroups: 2, numChannels: 4}, channelArg: 'numChannels'},
  perFeature('BatchNorm1d', layers.batchNorm1d as Factory),
  perFeature('BatchNorm2d', layers.batchNorm2d as Factory),
  perFeature('BatchNorm3d', layers.batchNorm3d as Factory),
  {className: 'LayerNorm', make: layers.layerNorm as Factory, args: {normalizedShape: [3]}},
  perFeature('InstanceNorm1d', layers.instanceNorm1d as Factory),
  perFeature('InstanceNorm2d', layers.instanceNorm2d as Factory),
  perFeature('InstanceNorm3d', layers.instanceNorm3d as Factory),
];

function spec(className: string): LayerSpec {
  return layerSpecs.find(s => s.className === className)!;
}

/** Rows: the layer built with one argument replaced by each bad value. */
function ctorCases(className: string, arg: string, expected: RegExp, values: unknown[]):
    BadCase[] {
  const s = spec(className);
  return valueCases(className, arg, expected, values,
      v => s.make({...s.args, [arg]: v} as never));
}

/** Initializer given as values of the wrong length, an unknown name, a non-finite constant. */
function initCases(className: string, arg: string, size: number): BadCase[] {
  const s = spec(className);
  const make = (v: unknown) => () => s.make({...s.args, [arg]: v} as never);
  return [
    {what: `${arg} with ${size + 1} values`, owner: className, arg: new RegExp(`'${arg}'`),
     expected: new RegExp(`${size} numbers \\(one per channel\\)`),
     got: new RegExp(`got \\[${new Array(size + 1).fill(1).join(', ')}\\]`),
     run: make(new Array(size + 1).fill(1))},
    {what: `${arg} = 'bogus'`, owner: className, arg: new RegExp(`'${arg}'`),
     expected: /an initializer name/, got: /got 'bogus'/, run: make('bogus')},
    {what: `${arg} = NaN`, owner: className, arg: new RegExp(`'${arg}'`),
     expected: /a finite number/, got: /got NaN/, run: make(NaN)},
    {what: `${arg} as a disposed tensor`, owner: className, arg: new RegExp(`'${arg}'`),
     expected: /a live tensor/, got: new RegExp(`a disposed float32 tensor of shape \\[${size}\\]`),
     run: () => s.make({...s.args, [arg]: disposed([size])} as never)},
  ];
}

const positiveInt = /an integer >= 1/;
const positive = /a finite number > 0/;
const unit = /a number in range \[0, 1\]/;

const ctorRows: BadCase[] = [
  ...ctorCases('L2Normalize', 'axis', /an integer or a non-empty list of integers/,
      [1.5, [], 'a', [0, 0.5]]),
  ...ctorCases('L2Normalize', 'epsilon', positive, [0, -1, NaN, Infinity]),

  ...ctorCases('LRN', 'depthRadius', /an integer >= 0/, [-1, 2.5, NaN, Infinity]),
  ...ctorCases('LRN', 'bias', /a finite number/, [NaN, Infinity]),
  ...ctorCases('LRN', 'alpha', /a finite number/, [NaN, -Infinity]),
  ...ctorCases('LRN', 'beta', /a finite number/, [NaN, Infinity]),
  ...ctorCases('LRN', 'normRegion', /one of 'ACROSS_CHANNELS'/, ['WITHIN_CHANNEL', 'LOCAL']),

  ...ctorCases('GroupNorm', 'numGroups', positiveInt, [0, -2, 1.5, NaN, undefined]),
  ...ctorCases('GroupNorm', 'numChannels', positiveInt, [0, 2.5, Infinity, '4']),
  {what: 'numChannels not divisible by numGroups', owner: 'GroupNorm',
   arg: /'numChannels'.*'numGroups'/, expected: /must be divisible by/,
   got: /'numChannels' \(6\) .*'numGroups' \(4\)/,
   run: () => layers.groupNorm({numGroups: 4, numChannels: 6})},
  ...ctorCases('GroupNorm', 'eps', positive, [0, -1e-5, NaN]),
  ...ctorCases('GroupNorm', 'affine', /true or false/, ['yes', 1]),
  ...initCases('GroupNorm', 'gammaInit', 4),
  ...initCases('GroupNorm', 'betaInit', 4),
  {what: 'no arguments', owner: 'GroupNorm', arg: /'args'/,
   expected: /an object with numGroups and numChannels/, got: /got undefined/,
   run: () => layers.groupNorm(undefined as never)},

  ...ctorCases('LayerNorm', 'normalizedShape', /a non-empty list of positive integers/,
      [[], [0], [1.5], 3, undefined]),
  ...ctorCases('LayerNorm', 'beginNormAxis', /an integer >= -1/, [-2, 0.5, NaN]),
  ...ctorCases('LayerNorm', 'beginParamsAxis', /an integer >= -1/, [-3, 1.5]),
  ...ctorCases('LayerNorm', 'epsilon', /a finite number >= 0/, [-1e-7, NaN, Infinity]),
  ...initCases('LayerNorm', 'gammaInit', 3),
  ...initCases('LayerNorm', 'betaInit', 3),
];

for (const className of ['BatchNorm1d', 'BatchNorm2d', 'BatchNorm3d']) {
  ctorRows.push(
      ...ctorCases(className, 'numFeatures', positiveInt, [0, -3, 1.5, NaN, undefined]),
      ...ctorCases(className, 'eps', positive, [0, -1e-5, NaN, Infinity]),
      ...ctorCases(className, 'momentum', unit, [-0.1, 1.5, NaN]),
      ...ctorCases(className, 'affine', /true or false/, ['no']),
      ...ctorCases(className, 'useBatchStatistics', /one of true, false, null/, ['yes', 0]),
      ...ctorCases(className, 'dataFormat', /one of 'NCHW', 'NHWC'/, ['NCDHW', 'channelsLast']),
      ...ctorCases(className, 'varianceUpdate', /one of 'unbiased', 'biased'/, ['population']),
      ...initCases(className, 'gammaInit', 3), ...initCases(className, 'betaInit', 3),
      ...initCases(className, 'movingMeanInit', 3), ...initCases(className, 'movingVarInit', 3),
      {what: 'no arguments', owner: className, arg: /'args'/,
       expected: /an object with numFeatures/, got: /got undefined/,
       run: () => spec(className).make(undefined as never)});
}
for (const className of ['InstanceNorm1d', 'InstanceNorm2d', 'InstanceNorm3d']) {
  ctorRows.push(
      ...ctorCases(className, 'numFeatures', positiveInt, [0, 2.5, Infinity]),
      ...ctorCases(className, 'eps', positive, [0, NaN]),
      ...ctorCases(className, 'momentum', unit, [1.5, -1, NaN]),
      ...ctorCases(className, 'affine', /true or false/, ['yes']),
      ...initCases(className, 'gammaInit', 3), ...initCases(className, 'betaInit', 3));
}

describe('layer constructors reject bad arguments with a full message and no leak', () => {
  for (const c of ctorRows) {
    it(`${c.owner} rejects ${c.what}`, () => check(c));
  }
});

// ---------------------------------------------------------------------------
// Layers: inputs, at build and when applied again after build

interface ApplySpec {
  className: string;
  /** Arguments and a valid input shape. */
  args: Record<string, unknown>;
  shape: number[];
  /** A wrong-rank shape and how the message states the rank. */
  badRankShape: number[];
  rankText: RegExp;
  /** An input whose channel count differs from the layer's, and the argument named. */
  badChannelShape?: number[];
  channelArg?: RegExp;
  expectedChannels?: number;
  gotChannels?: number;
}

const applySpecs: ApplySpec[] = [
  {className: 'LRN', args: {depthRadius: 1}, shape: [1, 3, 2, 2], badRankShape: [3, 2, 2],
   rankText: /rank 4 \(N, C, H, W\)/},
  {className: 'GroupNorm', args: {numGroups: 2, numChannels: 4}, shape: [2, 4, 3],
   badRankShape: [4], rankText: /rank >= 2/, badChannelShape: [2, 6, 3],
   channelArg: /'numChannels'/, expectedChannels: 4, gotChannels: 6},
  {className: 'BatchNorm1d', args: bnArgs, shape: [2, 3], badRankShape: [2, 3, 2, 2],
   rankText: /rank 2 \(N, C\) or rank 3 \(N, C, L\)/, badChannelShape: [2, 4],
   channelArg: /'numFeatures'/, expectedChannels: 3, gotChannels: 4},
  {className: 'BatchNorm2d', args: bnArgs, shape: [2, 3, 2, 2], badRankShape: [2, 3, 2],
   rankText: /rank 4/, badChannelShape: [2, 5, 2, 2], channelArg: /'numFeatures'/,
   expectedChannels: 3, gotChannels: 5},
  {className: 'BatchNorm2d', args: {...bnArgs, dataFormat: 'NHWC'}, shape: [2, 2, 2, 3],
   badRankShape: [2, 2, 3], rankText: /rank 4/, badChannelShape: [2, 2, 3, 2],
   channelArg: /'numFeatures'/, expectedChannels: 3, gotChannels: 2},
  {className: 'BatchNorm3d', args: bnArgs, shape: [1, 3, 2, 2, 2], badRankShape: [1, 3, 2, 2],
   rankText: /rank 5/, badChannelShape: [1, 2, 2, 2, 2], channelArg: /'numFeatures'/,
   expectedChannels: 3, gotChannels: 2},
  {className: 'InstanceNorm1d', args: bnArgs, shape: [2, 3, 2], badRankShape: [2, 3],
   rankText: /rank 3/, badChannelShape: [2, 4, 2], channelArg: /'numFeatures'/,
   expectedChannels: 3, gotChannels: 4},
  {className: 'InstanceNorm2d', args: bnArgs, shape: [1, 3, 2, 2], badRankShape: [1, 3, 2],
   rankText: /rank 4/, badChannelShape: [1, 1, 2, 2], channelArg: /'numFeatures'/,
   expectedChannels: 3, gotChannels: 1},
  {className: 'InstanceNorm3d', args: bnArgs, shape: [1, 3, 1, 2, 2], badRankShape: [3, 1, 2, 2],
   rankText: /rank 5/, badChannelShape: [1, 4, 1, 2, 2], channelArg: /'numFeatures'/,
   expectedChannels: 3, gotChannels: 4},
];

function layerOf(a: ApplySpec): tfl.layers.Layer {
  return spec(a.className).make(a.args as never) as tfl.layers.Layer;
}

const shapeOf = (shape: number[]) => `\\[${shape.join(',')}\\]`;

function applyCases(a: ApplySpec, built: () => tfl.layers.Layer): BadCase[] {
  const name = a.className;
  const rankRow = (when: string, layer: () => tfl.layers.Layer): BadCase => ({
    what: `rank-${a.badRankShape.length} input ${when}`, owner: name, arg: /input/,
    expected: a.rankText,
    got: new RegExp(`input shape ${shapeOf(a.badRankShape)} \\(rank ${a.badRankShape.length}\\)`),
    run: () => layer().apply(hold(tf.zeros(a.badRankShape))),
  });
  const cases = [rankRow('at build', () => layerOf(a)), rankRow('after build', built)];
  if (a.badChannelShape != null) {
    const channelRow = (when: string, layer: () => tfl.layers.Layer, kwargs = {}): BadCase => ({
      what: `${a.gotChannels} channels ${when}`, owner: name, arg: a.channelArg!,
      expected: new RegExp(`is ${a.expectedChannels} `),
      got: new RegExp(`input has ${a.gotChannels} channels .*input shape ${
          shapeOf(a.badChannelShape!)}`),
      run: () => layer().apply(hold(tf.zeros(a.badChannelShape!)), kwargs),
    });
    cases.push(
        channelRow('at build', () => layerOf(a)),
        channelRow('after build (inference)', built),
        channelRow('after build (training)', built, {training: true}));
  }
  return cases;
}

describe('layers reject bad input at build and after build, naming the layer', () => {
  for (const a of applySpecs) {
    const format = a.args['dataFormat'] != null ? ` (${String(a.args['dataFormat'])})` : '';
    describe(`${a.className}${format}`, () => {
      let built: tfl.layers.Layer;
      beforeAll(() => {
        built = layerOf(a);
        tf.dispose(built.apply(tf.zeros(a.shape)) as tf.Tensor);
      });
      afterAll(() => built.dispose());
      for (const c of applyCases(a, () => built)) {
        it(`rejects ${c.what}`, () => check(c));
      }
      it('rejects an int32 input after build (the op names it)', () => {
        const message = messageOf(() => built.apply(hold(tf.ones(a.shape, 'int32'))));
        expect(message).toMatch(/^[a-zA-Z0-9]+: 'x' must be a float32 tensor, but got a int32/);
      });
      it('rejects a disposed input after build', () => {
        const message = messageOf(() => built.apply(disposed(a.shape)));
        expect(message).toMatch(/: 'x' is a disposed tensor: it must be a live tensor, but got a disposed float32 tensor/);
      });
    });
  }

  it('GroupNorm rejects a symbolic input with the wrong channel count when a model is assembled',
     () => {
       const input = tfl.input({shape: [6, 3]});
       const message = messageOf(() => layers.groupNorm({numGroups: 2, numChannels: 4}).apply(input));
       expect(message).toMatch(
           /^GroupNorm: input has 6 channels on axis 1, but 'numChannels' is 4 \(input shape \[null,6,3\]\)/);
     });

  it('L2Normalize rejects an axis outside the input rank when built', () => {
    check({
      what: 'axis 2 on rank-2 input', owner: 'L2Normalize', arg: /'axis'/,
      expected: /an integer in \[-2, 2\)/, got: /got 2\./,
      run: () => layers.l2Normalize({axis: 2}).apply(hold(tf.zeros([2, 3]))),
    });
  });

  it('LayerNorm rejects a normalizedShape that does not match the input, at build and after', () => {
    const layer = layers.layerNorm({normalizedShape: [3]});
    tf.dispose(layer.apply(tf.zeros([2, 3])) as tf.Tensor);
    for (const make of [() => layers.layerNorm({normalizedShape: [3]}), () => layer]) {
      check({
        what: 'shape [2, 4]', owner: 'LayerNorm', arg: /'normalizedShape'/,
        expected: /the input shape from beginParamsAxis \(-1\) on, \[4\]/, got: /got \[3\]/,
        run: () => make().apply(hold(tf.zeros([2, 4]))),
      });
    }
    layer.dispose();
  });

  it('LayerNorm rejects a beginNormAxis beyond the input rank', () => {
    check({
      what: 'beginNormAxis 2 on rank 2', owner: 'LayerNorm', arg: /'beginNormAxis'/,
      expected: /in the range \[-1, 2\)/, got: /got 2\./,
      run: () => layers.layerNorm({normalizedShape: [3], beginNormAxis: 2})
                     .apply(hold(tf.zeros([2, 3]))),
    });
  });
});

// ---------------------------------------------------------------------------
// Layers: argument objects, unknown keys, initializers from model.json, setTrain

/** A row for an unknown key: the message names it, lists the keys and suggests one. */
function unknownKeyRow(
    owner: string, key: string, suggestion: RegExp, run: () => unknown): BadCase {
  return {what: `the unknown key '${key}'`, owner, arg: new RegExp(`unknown key '${key}'`),
          expected: /its keys must be among '/, got: new RegExp(`but got '${key}'${suggestion.source}`),
          run};
}

const argObjectRows: BadCase[] = [];
for (const s of layerSpecs) {
  const optional = Object.keys(s.args).length === 0;
  argObjectRows.push(
      {what: 'null arguments', owner: s.className, arg: /'args'/,
       expected: optional ? /an object \(or nothing\)/ : /an object with /, got: /got null\./,
       run: () => s.make(null as never)},
      {what: 'a number as arguments', owner: s.className, arg: /'args'/, expected: /an object/,
       got: /got 4\./, run: () => s.make(4 as never)},
      unknownKeyRow(s.className, 'bogusKey', /\.$/, () => s.make({...s.args, bogusKey: 1} as never)));
}
for (const className of ['GroupNorm', 'BatchNorm1d', 'BatchNorm2d', 'BatchNorm3d',
                         'InstanceNorm1d', 'InstanceNorm2d', 'InstanceNorm3d']) {
  const s = spec(className);
  argObjectRows.push(
      unknownKeyRow(className, 'epsilon', /; did you mean 'eps'\?/,
          () => s.make({...s.args, epsilon: 1e-3} as never)),
      unknownKeyRow(className, 'gamma_init', /; did you mean 'gammaInit' \(MindSpore's gamma_init\)\?/,
          () => s.make({...s.args, gamma_init: 'ones'} as never)));
}
for (const className of ['BatchNorm1d', 'BatchNorm2d', 'InstanceNorm2d']) {
  argObjectRows.push(unknownKeyRow(
      className, 'num_features', /; did you mean 'numFeatures' \(MindSpore's num_features\)\?/,
      () => spec(className).make({num_features: 3} as never)));
}
argObjectRows.push(
    unknownKeyRow('LayerNorm', 'eps', /; did you mean 'epsilon'\?/,
        () => layers.layerNorm({normalizedShape: [3], eps: 1e-5} as never)),
    unknownKeyRow('LayerNorm', 'begin_norm_axis',
        /; did you mean 'beginNormAxis' \(MindSpore's begin_norm_axis\)\?/,
        () => layers.layerNorm({normalizedShape: [3], begin_norm_axis: 1} as never)),
    unknownKeyRow('L2Normalize', 'eps', /; did you mean 'epsilon'\?/,
        () => layers.l2Normalize({eps: 1e-3} as never)),
    unknownKeyRow('LRN', 'Alpha', /; did you mean 'alpha'\?/, () => layers.lrn({Alpha: 5} as never)),
    unknownKeyRow('LRN', 'depth_radius',
        /; did you mean 'depthRadius' \(MindSpore's depth_radius\)\?/,
        () => layers.lrn({depth_radius: 2} as never)),
    unknownKeyRow('LRN', 'k', /; did you mean 'bias'\?/, () => layers.lrn({k: 2} as never)));

// Initializers as model.json writes them: {className, config}.
const gn = (init: unknown) => () =>
    layers.groupNorm({numGroups: 2, numChannels: 4, gammaInit: init as never});
for (const className of ['constructor', '__proto__', 'toString', 'Dense', 'Sequential', 'Adam']) {
  argObjectRows.push({
    what: `gammaInit of class '${className}'`, owner: 'GroupNorm', arg: /'gammaInit'/,
    expected: /the class name of a registered initializer/, got: new RegExp(`got '${className}'`),
    run: gn({className, config: {}}),
  });
}
argObjectRows.push(
    {what: 'an MsValues config without values (as from a hand-edited model.json)',
     owner: 'GroupNorm', arg: /'gammaInit'/, expected: /an MsValues config holding 4 values/,
     got: /got \{"className":"MsValues"\}/, run: gn({className: 'MsValues'})},
    {what: 'an MsValues config holding a name', owner: 'GroupNorm', arg: /'gammaInit'/,
     expected: /an MsValues config holding 4 values/, got: /"values":"ones"/,
     run: gn({className: 'MsValues', config: {values: 'ones'}})},
    {what: 'gammaInit [NaN, 1, 1, 1]', owner: 'GroupNorm', arg: /'gammaInit'/,
     expected: /4 finite numbers/, got: /got \[NaN, 1, 1, 1\]/, run: gn([NaN, 1, 1, 1])},
    {what: 'gammaInit holding Infinity', owner: 'GroupNorm', arg: /'gammaInit'/,
     expected: /4 finite numbers/, got: /got \[1, Infinity, 1, 1\]/,
     run: () => layers.groupNorm(
         {numGroups: 2, numChannels: 4, gammaInit: hold(tf.tensor([1, Infinity, 1, 1]))})},
    {what: 'a Constant initializer of value NaN', owner: 'GroupNorm', arg: /'gammaInit'/,
     expected: /an initializer whose settings are finite numbers/, got: /got \{"value":null\}/,
     run: gn(tfl.initializers.constant({value: NaN}))},
    {what: 'a Constant initializer config of value Infinity (as from model.json)',
     owner: 'GroupNorm', arg: /'gammaInit'/,
     expected: /an initializer whose settings are finite numbers/, got: /got \{"value":null\}/,
     run: gn({className: 'Constant', config: {value: Infinity}})},
    {what: 'a betaInit that fails in build() after gamma was made', owner: 'GroupNorm',
     arg: /weight 'beta'/, expected: /a float32 tensor of shape \[4\]/,
     got: /it failed: Identity matrix initializer/,
     run: () => layers.groupNorm({numGroups: 2, numChannels: 4,
                                  betaInit: tfl.initializers.identity({})})
                    .apply(hold(tf.zeros([1, 4, 2])))},
    {what: 'a movingVarInit that fails in build() after three weights were made',
     owner: 'BatchNorm1d', arg: /weight 'moving_variance'/,
     expected: /a float32 tensor of shape \[3\]/, got: /it failed: Identity matrix initializer/,
     run: () => layers.batchNorm1d({numFeatures: 3, movingVarInit: tfl.initializers.identity({})})
                    .apply(hold(tf.zeros([2, 3])))},
    {what: 'a betaInit that fails in build()', owner: 'LayerNorm', arg: /weight 'beta'/,
     expected: /a float32 tensor of shape \[3\]/, got: /it failed: Identity matrix initializer/,
     run: () => layers.layerNorm({normalizedShape: [3], betaInit: tfl.initializers.identity({})})
                    .apply(hold(tf.zeros([2, 3])))},
);

const oneLayerModel = () =>
    tfl.sequential({layers: [layers.l2Normalize({inputShape: [3], axis: 1})]});
argObjectRows.push(
    {what: 'setTrain(null)', owner: 'setTrain', arg: /'model'/, expected: /a tf.LayersModel/,
     got: /got null\./, run: () => setTrain(null as never)},
    {what: 'setTrain({})', owner: 'setTrain', arg: /'model'/, expected: /a tf.LayersModel/,
     got: /got \{\}\./, run: () => setTrain({} as never)},
    {what: "setTrain(model, 'false')", owner: 'setTrain', arg: /'mode'/, expected: /true or false/,
     got: /got 'false'\./, run: () => setTrain(oneLayerModel(), 'false' as never)},
    {what: 'layer.setTrain(1)', owner: 'GroupNorm.setTrain', arg: /'mode'/,
     expected: /true or false/, got: /got 1\./,
     run: () => layers.groupNorm({numGroups: 1, numChannels: 2}).setTrain(1 as never)},
);

describe('layer argument objects: null, unknown keys, initializers, setTrain', () => {
  for (const c of argObjectRows) {
    it(`${c.owner} rejects ${c.what}`, () => check(c));
  }

  it('a layer whose build() failed half-way keeps no weight, tensor or weight name', () => {
    const failing = layers.groupNorm(
        {numGroups: 1, numChannels: 2, betaInit: tfl.initializers.identity({})});
    const x = hold(tf.zeros([1, 2]));
    // Twice: a name left behind would make the second try fail on 'Duplicate weight name'.
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(messageOf(() => failing.apply(x))).toMatch(/^GroupNorm: the initializer of weight 'beta'/);
      expect(failing.weights).toEqual([]);
    }
  });
});

// ---------------------------------------------------------------------------
// Converters: unknown keys, and arguments the target op would reject

const converterRows: BadCase[] = [
  unknownKeyRow('convert.lrn.fromPyTorch', 'Alpha', /; did you mean 'alpha'\?/,
      () => convert.lrn.fromPyTorch({size: 3, Alpha: 5} as never)),
  unknownKeyRow('convert.lrn.fromPyTorch', 'bias', /; did you mean 'k'\?/,
      () => convert.lrn.fromPyTorch({size: 3, bias: 2} as never)),
  unknownKeyRow('convert.lrn.toPyTorch', 'depth_radius',
      /; did you mean 'depthRadius' \(MindSpore's depth_radius\)\?/,
      () => convert.lrn.toPyTorch({depth_radius: 2} as never)),
  unknownKeyRow('convert.l2Normalize.fromPyTorch', 'epsilon', /; did you mean 'eps'\?/,
      () => convert.l2Normalize.fromPyTorch({epsilon: 1e-6} as never)),
  unknownKeyRow('convert.l2Normalize.fromPyTorch', 'axis', /; did you mean 'dim'\?/,
      () => convert.l2Normalize.fromPyTorch({axis: 1} as never)),
  unknownKeyRow('convert.l2Normalize.toPyTorch', 'eps', /; did you mean 'epsilon'\?/,
      () => convert.l2Normalize.toPyTorch({eps: 1e-6} as never)),
  {what: 'null arguments', owner: 'convert.l2Normalize.toPyTorch', arg: /'args'/,
   expected: /an object/, got: /got null\./,
   run: () => convert.l2Normalize.toPyTorch(null as never)},
  {what: 'eps = 1e200 (eps^2 overflows)', owner: 'convert.l2Normalize.fromPyTorch', arg: /'eps'/,
   expected: /a number whose square is finite/, got: /got 1e\+200\./,
   run: () => convert.l2Normalize.fromPyTorch({eps: 1e200})},
  {what: 'alpha whose product with size overflows', owner: 'convert.lrn.toPyTorch',
   arg: /'alpha'/, expected: /whose product with size 3 is finite/, got: /got 1e\+308\./,
   run: () => convert.lrn.toPyTorch({depthRadius: 1, alpha: 1e308})},
];

describe('converters reject unknown keys and results their target would reject', () => {
  for (const c of converterRows) {
    it(`${c.owner} rejects ${c.what}`, () => check(c));
  }
});

// ---------------------------------------------------------------------------
// Interop: loadMindSporeWeights and swapToMindSpore

const load = (model: tfl.LayersModel, tags: Array<[string, tf.Tensor]>, options?: unknown) =>
    () => loadMindSporeWeights(model, new Map(tags), options as never);
// Models made once, before any row counts tensors.
const bnModel = tfl.sequential(
    {layers: [layers.batchNorm1d({numFeatures: 2, inputShape: [2], name: 'bn'})]});
/** An outer 'bn' and a nested 'backbone' > 'bn'. */
const nestedBn = tfl.sequential({layers: [
  tfl.sequential({name: 'backbone', layers: [
    layers.batchNorm1d({numFeatures: 2, inputShape: [2], name: 'bn'})]}),
  layers.batchNorm1d({numFeatures: 2, name: 'bn'}),
]});
const rnnModel = tfl.sequential(
    {layers: [tfl.layers.simpleRNN(
        {units: 2, inputShape: [3, 2], name: 'rnn', recurrentInitializer: 'zeros'})]});
const conv1dModel = tfl.sequential(
    {layers: [tfl.layers.conv1d({filters: 3, kernelSize: 1, inputShape: [4, 2], name: 'c'})]});

const interopRows: BadCase[] = [
  {what: 'a tag whose layer name names an outer and a nested layer', owner: 'loadMindSporeWeights',
   arg: /checkpoint tensor 'bn.gamma'/, expected: /must name one layer/,
   got: /it names 2: 'backbone\/bn', 'bn'/,
   run: () => load(nestedBn, [['bn.gamma', hold(tf.ones([2]))]])()},
  {what: 'a nameMap function returning a number', owner: 'loadMindSporeWeights',
   arg: /'options.nameMap'/, expected: /a function returning a string, null or undefined \(for tag 'bn.gamma'\)/,
   got: /got 42\./, run: () => load(bnModel, [['bn.gamma', hold(tf.ones([2]))]], {nameMap: () => 42})()},
  {what: 'a nameMap record holding a number', owner: 'loadMindSporeWeights',
   arg: /'options.nameMap\['bn'\]'/, expected: /a string/, got: /got 7\./,
   run: () => load(bnModel, [['bn.gamma', hold(tf.ones([2]))]], {nameMap: {bn: 7}})()},
  unknownKeyRow('loadMindSporeWeights', 'namemap', /; did you mean 'nameMap'\?/,
      () => load(bnModel, [], {namemap: {}})()),
  {what: 'null options', owner: 'loadMindSporeWeights', arg: /'options'/, expected: /an object/,
   got: /got null\./, run: () => load(bnModel, [], null)()},
  {what: 'a kernel of a layer class whose MindSpore layout is unknown (SimpleRNN)',
   owner: 'loadMindSporeWeights', arg: /checkpoint tensor 'rnn.weight'/,
   expected: /class must be one of Dense, Conv1D, Conv2D, Conv2DTranspose, Conv3D/,
   got: /but got SimpleRNN/,
   run: () => load(rnnModel,
                   [['rnn.weight', hold(tf.ones([2, 2]))]])()},
  {what: 'a Conv1D weight of rank 2', owner: 'loadMindSporeWeights',
   arg: /checkpoint tensor 'c.weight'/,
   expected: /MindSpore's layout \[out, in, k\] or \[out, in, 1, k\]/, got: /got shape \[3,2\]/,
   run: () => load(conv1dModel,
                   [['c.weight', hold(tf.ones([3, 2]))]])()},
  unknownKeyRow('swapToMindSpore', 'eps', /; did you mean 'epsilon'\?/,
      () => swapToMindSpore(bnModel, {eps: 1e-7} as never)),
  unknownKeyRow('swapToMindSpore', 'variance_update',
      /; did you mean 'varianceUpdate' \(MindSpore's variance_update\)\?/,
      () => swapToMindSpore(bnModel, {variance_update: 'biased'} as never)),
  {what: 'null options', owner: 'swapToMindSpore', arg: /'options'/, expected: /an object/,
   got: /got null\./, run: () => swapToMindSpore(bnModel, null as never)},
];

describe('interop rejects ambiguous names, bad nameMaps, unknown layouts and options', () => {
  for (const c of interopRows) {
    it(`${c.owner} rejects ${c.what}`, () => check(c));
  }
});

// ---------------------------------------------------------------------------
// RMSNorm and the mint namespace

const rmsSpec: OpSpec = {
  name: 'rmsNorm', shape: [2, 3], badShape: [], rankText: /./, call: x => rmsNorm(x, [1, 1, 1]),
  late: {arg: /'gamma'/, expected: /the shape of the last 1 dims of 'x', \[3\]/,
         got: /got shape \[2\]/, run: () => rmsNorm([[1, 2, 3]], [1, 1])},
};

const rmsRows: BadCase[] = [
  // x's own rank is free; only gamma's rank is bounded by it (checked below).
  ...inputCases(rmsSpec).filter(c => !c.what.startsWith('x of rank')),
  ...[0, -1, 1.5, NaN, '1e-6', null].map(eps => ({
    what: `epsilon ${render(eps)}`, owner: 'rmsNorm', arg: /'epsilon'/,
    expected: /a number in the range \(0, 1\]/, got: new RegExp(`got ${escape(render(eps))}\\.`),
    run: () => rmsNorm(x23(), [1, 1, 1], eps as number),
  })),
  {what: 'gamma of a larger rank than x', owner: 'rmsNorm', arg: /'gamma'/,
   expected: /must not have a larger rank than 'x' \(rank 1, shape \[3\]\)/,
   got: /got rank 2 \(shape \[1,3\]\)/, run: () => rmsNorm([1, 2, 3], [[1, 1, 1]])},
  {what: 'gamma not matching the trailing dims of x', owner: 'rmsNorm', arg: /'gamma'/,
   expected: /the shape of the last 2 dims of 'x', \[4,3\]/, got: /got shape \[3,4\]/,
   run: () => rmsNorm(x243(), hold(tf.ones([3, 4])))},
  {what: 'an int32 gamma', owner: 'rmsNorm', arg: /'gamma'/, expected: /a float32 tensor/,
   got: /int32 tensor of shape \[3\]/, run: () => rmsNorm(x23(), hold(tf.ones([3], 'int32')))},
  {what: 'a disposed gamma', owner: 'rmsNorm', arg: /'gamma'/, expected: /a live tensor/,
   got: /a disposed float32 tensor of shape \[3\]/, run: () => rmsNorm(x23(), disposed([3]))},
];

const layerArgRows: BadCase[] = [
  ...([['RMSNorm', () => layers.rmsNorm(null as never)],
       ['MintBatchNorm2d', () => mint.batchNorm2d(null as never)],
       ['MintGroupNorm', () => mint.groupNorm(null as never)],
       ['MintLayerNorm', () => mint.layerNorm(undefined as never)]] as const).map(([owner, run]) => ({
    what: 'missing arguments', owner, arg: /'args'/, expected: /an object with /,
    got: /got (null|undefined)\./, run,
  })),
  ...[0, [], [2, 0], 'a', 1.5, null].map(v => ({
    what: `normalizedShape ${render(v)}`, owner: 'RMSNorm', arg: /'normalizedShape'/,
    expected: /a positive integer or a non-empty list of them/, got: /got /,
    run: () => layers.rmsNorm({normalizedShape: v as number}),
  })),
  ...[0, 2, -1e-6, 'a'].map(v => ({
    what: `eps ${render(v)}`, owner: 'RMSNorm', arg: /'eps'/,
    expected: /a number in the range \(0, 1\]/, got: new RegExp(`got ${escape(render(v))}\\.`),
    run: () => layers.rmsNorm({normalizedShape: 3, eps: v as number}),
  })),
  {what: 'an unknown key (epsilon for eps)', owner: 'RMSNorm', arg: /'args'/,
   expected: /among '?normalizedShape'?, '?eps/, got: /unknown key 'epsilon'/,
   run: () => layers.rmsNorm({normalizedShape: 3, epsilon: 1e-5} as never)},
  ...(['batchNorm1d', 'batchNorm2d', 'batchNorm3d'] as const).flatMap(f => {
    const owner = `Mint${f[0].toUpperCase()}${f.slice(1)}`;
    const make = (args: Record<string, unknown>) => () => mint[f]({numFeatures: 3, ...args} as never);
    return [
      ...[0, 1.5, 'a'].map(v => ({
        what: `numFeatures ${render(v)}`, owner, arg: /'numFeatures'/, expected: positiveInt,
        got: new RegExp(`got ${escape(render(v))}\\.`), run: make({numFeatures: v}),
      })),
      ...[1.5, -0.1, 'a', NaN].map(v => ({
        what: `momentum ${render(v)}`, owner, arg: /'momentum'/, expected: unit,
        got: new RegExp(`got ${escape(render(v))}\\.`), run: make({momentum: v}),
      })),
      {what: 'eps 0', owner, arg: /'eps'/, expected: positive, got: /got 0\./, run: make({eps: 0})},
      {what: 'affine \'yes\'', owner, arg: /'affine'/, expected: /true or false/, got: /got 'yes'/,
       run: make({affine: 'yes'})},
      {what: 'trackRunningStats 1', owner, arg: /'trackRunningStats'/, expected: /true or false/,
       got: /got 1\./, run: make({trackRunningStats: 1})},
      {what: 'nn\'s useBatchStatistics (not a mint argument)', owner, arg: /'args'/,
       expected: /among '?numFeatures'?, '?eps'?, '?momentum'?, '?affine'?, '?trackRunningStats/,
       got: /unknown key 'useBatchStatistics'/, run: make({useBatchStatistics: true})},
    ];
  }),
  {what: 'numChannels not divisible by numGroups', owner: 'MintGroupNorm', arg: /'numChannels'/,
   expected: /must be divisible by 'numGroups' \(4\)/, got: /\(6\)/,
   run: () => mint.groupNorm({numGroups: 4, numChannels: 6})},
  {what: 'numGroups 0', owner: 'MintGroupNorm', arg: /'numGroups'/, expected: positiveInt,
   got: /got 0\./, run: () => mint.groupNorm({numGroups: 0, numChannels: 6})},
  {what: 'nn\'s gammaInit (not a mint argument)', owner: 'MintGroupNorm', arg: /'args'/,
   expected: /among '?numGroups'?, '?numChannels'?, '?eps'?, '?affine/, got: /unknown key 'gammaInit'/,
   run: () => mint.groupNorm({numGroups: 2, numChannels: 4, gammaInit: 'ones'} as never)},
  {what: 'normalizedShape []', owner: 'MintLayerNorm', arg: /'normalizedShape'/,
   expected: /a positive integer or a non-empty list of them/, got: /got \[\]/,
   run: () => mint.layerNorm({normalizedShape: []})},
  {what: 'bias \'no\'', owner: 'MintLayerNorm', arg: /'bias'/, expected: /true or false/,
   got: /got 'no'/, run: () => mint.layerNorm({normalizedShape: 3, bias: 'no' as never})},
  {what: 'elementwiseAffine 0', owner: 'MintLayerNorm', arg: /'elementwiseAffine'/,
   expected: /true or false/, got: /got 0\./,
   run: () => mint.layerNorm({normalizedShape: 3, elementwiseAffine: 0 as never})},
  {what: 'eps -1', owner: 'MintLayerNorm', arg: /'eps'/, expected: positive, got: /got -1\./,
   run: () => mint.layerNorm({normalizedShape: 3, eps: -1})},
];

/** A layer built for `shape`, its weights held (they are the layer's, not a leak). */
function builtLayer<L extends tfl.layers.Layer>(layer: L, shape: Array<number|null>): L {
  layer.build(shape);
  layer.weights.forEach(w => hold(w.read()));
  return layer;
}

const mintApplyRows: BadCase[] = [
  {what: 'RMSNorm on input whose last dim differs', owner: 'RMSNorm', arg: /'normalizedShape'/,
   expected: /the input's last 1 dims must equal 'normalizedShape' \[3\]/,
   got: /got input shape \[2,4\]/,
   run: () => layers.rmsNorm({normalizedShape: 3}).apply(hold(tf.zeros([2, 4])))},
  {what: 'MintBatchNorm2d on rank-3 input', owner: 'MintBatchNorm2d', arg: /input/,
   expected: /expected input of rank 4 \(N, C, H, W\)/, got: /got input shape \[2,3,4\] \(rank 3\)/,
   run: () => mint.batchNorm2d({numFeatures: 3}).apply(hold(tf.zeros([2, 3, 4])))},
  {what: 'MintBatchNorm1d with the wrong channel count', owner: 'MintBatchNorm1d',
   arg: /'numFeatures'/, expected: /is 3/, got: /input has 4 channels on axis 1/,
   run: () => mint.batchNorm1d({numFeatures: 3}).apply(hold(tf.zeros([2, 4])))},
  {what: 'MintGroupNorm with the wrong channel count', owner: 'MintGroupNorm',
   arg: /'numChannels'/, expected: /is 4/, got: /input has 6 channels on axis 1/,
   run: () => mint.groupNorm({numGroups: 2, numChannels: 4}).apply(hold(tf.zeros([2, 6, 3])))},
  {what: 'MintBatchNorm1d training on one value per channel (as PyTorch)', owner: 'MintBatchNorm1d',
   arg: /input/, expected: /more than 1 value per channel when using batch statistics/,
   got: /got input shape \[1,3\]/,
   run: () => builtLayer(mint.batchNorm1d({numFeatures: 3}), [null, 3]).apply(hold(tf.zeros([1, 3])))},
  {what: 'MintBatchNorm2d without running statistics on one value per channel', owner: 'MintBatchNorm2d',
   arg: /input/, expected: /more than 1 value per channel/, got: /got input shape \[1,3,1,1\]/,
   run: () => builtLayer(mint.batchNorm2d({numFeatures: 3, trackRunningStats: false}), [null, 3, 1, 1])
                  .setTrain(false).apply(hold(tf.zeros([1, 3, 1, 1])))},
  {what: 'MintLayerNorm on input whose trailing dims differ', owner: 'MintLayerNorm',
   arg: /'normalizedShape'/, expected: /must equal 'normalizedShape' \[3,4\]/,
   got: /got input shape \[2,4,3\]/,
   run: () => mint.layerNorm({normalizedShape: [3, 4]}).apply(x243())},
];

const mintFunctionalRows: BadCase[] = [
  {what: 'layerNorm: normalizedShape not the trailing dims', owner: 'mint.functional.layerNorm',
   arg: /'normalizedShape'/, expected: /the trailing dims of the input's shape \[2,3\]/,
   got: /got \[2\]/, run: () => mint.functional.layerNorm(x23(), [2])},
  {what: 'layerNorm: normalizedShape 0', owner: 'mint.functional.layerNorm',
   arg: /'normalizedShape'/, expected: /a positive integer/, got: /got 0\./,
   run: () => mint.functional.layerNorm(x23(), 0)},
  {what: 'layerNorm: eps 0', owner: 'mint.functional.layerNorm', arg: /'eps'/, expected: positive,
   got: /got 0\./, run: () => mint.functional.layerNorm(x23(), 3, null, null, 0)},
  {what: 'layerNorm: weight of the wrong shape', owner: 'layerNorm', arg: /'gamma'/,
   expected: /shape \[3\]/, got: /got shape \[2\]/,
   run: () => mint.functional.layerNorm(x23(), 3, [1, 1])},
  {what: 'batchNorm: training \'yes\'', owner: 'batchNorm', arg: /'training'/,
   expected: /a boolean/, got: /got 'yes'/,
   run: () => mint.functional.batchNorm(x23(), m3(), v3(), null, null, 'yes' as never)},
  {what: 'batchNorm: momentum 2', owner: 'batchNorm', arg: /'momentum'/, expected: unit,
   got: /got 2\./, run: () => mint.functional.batchNorm(x23(), m3(), v3(), null, null, true, 2)},
  {what: 'groupNorm: numGroups not dividing C', owner: 'groupNorm', arg: /'numGroups'/,
   expected: /a divisor of the number of channels \(4\)/, got: /got 3\./,
   run: () => mint.functional.groupNorm(x243(), 3)},
  {what: 'normalize: p -1', owner: 'torchNormalize', arg: /'p'/, expected: /a number >= 0/,
   got: /got -1\./, run: () => mint.functional.normalize(x23(), -1)},
];

describe('RMSNorm and mint reject bad input with a full message and no leak', () => {
  for (const [title, rows] of [['rmsNorm', rmsRows], ['layer arguments', layerArgRows],
                               ['layers applied', mintApplyRows],
                               ['mint.functional', mintFunctionalRows]] as const) {
    describe(title, () => {
      for (const c of rows) {
        it(`${c.owner} rejects ${c.what}`, () => check(c));
      }
    });
  }
});
