// A gather that picks whole runs of its operand's trailing axes (rows by row number, as the
// Jacobi rounds of eigh and svd read each row's partner) is indexed flat in elementwise kernels:
// on vec4 where a run is a multiple of 4, one element a thread otherwise, instead of nd
// coordinates. Every result is compared with the CPU reference, indices out of range (which read
// 0) included.

import { test } from "node:test";
import assert from "node:assert/strict";
import { lowerGroup } from "../../../runtime/src/codegen/lowerGroup.js";
import { flatWidth } from "../../../runtime/src/codegen/lowerElementwise.js";
import { flatAccess } from "../../../runtime/src/codegen/flatAccess.js";
import { cpuRunGroup, Builder, gpuOrSkip, i32, noise, runGroup, type HostData } from "./harness.js";

interface Case {
  name: string;
  xShape: number[];
  axis: number;
  idx: number[];
  idxShape: number[];
  /** Multiply the gathered value by a second input of the output's shape. */
  scaled: boolean;
  width: 0 | 1 | 4;
}

const cases: Case[] = [
  {
    name: "rows of [6, 8] by 5 row numbers, one out of range",
    xShape: [6, 8],
    axis: 0,
    idx: [5, 0, 6, 2, 2],
    idxShape: [5],
    scaled: false,
    width: 4,
  },
  {
    name: "rows of [6, 8] times y, a negative index reading 0",
    xShape: [6, 8],
    axis: 0,
    idx: [1, -1, 3],
    idxShape: [3],
    scaled: true,
    width: 4,
  },
  {
    name: "rows of [5, 6] (runs of 6: not a multiple of 4)",
    xShape: [5, 6],
    axis: 0,
    idx: [4, 3, 0, 1],
    idxShape: [4],
    scaled: true,
    width: 1,
  },
  {
    name: "axis 1 of [2, 5, 8] (leading axis kept)",
    xShape: [2, 5, 8],
    axis: 1,
    idx: [4, 0, 2],
    idxShape: [3],
    scaled: true,
    width: 4,
  },
  {
    name: "axis 0 of [5, 4] by a [2, 3] index",
    xShape: [5, 4],
    axis: 0,
    idx: [0, 4, 1, 3, 3, 2],
    idxShape: [2, 3],
    scaled: false,
    width: 4,
  },
  {
    name: "the last axis of [3, 7] (runs of 1)",
    xShape: [3, 7],
    axis: 1,
    idx: [6, 0, 3, 9],
    idxShape: [4],
    scaled: true,
    width: 1,
  },
];

function gatherGroup(c: Case) {
  const B = new Builder();
  const x = B.input(c.xShape);
  const idx = B.input(c.idxShape, "int32");
  const outShape = [...c.xShape.slice(0, c.axis), ...c.idxShape, ...c.xShape.slice(c.axis + 1)];
  const g = B.op("gather", [x, idx], { axis: c.axis }, { shape: outShape, dtype: "float32" });
  if (!c.scaled) return { group: B.group("elementwise", [x, idx], [g]), outShape };
  const y = B.input(outShape);
  const out = B.op("mul", [g, y], {}, { shape: outShape, dtype: "float32" });
  return { group: B.group("elementwise", [x, idx, y], [out]), outShape };
}

test("a gather of a gather of a bias-added value (runs of 2) matches the CPU reference: the composed index is one expression", async (t) => {
  // [1, 2] → rows [0, 0, 0] → + b[2] → rows [2, 0, 2]: the outer gather's index reaches the bias's
  // "index % 2" whole (a bare "a * 2 + e % 2 % 2" once read the wrong element).
  const B = new Builder();
  const x = B.input([1, 2]);
  const i1 = B.input([3], "int32");
  const bias = B.input([2]);
  const i2 = B.input([3], "int32");
  const f = (shape: number[]) => ({ shape, dtype: "float32" as const });
  const g1 = B.op("gather", [x, i1], { axis: 0 }, f([3, 2]));
  const bb = B.op("broadcast", [bias], { shape: [3, 2], dims: [1] }, f([3, 2]));
  const added = B.op("add", [g1, bb], {}, f([3, 2]));
  const g2 = B.op("gather", [added, i2], { axis: 0 }, f([3, 2]));
  const group = B.group("elementwise", [x, i1, bias, i2], [g2]);
  assert.equal(flatWidth(group), 1);
  const b = await gpuOrSkip(t);
  if (!b) return;
  const data: HostData[] = [new Float32Array([1, 2]), i32([0, 0, 0]), new Float32Array([0.5, -1]), i32([2, 0, 2])];
  assert.deepEqual(cpuRunGroup(group, data)[0], [1.5, 1, 1.5, 1, 1.5, 1]);
  assert.deepEqual((await runGroup(b, group, data))[0], [1.5, 1, 1.5, 1, 1.5, 1]);
});

test("a reduction's prologue is not handed a gather: flatAccess counts gathers only when asked (elementwise kernels)", () => {
  // Row kernels keep values in registers by their own position (a row cache, the row's
  // reductions); a gather in their prologue once read the cached vec4 for another row's element.
  const { group } = gatherGroup(cases[0]!);
  const n = 5 * 8;
  assert.equal(flatAccess(group.eqns, group.inputs, group.outputs, n).width, 0);
  assert.equal(flatAccess(group.eqns, group.inputs, group.outputs, n, true).width, 4);
});

for (const c of cases) {
  test(`gather, ${c.name}: indexed flat at width ${c.width}, equal to the CPU reference`, async (t) => {
    const { group, outShape } = gatherGroup(c);
    assert.equal(flatWidth(group), c.width);
    const spec = lowerGroup(group);
    if (c.width === 4) assert.match(spec.wgsl, /in0: array<vec4<f32>>/);
    const b = await gpuOrSkip(t);
    if (!b) return;
    const size = (s: number[]) => s.reduce((a, d) => a * d, 1);
    const data: HostData[] = [noise(size(c.xShape), 3), i32(c.idx)];
    if (c.scaled) data.push(noise(size(outShape), 7));
    const want = cpuRunGroup(group, data)[0]!;
    const got = (await runGroup(b, group, data, spec))[0]!;
    assert.deepEqual(got, want);
    // An index out of range reads 0, as the CPU reference does: its run is all zeros (±0 once
    // scaled by y).
    const run = size(c.xShape.slice(c.axis + 1));
    const bad = c.idx.findIndex((i) => i < 0 || i >= c.xShape[c.axis]!);
    if (bad >= 0 && c.axis === 0)
      assert.deepEqual(got.slice(bad * run, (bad + 1) * run).map(Math.abs), new Array<number>(run).fill(0));
  });
}
