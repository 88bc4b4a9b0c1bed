// SPDX-License-Identifier: Apache-2.0
// MindSpore RmsNorm over rows of M values (the last gamma.rank axes):
//   rstd = 1 / sqrt(mean(x^2) + eps), y = x * rstd * gamma
// and RmsNormGrad with the forward's rstd:
//   dx = rstd * dy * gamma - x * rstd^3 * sum(dy * gamma * x) / M,
//   dgamma = sum over rows of dy * x * rstd.
import {f32at, f64at, hi, lo, pack, splat} from './vec';
import {rowDot} from './rows';

export function rmsNorm(
    x: usize, gamma: usize, y: usize, rstd: usize, rows: i32, rowSize: i32, epsilon: f64): void {
  for (let r = 0; r < rows; r++) {
    const xs = f32at(x, r * rowSize);
    const ys = f32at(y, r * rowSize);
    const scale = 1 / Math.sqrt(rowDot(xs, xs, rowSize) / <f64>rowSize + epsilon);
    store<f32>(f32at(rstd, r), <f32>scale);
    const k = splat(scale);
    let i = 0;
    for (; i + 4 <= rowSize; i += 4) {
      const v = v128.load(f32at(xs, i));
      const g = v128.load(f32at(gamma, i));
      v128.store(f32at(ys, i), pack(f64x2.mul(f64x2.mul(lo(v), k), lo(g)),
                                    f64x2.mul(f64x2.mul(hi(v), k), hi(g))));
    }
    for (; i < rowSize; i++) {
      store<f32>(f32at(ys, i), <f32>(<f64>load<f32>(f32at(xs, i)) * scale *
                                     <f64>load<f32>(f32at(gamma, i))));
    }
  }
}

// scratch: rowSize float64 (dgamma's sums).
export function rmsNormGrad(
    dy: usize, x: usize, rstd: usize, gamma: usize, dx: usize, dgamma: usize, rows: i32,
    rowSize: i32, scratch: usize): void {
  memory.fill(scratch, 0, <usize>rowSize << 3);
  for (let r = 0; r < rows; r++) {
    const xs = f32at(x, r * rowSize);
    const ds = f32at(dy, r * rowSize);
    const s = <f64>load<f32>(f32at(rstd, r));
    const vs = splat(s);
    let dot0 = splat(0);
    let i = 0;
    for (; i + 2 <= rowSize; i += 2) {
      const dyx = f64x2.mul(f64x2.promote_low_f32x4(v128.load_zero<u64>(f32at(ds, i))),
                            f64x2.promote_low_f32x4(v128.load_zero<u64>(f32at(xs, i))));
      dot0 = f64x2.add(dot0, f64x2.mul(dyx, f64x2.promote_low_f32x4(v128.load_zero<u64>(f32at(gamma, i)))));
      const a = f64at(scratch, i);
      v128.store(a, f64x2.add(v128.load(a), f64x2.mul(dyx, vs)));
    }
    let dot = f64x2.extract_lane(dot0, 0) + f64x2.extract_lane(dot0, 1);
    for (; i < rowSize; i++) {
      const dyx = <f64>load<f32>(f32at(ds, i)) * <f64>load<f32>(f32at(xs, i));
      dot += dyx * <f64>load<f32>(f32at(gamma, i));
      const a = f64at(scratch, i);
      store<f64>(a, load<f64>(a) + dyx * s);
    }
    const k = s * s * s * dot / <f64>rowSize;
    const vk = splat(k);
    const out = f32at(dx, r * rowSize);
    i = 0;
    for (; i + 4 <= rowSize; i += 4) {
      const d = v128.load(f32at(ds, i));
      const v = v128.load(f32at(xs, i));
      const g = v128.load(f32at(gamma, i));
      const y0 = f64x2.sub(f64x2.mul(f64x2.mul(vs, lo(d)), lo(g)), f64x2.mul(lo(v), vk));
      const y1 = f64x2.sub(f64x2.mul(f64x2.mul(vs, hi(d)), hi(g)), f64x2.mul(hi(v), vk));
      v128.store(f32at(out, i), pack(y0, y1));
    }
    for (; i < rowSize; i++) {
      const y = s * <f64>load<f32>(f32at(ds, i)) * <f64>load<f32>(f32at(gamma, i)) -
          <f64>load<f32>(f32at(xs, i)) * k;
      store<f32>(f32at(out, i), <f32>y);
    }
  }
  for (let i = 0; i < rowSize; i++) {
    store<f32>(f32at(dgamma, i), <f32>load<f64>(f64at(scratch, i)));
  }
}
