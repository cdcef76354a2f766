// Strided views: reshapes, transposes and slices of a buffer composed into one set of strides,
// checked against the element order computed by hand (and by walking every element).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  contiguousView,
  operandReading,
  reshapeView,
  sliceView,
  transposeView,
  type StridedView,
} from "../../../runtime/src/codegen/stridedView.js";

/** The buffer index of every element of the view, in row-major order of the view. */
function indices(v: StridedView): number[] {
  const out: number[] = [];
  const walk = (k: number, at: number) => {
    if (k === v.shape.length) return void out.push(at);
    for (let i = 0; i < v.shape[k]!; i++) walk(k + 1, at + i * v.strides[k]!);
  };
  walk(0, v.offset);
  return out;
}

test("a head split [2,4,12] → [2,4,3,4] → transpose [0,2,1,3] has strides [48, 4, 12, 1]", () => {
  const split = reshapeView(contiguousView([2, 4, 12]), [2, 4, 3, 4])!;
  const heads = transposeView(split, [0, 2, 1, 3]);
  assert.deepEqual(heads.strides, [48, 4, 12, 1]);
  assert.deepEqual(heads.shape, [2, 3, 4, 4]);
  // Head 1 of batch 0, row 2: elements 2·12 + 4 .. + 3.
  assert.deepEqual(indices(heads).slice((1 * 4 + 2) * 4, (1 * 4 + 2) * 4 + 4), [28, 29, 30, 31]);
  assert.equal(operandReading(heads, 96), "rows");
});

test("merging a transposed pair of axes back is not a view: [2,3,4,4] with strides [48,4,12,1] → [2,4,12] is null", () => {
  const heads = transposeView(reshapeView(contiguousView([2, 4, 12]), [2, 4, 3, 4])!, [0, 2, 1, 3]);
  assert.equal(reshapeView(heads, [2, 4, 12]), null);
  // Splitting and merging axes that stay one stride apart is: [2,3,4,4] → [6,16] of the same.
  const same = reshapeView(contiguousView([2, 3, 4, 4]), [6, 16])!;
  assert.deepEqual(same.strides, [16, 1]);
});

test("a flattened activation transposed: [2,8,4] → [16,4] → [4,16] reads swapped, strides [1, 4]", () => {
  const v = transposeView(reshapeView(contiguousView([2, 8, 4]), [16, 4])!, [1, 0]);
  assert.deepEqual(v.strides, [1, 4]);
  assert.equal(operandReading(v, 64), "swapped");
  assert.deepEqual(indices(v).slice(0, 5), [0, 4, 8, 12, 16]);
});

test("slices move the offset and scale the strides: columns 4:8 of [3,12] start at 4, every other row doubles the row stride", () => {
  const cols = sliceView(contiguousView([3, 12]), { starts: [0, 4], limits: [3, 8], strides: [1, 1] });
  assert.deepEqual([cols.shape, cols.strides, cols.offset], [[3, 4], [12, 1], 4]);
  assert.deepEqual(indices(cols), [4, 5, 6, 7, 16, 17, 18, 19, 28, 29, 30, 31]);
  const rows = sliceView(contiguousView([6, 4]), { starts: [1, 0], limits: [6, 4], strides: [2, 1] });
  assert.deepEqual([rows.shape, rows.strides, rows.offset], [[3, 4], [8, 1], 4]);
  assert.equal(operandReading(rows, 24), "rows");
});

test("axes of size 1 reshape freely; views not in whole vec4s are not read as rows: offset 2 or a row stride of 6", () => {
  const v = reshapeView(contiguousView([5]), [5, 1])!;
  assert.deepEqual(v.shape, [5, 1]);
  assert.equal(operandReading(v, 5), "contiguous");
  const odd = sliceView(contiguousView([4, 8]), { starts: [0, 2], limits: [4, 6], strides: [1, 1] });
  assert.equal(operandReading(odd, 32), null);
  const six = transposeView(reshapeView(contiguousView([2, 12]), [2, 2, 6])!, [1, 0, 2]);
  assert.equal(operandReading(six, 24), null);
});
