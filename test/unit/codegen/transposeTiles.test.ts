// The tiled layout kernel for x.T (codegen/lowerTranspose.ts): a swap of an input's last two
// axes moves 4×4 blocks with vec4 loads and stores when both axes are multiples of 4, batched or
// not, for float32, int32 and bool; every other transpose keeps the per-element layout kernel.
// Every result compared exactly with the CPU reference.

import { test } from "node:test";
import assert from "node:assert/strict";
import { lowerGroup } from "../../../runtime/src/codegen/lowerGroup.js";
import { tiledTranspose } from "../../../runtime/src/codegen/lowerTranspose.js";
import type { DType } from "../../../runtime/src/ir/types.js";
import { Builder, cpuRunGroup, gpuOrSkip, noise, runGroup, type HostData } from "./harness.js";

function transposeGroup(shape: number[], perm: number[], dtype: DType = "float32") {
  const B = new Builder();
  const x = B.input(shape, dtype);
  const y = B.op("transpose", [x], { perm }, { shape: perm.map((p) => shape[p]!), dtype });
  return B.group("layout", [x], [y]);
}

function data(n: number, dtype: DType): HostData {
  if (dtype === "float32") return noise(n, 7);
  if (dtype === "int32") return Int32Array.from({ length: n }, (_, i) => ((i * 7919) % 2001) - 1000);
  return Uint8Array.from({ length: n }, (_, i) => ((i * 31) % 3 === 0 ? 1 : 0));
}

const tiled: [string, number[], number[], DType][] = [
  ["4×4", [4, 4], [1, 0], "float32"],
  ["128×784 (the MLP's x, for xᵀ @ dh)", [128, 784], [1, 0], "float32"],
  ["784×256 (the MLP's w1, for dh @ w1ᵀ)", [784, 256], [1, 0], "float32"],
  ["36×260 (partial workgroups on both axes)", [36, 260], [1, 0], "float32"],
  ["batched [3, 2] × 8×12", [3, 2, 8, 12], [0, 1, 3, 2], "float32"],
  ["int32 20×8", [20, 8], [1, 0], "int32"],
  ["bool [2] × 12×4", [2, 12, 4], [0, 2, 1], "bool"],
];

test("a swap of the last two axes, both multiples of 4, moves 4×4 vec4 blocks and matches the CPU reference exactly", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  for (const [what, shape, perm, dtype] of tiled) {
    const g = transposeGroup(shape, perm, dtype);
    assert.ok(tiledTranspose(g), `${what}: tiled`);
    const spec = lowerGroup(g);
    assert.match(spec.plan, /in 4×4 blocks/, what);
    assert.match(spec.wgsl, /in0: array<vec4<(f32|i32|u32)>>/, what);
    const [r, c] = shape.slice(-2) as [number, number];
    const batch = shape.slice(0, -2).reduce((a, x) => a * x, 1);
    assert.deepEqual(spec.dispatch, [Math.ceil(c / 4 / 8), Math.ceil(r / 4 / 8), batch], `${what}: dispatch`);
    const n = shape.reduce((a, x) => a * x, 1);
    assert.equal(spec.bytesRead, n * 4, `${what}: bytes read`);
    const ins = [data(n, dtype)];
    assert.deepEqual(await runGroup(b, g, ins, spec), cpuRunGroup(g, ins), what);
  }
});

const generic: [string, number[], number[]][] = [
  ["1×1", [1, 1], [1, 0]],
  ["3×5 (not multiples of 4)", [3, 5], [1, 0]],
  ["8×6 (columns not a multiple of 4)", [8, 6], [1, 0]],
  ["[4, 8, 12] perm [1, 0, 2] (leading axes)", [4, 8, 12], [1, 0, 2]],
  ["[4, 8, 12] perm [2, 1, 0] (a full reversal)", [4, 8, 12], [2, 1, 0]],
];

test("other transposes (odd sizes, other axes) keep the per-element layout kernel and match the CPU reference", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  for (const [what, shape, perm] of generic) {
    const g = transposeGroup(shape, perm);
    assert.equal(tiledTranspose(g), null, `${what}: not tiled`);
    const spec = lowerGroup(g);
    assert.doesNotMatch(spec.plan, /4×4 blocks/, what);
    const ins = [
      data(
        shape.reduce((a, x) => a * x, 1),
        "float32",
      ),
    ];
    assert.deepEqual(await runGroup(b, g, ins, spec), cpuRunGroup(g, ins), what);
  }
});

test("a transpose fused with elementwise work is not the tiled kernel (the group holds more than the swap)", () => {
  const B = new Builder();
  const x = B.input([8, 8]);
  const y = B.op("transpose", [x], { perm: [1, 0] }, x.aval);
  const z = B.op("tanh", [y], {}, x.aval);
  assert.equal(tiledTranspose(B.group("layout", [x], [z])), null);
});
