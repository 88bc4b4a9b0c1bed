// SPDX-License-Identifier: Apache-2.0
// LayerNorm and its gradient: `outer` blocks of `blockSize` values normalized
// together; gamma/beta repeat every `chunk` values (`chunks` per block) and
// block o reads them from paramOffset(o) (0 unless bpa < bna).
import {f32at, f64at, hi, lo, load2, pack, splat} from './vec';
import {pairMean0, pairMean1, pairSquaredDeviation0, pairSquaredDeviation1, rowPairMoments, rowSquaredDeviation, rowSum} from
    './rows';

@inline function paramOffset(o: i32, blockSize: i32, paramSize: i32): i32 {
  return <i32>((<u64>o * <u64>blockSize) % <u64>paramSize);
}

// y = (x - mean) / sqrt(var + eps) * gamma + beta; mean and biased var per
// block are written as float32 (mindspore.ops.LayerNorm's second and third
// outputs). scratch: 0, or 2 * paramSize float64 for gamma and beta promoted
// once per call (then the per-value loop reads float64 parameters).
export function layerNorm(
    x: usize, gamma: usize, beta: usize, y: usize, meanOut: usize, varOut: usize, outer: i32,
    blockSize: i32, chunk: i32, chunks: i32, paramSize: i32, epsilon: f64, scratch: usize): void {
  if (scratch != 0) {
    promote(gamma, scratch, paramSize);
    promote(beta, f64at(scratch, paramSize), paramSize);
  }
  let o = 0;
  for (; o + 2 <= outer; o += 2) {
    const xs = f32at(x, o * blockSize);
    rowPairMoments(xs, f32at(xs, blockSize), blockSize);
    const mean1 = pairMean1;
    const sq1 = pairSquaredDeviation1;
    layerNormBlock(x, gamma, beta, y, meanOut, varOut, o, blockSize, chunk, chunks, paramSize,
                   epsilon, scratch, pairMean0, pairSquaredDeviation0);
    layerNormBlock(x, gamma, beta, y, meanOut, varOut, o + 1, blockSize, chunk, chunks, paramSize,
                   epsilon, scratch, mean1, sq1);
  }
  if (o < outer) {
    const xs = f32at(x, o * blockSize);
    const mean = rowSum(xs, blockSize) / <f64>blockSize;
    layerNormBlock(x, gamma, beta, y, meanOut, varOut, o, blockSize, chunk, chunks, paramSize,
                   epsilon, scratch, mean, rowSquaredDeviation(xs, blockSize, mean));
  }
}

/** dst[i] = src[i] as float64, i < n. */
function promote(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    store<f64>(f64at(dst, i), <f64>load<f32>(f32at(src, i)));
  }
}

/** Block o's statistics and output, given its mean and sum of squared deviations. */
@inline function layerNormBlock(
    x: usize, gamma: usize, beta: usize, y: usize, meanOut: usize, varOut: usize, o: i32,
    blockSize: i32, chunk: i32, chunks: i32, paramSize: i32, epsilon: f64, scratch: usize,
    mean: f64, squaredDeviation: f64): void {
  const v = squaredDeviation / <f64>blockSize;
  store<f32>(f32at(meanOut, o), <f32>mean);
  store<f32>(f32at(varOut, o), <f32>v);
  if (chunks == 0) return;
  const rstd = 1 / Math.sqrt(v + epsilon);
  const p0 = blockSize == paramSize ? 0 : paramOffset(o, blockSize, paramSize);
  const start = o * blockSize;
  for (let c = 0; c < chunks; c++) {
    const e = start + c * chunk;
    if (scratch != 0) {
      normalizeChunk<f64>(f32at(x, e), f32at(y, e), chunk, mean, rstd, f64at(scratch, p0),
                          f64at(scratch, paramSize + p0));
    } else {
      normalizeChunk<f32>(f32at(x, e), f32at(y, e), chunk, mean, rstd, f32at(gamma, p0),
                          f32at(beta, p0));
    }
  }
}

/** Parameters i and i + 1 of an array of T (float32 or float64), as float64 lanes. */
@inline function paramPair<T>(base: usize, i: i32): v128 {
  if (sizeof<T>() == 8) return v128.load(base + (<usize>i << 3));
  return load2(f32at(base, i));
}

/** y[i] = (x[i] - mean) * rstd * gamma[i] + beta[i], i < n; gamma and beta of type T. */
function normalizeChunk<T>(
    x: usize, y: usize, n: i32, mean: f64, rstd: f64, gamma: usize, beta: usize): void {
  const m = splat(mean);
  const r = splat(rstd);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(f32at(x, i));
    const y0 = f64x2.add(f64x2.mul(f64x2.mul(f64x2.sub(lo(v), m), r), paramPair<T>(gamma, i)),
                         paramPair<T>(beta, i));
    const y1 = f64x2.add(f64x2.mul(f64x2.mul(f64x2.sub(hi(v), m), r), paramPair<T>(gamma, i + 2)),
                         paramPair<T>(beta, i + 2));
    v128.store(f32at(y, i), pack(y0, y1));
  }
  for (; i < n; i++) {
    const v = <f64>load<f32>(f32at(x, i));
    const g = <f64>load<T>(gamma + (<usize>i * sizeof<T>()));
    const b = <f64>load<T>(beta + (<usize>i * sizeof<T>()));
    store<f32>(f32at(y, i), <f32>((v - mean) * rstd * g + b));
  }
}

// Backward per block of M values, g = dy * gamma, xhat = (x - mean) * rstd:
//   dx = rstd * (g - mean(g) - xhat * mean(g * xhat)) + dmean / M + dvar * 2 (x - mean) / M
//   dgamma = sum(dy * xhat), dbeta = sum(dy) over the axes gamma lacks.
// dmean/dvar are read only when hasDmean/hasDvar; scratch: 2 * paramSize float64.
export function layerNormGrad(
    x: usize, gamma: usize, dy: usize, dmean: usize, hasDmean: bool, dvar: usize, hasDvar: bool,
    dx: usize, dgamma: usize, dbeta: usize, outer: i32, blockSize: i32, chunk: i32, chunks: i32,
    paramSize: i32, epsilon: f64, scratch: usize): void {
  const accGamma = scratch;
  const accBeta = f64at(scratch, paramSize);
  memory.fill(scratch, 0, <usize>(2 * paramSize) << 3);
  for (let o = 0; o < outer && chunks > 0; o++) {
    const start = o * blockSize;
    const xs = f32at(x, start);
    const mean = rowSum(xs, blockSize) / <f64>blockSize;
    const rstd = 1 / Math.sqrt(rowSquaredDeviation(xs, blockSize, mean) / <f64>blockSize + epsilon);
    const p0 = paramOffset(o, blockSize, paramSize);
    let sumG: f64 = 0;
    let sumGXhat: f64 = 0;
    for (let c = 0; c < chunks; c++) {
      const e = start + c * chunk;
      sumG += chunkSums(f32at(x, e), f32at(dy, e), f32at(gamma, p0), chunk, mean, rstd,
                        f64at(accGamma, p0), f64at(accBeta, p0));
      sumGXhat += chunkSecond;
    }
    const meanG = sumG / <f64>blockSize;
    const meanGXhat = sumGXhat / <f64>blockSize;
    const viaMean = hasDmean ? <f64>load<f32>(f32at(dmean, o)) / <f64>blockSize : 0;
    const viaVar = hasDvar ? 2 * <f64>load<f32>(f32at(dvar, o)) / <f64>blockSize : 0;
    for (let c = 0; c < chunks; c++) {
      const e = start + c * chunk;
      dxChunk(f32at(x, e), f32at(dy, e), f32at(gamma, p0), f32at(dx, e), chunk, mean, rstd,
              meanG, meanGXhat, viaMean, viaVar);
    }
  }
  for (let p = 0; p < paramSize; p++) {
    store<f32>(f32at(dgamma, p), <f32>load<f64>(f64at(accGamma, p)));
    store<f32>(f32at(dbeta, p), <f32>load<f64>(f64at(accBeta, p)));
  }
}

let chunkSecond: f64 = 0;

/**
 * Returns sum(dy * gamma) over one chunk and leaves sum(dy * gamma * xhat) in
 * chunkSecond; adds dy * xhat to accGamma[i] and dy to accBeta[i].
 */
function chunkSums(
    x: usize, dy: usize, gamma: usize, n: i32, mean: f64, rstd: f64, accGamma: usize,
    accBeta: usize): f64 {
  const m = splat(mean);
  const r = splat(rstd);
  let g0 = splat(0);
  let h0 = splat(0);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const d = f64x2.promote_low_f32x4(v128.load_zero<u64>(f32at(dy, i)));
    const v = f64x2.promote_low_f32x4(v128.load_zero<u64>(f32at(x, i)));
    const gm = f64x2.promote_low_f32x4(v128.load_zero<u64>(f32at(gamma, i)));
    const xhat = f64x2.mul(f64x2.sub(v, m), r);
    const t = f64x2.mul(d, gm);
    g0 = f64x2.add(g0, t);
    h0 = f64x2.add(h0, f64x2.mul(t, xhat));
    const pg = f64at(accGamma, i);
    const pb = f64at(accBeta, i);
    v128.store(pg, f64x2.add(v128.load(pg), f64x2.mul(d, xhat)));
    v128.store(pb, f64x2.add(v128.load(pb), d));
  }
  let sg = f64x2.extract_lane(g0, 0) + f64x2.extract_lane(g0, 1);
  let sh = f64x2.extract_lane(h0, 0) + f64x2.extract_lane(h0, 1);
  for (; i < n; i++) {
    const d = <f64>load<f32>(f32at(dy, i));
    const xhat = (<f64>load<f32>(f32at(x, i)) - mean) * rstd;
    const t = d * <f64>load<f32>(f32at(gamma, i));
    sg += t;
    sh += t * xhat;
    const pg = f64at(accGamma, i);
    const pb = f64at(accBeta, i);
    store<f64>(pg, load<f64>(pg) + d * xhat);
    store<f64>(pb, load<f64>(pb) + d);
  }
  chunkSecond = sh;
  return sg;
}

/** dx over one chunk (the formula above). */
function dxChunk(
    x: usize, dy: usize, gamma: usize, dx: usize, n: i32, mean: f64, rstd: f64, meanG: f64,
    meanGXhat: f64, viaMean: f64, viaVar: f64): void {
  const kk = rstd * meanGXhat;
  const m = splat(mean);
  const r = splat(rstd);
  const mg = splat(meanG);
  const k = splat(kk);
  const vm = splat(viaMean);
  const vv = splat(viaVar);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(f32at(x, i));
    const d = v128.load(f32at(dy, i));
    const g = v128.load(f32at(gamma, i));
    const c0 = f64x2.sub(lo(v), m);
    const c1 = f64x2.sub(hi(v), m);
    const y0 = f64x2.add(f64x2.add(f64x2.mul(r, f64x2.sub(f64x2.sub(f64x2.mul(lo(d), lo(g)), mg),
                                                          f64x2.mul(c0, k))), vm), f64x2.mul(vv, c0));
    const y1 = f64x2.add(f64x2.add(f64x2.mul(r, f64x2.sub(f64x2.sub(f64x2.mul(hi(d), hi(g)), mg),
                                                          f64x2.mul(c1, k))), vm), f64x2.mul(vv, c1));
    v128.store(f32at(dx, i), pack(y0, y1));
  }
  for (; i < n; i++) {
    const c = <f64>load<f32>(f32at(x, i)) - mean;
    const g = <f64>load<f32>(f32at(dy, i)) * <f64>load<f32>(f32at(gamma, i));
    store<f32>(f32at(dx, i), <f32>(rstd * (g - meanG - c * kk) + viaMean + viaVar * c));
  }
}
