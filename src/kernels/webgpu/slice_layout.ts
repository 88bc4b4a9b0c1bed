// SPDX-License-Identifier: Apache-2.0
import {sizeOf} from './webgpu_util';

/**
 * Where the slices of a reduction lie in a flat row-major buffer: `shape` (a
 * reduce view, see ../webgl/reduce_view.ts) and its sorted reduced `axes`.
 * Slice `slot` (row-major over the kept axes) holds `length` values, element
 * `r` of it row-major over the reduced axes.
 */
export class SliceLayout {
  readonly slices: number;
  readonly length: number;
  /** The slices are consecutive runs of the buffer (the reduced axes are the innermost). */
  readonly contiguous: boolean;
  private readonly kept: number[];

  constructor(readonly shape: number[], readonly axes: number[]) {
    this.kept = shape.map((_, i) => i).filter(i => !axes.includes(i));
    this.slices = sizeOf(this.kept.map(k => shape[k]));
    this.length = sizeOf(axes.map(a => shape[a]));
    this.contiguous = this.kept.every(k => this.axes.every(a => k < a));
  }

  /** Identifies the layout in a shader key. */
  get key(): string {
    return `${this.shape.join('x')}r${this.axes.join('.')}`;
  }

  /** WGSL `fn elementIndex(slot: i32, r: i32) -> i32`: the flat index of element r of a slice. */
  elementIndexFn(): string {
    if (this.contiguous) {
      return `fn elementIndex(slot : i32, r : i32) -> i32 { return slot * ${this.length} + r; }`;
    }
    const strides = rowMajorStrides(this.shape);
    const terms = [
      ...decompose('slot', this.kept.map(k => this.shape[k]))
          .map((c, j) => `(${c}) * ${strides[this.kept[j]]}`),
      ...decompose('r', this.axes.map(a => this.shape[a]))
          .map((c, j) => `(${c}) * ${strides[this.axes[j]]}`),
    ];
    return `fn elementIndex(slot : i32, r : i32) -> i32 { return ${terms.join(' + ')}; }`;
  }

  /** WGSL `fn slotOf(i: i32) -> i32`: the slice of flat element i. */
  slotOfFn(): string {
    if (this.contiguous) {
      return `fn slotOf(i : i32) -> i32 { return i / ${this.length}; }`;
    }
    const coords = decompose('i', this.shape);
    const keptShape = this.kept.map(k => this.shape[k]);
    const keptStrides = rowMajorStrides(keptShape);
    const terms = this.kept.map((k, j) => `(${coords[k]}) * ${keptStrides[j]}`);
    return `fn slotOf(i : i32) -> i32 { return ${terms.length > 0 ? terms.join(' + ') : '0'}; }`;
  }
}

function rowMajorStrides(shape: number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) {
    strides[i] = strides[i + 1] * shape[i + 1];
  }
  return strides;
}

/** WGSL expressions for the row-major coordinates of the flat index `v` over `shape`. */
function decompose(v: string, shape: number[]): string[] {
  const strides = rowMajorStrides(shape);
  return shape.map((size, j) => {
    const outer = strides[j] === 1 ? v : `(${v} / ${strides[j]})`;
    return j === 0 ? outer : `${outer} % ${size}`;
  });
}
