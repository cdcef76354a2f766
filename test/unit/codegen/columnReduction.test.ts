// Column reductions (the reduced axes lead: a bias gradient's sum over the batch): a thread per
// output column, its rows split into strips combined in shared memory where one loop would be
// long, or a workgroup per output for a few long columns (codegen/lowerReduction.ts). Which
// layout each adapter gets by default, and every layout and workgroup width against the CPU
// reference: prologue and epilogue, several leading axes, ragged column counts, NaN, and
// argmax/argmin ties in different strips.

import { test } from "node:test";
import assert from "node:assert/strict";
import { lowerGroup } from "../../../runtime/src/codegen/lowerGroup.js";
import { lowerReduction } from "../../../runtime/src/codegen/lowerReduction.js";
import { OUTPUT_THREADS } from "../../../runtime/src/codegen/reductionConfig.js";
import { forceSoftwareAdapter } from "../../../runtime/src/codegen/subgroupSupport.js";
import type { FusionGroup } from "../../../runtime/src/codegen/kernelPlan.js";
import type { DType } from "../../../runtime/src/ir/types.js";
import { assertClose, Builder, cpuRunGroup, gpuOrSkip, noise, runGroup } from "./harness.js";

/** `prim` over the leading `lead` axes of `shape`; a sum gets exp() before it and ×0.5 after. */
function columnGroup(
  prim: "reduce_sum" | "reduce_max" | "reduce_min" | "argmax" | "argmin",
  shape: number[],
  lead = 1,
) {
  const B = new Builder();
  const x = B.input(shape);
  const outShape = shape.slice(lead);
  if (prim === "argmax" || prim === "argmin") {
    const i = B.op(prim, [x], { axis: 0 }, { shape: outShape, dtype: "int32" as DType });
    return B.group("reduction", [x], [i]);
  }
  const axes = shape.slice(0, lead).map((_, i) => i);
  if (prim !== "reduce_sum") {
    return B.group("reduction", [x], [B.op(prim, [x], { axes }, { shape: outShape, dtype: "float32" })]);
  }
  const e = B.op("exp", [x], {}, { shape, dtype: "float32" });
  const s = B.op("reduce_sum", [e], { axes }, { shape: outShape, dtype: "float32" });
  return B.group("reduction", [x], [B.op("mul", [s, B.lit(0.5)], {}, { shape: outShape, dtype: "float32" })]);
}

function lowered(g: FusionGroup, software: boolean) {
  const was = forceSoftwareAdapter(software);
  try {
    return lowerGroup(g);
  } finally {
    forceSoftwareAdapter(was);
  }
}

test("column reduction defaults: one thread per column on a CPU adapter (strips past 2,048 rows), strips filling 256 lanes on a GPU, a workgroup per output for under 8 columns of 16,384 rows", () => {
  const bias = columnGroup("reduce_sum", [512, 32]);
  const cpu = lowered(bias, true);
  assert.doesNotMatch(cpu.wgsl, /var<workgroup>/);
  assert.deepEqual(
    [cpu.workgroupSize, cpu.dispatch],
    [
      [64, 1, 1],
      [1, 1, 1],
    ],
  );
  assert.match(cpu.plan!, /^reduce_sum over axes \[0\] of \[512,32\] \(512 each, 32 outputs\), one thread per output$/);

  const gpu = lowered(bias, false);
  assert.match(gpu.wgsl, /var<workgroup> part: array<f32, 256>/);
  assert.deepEqual(
    [gpu.workgroupSize, gpu.dispatch],
    [
      [256, 1, 1],
      [1, 1, 1],
    ],
  );
  assert.match(gpu.plan!, /a column of 8 threads per output, each over every 8th row, combined in shared memory$/);

  const tall = lowered(columnGroup("reduce_sum", [8192, 64]), true);
  assert.match(tall.plan!, /a column of 4 threads per output, each over every 4th row/);
  assert.deepEqual(
    [tall.workgroupSize, tall.dispatch],
    [
      [64, 1, 1],
      [4, 1, 1],
    ],
    "16 columns per workgroup of 64",
  );

  for (const software of [true, false]) {
    const few = lowered(columnGroup("reduce_sum", [65536, 4]), software);
    assert.match(few.plan!, /one workgroup per output, tree reduction in shared memory$/, `software=${software}`);
    assert.equal(few.dispatch[0], 4);
  }
  const wide = lowered(columnGroup("reduce_sum", [4096, 8192]), false);
  assert.doesNotMatch(wide.wgsl, /var<workgroup>/, "8,192 columns fill a GPU without strips");
  assert.deepEqual(
    [wide.workgroupSize, wide.dispatch],
    [
      [64, 1, 1],
      [128, 1, 1],
    ],
  );
});

const CASES: [string, FusionGroup, (data: Float32Array) => void][] = [
  ["sum(exp(x)) × 0.5 over axis 0 of [517,37]", columnGroup("reduce_sum", [517, 37]), () => {}],
  ["sum(exp(x)) × 0.5 over axes [0,1] of [6,50,24]", columnGroup("reduce_sum", [6, 50, 24], 2), () => {}],
  [
    "max over axis 0 of [300,21], a NaN in column 4",
    columnGroup("reduce_max", [300, 21]),
    (d) => {
      d[211 * 21 + 4] = NaN;
    },
  ],
  ["min over axis 0 of [3000,5]", columnGroup("reduce_min", [3000, 5]), () => {}],
  [
    "argmax over axis 0 of [300,37], column 3's max at rows 3, 250 and 251",
    columnGroup("argmax", [300, 37]),
    (d) => {
      for (const r of [3, 250, 251]) d[r * 37 + 3] = 9;
    },
  ],
  [
    "argmin over axis 0 of [300,37], column 36's min at rows 298 and 17",
    columnGroup("argmin", [300, 37]),
    (d) => {
      for (const r of [298, 17]) d[r * 37 + 36] = -9;
    },
  ],
];

for (const [title, g, edit] of CASES) {
  test(`every strip count (and a workgroup per output) at every workgroup width equals the CPU reference: ${title}`, async (t) => {
    const b = await gpuOrSkip(t);
    if (!b) return;
    const n = g.inputs[0]!.aval.shape.reduce((x, y) => x * y, 1);
    const data = noise(n, 5);
    edit(data);
    const want = cpuRunGroup(g, [data])[0]!;
    const exact = g.outputs[0]!.aval.dtype === "int32" || !title.startsWith("sum");
    for (const wg of [64, 128, 256] as const) {
      for (const threads of OUTPUT_THREADS) {
        const what = `wg${wg}, ${threads} threads per output`;
        const spec = lowerReduction(g, undefined, { wg, threads });
        assert.equal(spec.workgroupSize[0], wg, what);
        const [got] = await runGroup(b, g, [data], spec);
        if (exact) assert.deepEqual(Array.from(got!), Array.from(want), what);
        else assertClose(got!, want, 1e-5, what);
      }
    }
  });
}
