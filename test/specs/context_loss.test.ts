// SPDX-License-Identifier: Apache-2.0
/**
 * After the WebGL context is lost, tfjs's webgl backend silently returns
 * zeros from dataSync() (and data() never resolves). The package's kernels
 * check gl.isContextLost() and throw instead. This file loses its page's
 * context on purpose, so no other spec shares its browser.
 */
import * as kernelNames from '../../src/kernel_names';
import {l2NormalizeRef} from '../test_util';

import {describeEachBackend, spec} from '../backends/backend_under_test';

const KERNELS: string[] = (Object.values(kernelNames) as unknown[]).filter(
    (v): v is string => typeof v === 'string' && v.startsWith('Ms'));

describeEachBackend('webgl kernels after the WebGL context is lost', b => {
  it('compute before the loss and throw a clear error after it, for every kernel', async () => {
    const values = [3, 4, 1, 2, 2, 1];
    const [y] = await b.runOp({op: 'l2Normalize', args: [{tensor: spec(values, [2, 3])}, 1, 1e-4]});
    const round = (v: ArrayLike<number>) => Array.from(v, x => Number(x.toFixed(5)));
    expect(round(y.values)).toEqual(round(l2NormalizeRef(values, [2, 3], [1], 1e-4)));

    const after = await b.evaluate((h, names) => {
      const {tf, ms} = h;
      const backend = tf.backend() as unknown as {gpgpu: {gl: WebGL2RenderingContext}};
      backend.gpgpu.gl.getExtension('WEBGL_lose_context')!.loseContext();
      const messageOf = (fn: () => unknown) => {
        try {
          fn();
          return 'no error';
        } catch (e) {
          return (e as Error).message;
        }
      };
      const x = tf.tensor([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]);
      const ops = {
        l2Normalize: messageOf(() => ms.l2Normalize(x, 1).dataSync()),
        batchNorm: messageOf(() => ms.batchNorm(x, [0, 0], [1, 1]).y.dataSync()),
        lrnGrad: messageOf(() => tf.grad((t: typeof x) => ms.lrn(t, 1))(x).dataSync()),
      };
      // Every registered webgl kernel, called directly: the check comes before any input is read.
      const kernels = names.map(name => messageOf(() => tf.getKernel(name, 'webgl')!.kernelFunc(
          {inputs: {}, attrs: {}, backend: tf.backend()})));
      return {ops, kernels};
    }, KERNELS);
    const lost = /\(webgl\): the WebGL context must be live, but it was lost \(gl.isContextLost\(\) is true\)/;
    expect(after.ops.l2Normalize).toMatch(new RegExp(`^MsL2Normalize ${lost.source}`));
    expect(after.ops.batchNorm).toMatch(new RegExp(`^MsBatchNormInference ${lost.source}`));
    // The forward kernel fails first: the gradient never runs on a lost context.
    expect(after.ops.lrnGrad).toMatch(new RegExp(`^MsLRN ${lost.source}`));
    expect(KERNELS.length).toBeGreaterThanOrEqual(13);
    after.kernels.forEach(
        (message, i) => expect(message).toMatch(new RegExp(`^${KERNELS[i]} ${lost.source}`)));
  }, 120000);
}, b => b.backend === 'webgl');
