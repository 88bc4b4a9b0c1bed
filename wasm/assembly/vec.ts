// SPDX-License-Identifier: Apache-2.0
// Moving float32 data in and out of float64 lanes: every kernel loads float32,
// computes in f64x2 (two lanes) and rounds to float32 once, when it stores.

/** Lanes 0 and 1 of four float32 values, as float64. */
@inline export function lo(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

/** Lanes 2 and 3 of four float32 values, as float64. */
@inline export function hi(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3));
}

/** Two f64x2 rounded to one f32x4: [a0, a1, b0, b1]. */
@inline export function pack(a: v128, b: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(a), f32x4.demote_f64x2_zero(b), 0, 1, 4, 5);
}

/** Two float32 at p, as float64 lanes. */
@inline export function load2(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load_zero<u64>(p));
}

/** Rounds two float64 lanes to float32 and stores them at p. */
@inline export function store2(p: usize, v: v128): void {
  v128.store_lane<u64>(p, f32x4.demote_f64x2_zero(v), 0);
}

@inline export function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

@inline export function splat(v: f64): v128 {
  return f64x2.splat(v);
}

/** Byte offset of float32 element i. */
@inline export function f32at(base: usize, i: i32): usize {
  return base + (<usize>i << 2);
}

/** Byte offset of float64 element i. */
@inline export function f64at(base: usize, i: i32): usize {
  return base + (<usize>i << 3);
}
