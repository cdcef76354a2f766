// Zero-size arrays under jit on WebGPU: a kernel that moves the elements of an array with a
// zero-size axis (transpose, flip, rot90, a reshape through a transpose) addresses no element, but
// its WGSL must still be valid: unravel once divided by the 0 axis's stride ("i % 0"), which Dawn
// refuses. Each case is compared with the CPU reference's shape (and values where there are any).
import { test } from "node:test";
import assert from "node:assert/strict";
import { jit } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { unravel } from "../../../runtime/src/codegen/indexing.js";
import { onBackend, webgpuOrSkip } from "../ops/harness.js";

test("unravel of a shape with a zero-size axis gives constant 0 coordinates, with no division by 0", () => {
  assert.deepEqual(unravel("i", [2, 0, 3]), ["0", "0", "0"]);
  assert.deepEqual(unravel("i", [0]), ["0"]);
  assert.deepEqual(unravel("i", [4, 3]), ["(i / 3)", "(i % 3)"]);
});

const cases: readonly { name: string; shapes: number[][]; f: (...xs: Tracer[]) => Tracer }[] = [
  { name: "transpose of [0, 3]", shapes: [[0, 3]], f: (x) => np.transpose(x) },
  { name: "transpose of [2, 0, 3] by (2, 0, 1)", shapes: [[2, 0, 3]], f: (x) => np.transpose(x, [2, 0, 1]) },
  { name: "flip of [3, 0] along 0", shapes: [[3, 0]], f: (x) => np.flip(x, 0) },
  { name: "rot90 of [0, 4] plus 1", shapes: [[0, 4]], f: (x) => np.add(np.rot90(x), 1) },
  {
    name: "swapaxes then reshape of [2, 0, 5] to [5, 0]",
    shapes: [[2, 0, 5]],
    f: (x) => np.reshape(np.swapaxes(x, 0, 2), [5, 0]),
  },
  {
    name: "concatenate of a transposed [3, 0] with a [2, 3]: the [2, 3] itself",
    shapes: [
      [3, 0],
      [2, 3],
    ],
    f: (e, y) => np.concatenate([np.transpose(e), y], 0),
  },
];

for (const c of cases) {
  test(`jit on WebGPU: ${c.name} compiles and has the CPU reference's shape and values`, async (t) => {
    if (!(await webgpuOrSkip(t))) return;
    const inputs = () => c.shapes.map((s, k) => np.add(np.reshape(np.arange(s.reduce((a, b) => a * b, 1)), s), k));
    const want = onBackend("cpu", () => c.f(...inputs()));
    const got = onBackend("webgpu", () => jit(c.f)(...inputs()) as Tracer);
    assert.deepEqual(got.shape, want.shape);
    assert.deepEqual(Array.from(await got.data()), Array.from(await want.data()));
  });
}
