// The autotuner's reduction knobs (codegen/tuneSpaces.ts reductionSpace, reductionConfig.ts: the
// workgroup width and the threads per output): every candidate computes the CPU reference's
// result on WebGPU, for many short rows and few long rows (scalar and vec4 loads, argmax's
// index), with a prologue and an epilogue, each with a workgroup and with a thread per output,
// and a column reduction's strips; the default is the lowering's own choice and comes first;
// names round-trip; small reductions get no shape class.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { FusionGroup } from "../../../runtime/src/codegen/kernelPlan.js";
import type { DType } from "../../../runtime/src/ir/types.js";
import { lowerReduction } from "../../../runtime/src/codegen/lowerReduction.js";
import { reductionSpace } from "../../../runtime/src/codegen/tuneSpaces.js";
import { assertClose, Builder, cpuRunGroup, gpuOrSkip, noise } from "../codegen/harness.js";
import { runGroup } from "../codegen/harness.js";

/** sum(exp(x), axis 1) * 0.5, or argmax(x, axis 1), over [rows, cols]. */
function rowGroup(rows: number, cols: number, kind: "sum" | "argmax"): FusionGroup {
  const B = new Builder();
  const x = B.input([rows, cols]);
  if (kind === "argmax") {
    const i = B.op("argmax", [x], { axis: 1 }, { shape: [rows], dtype: "int32" as DType });
    return B.group("reduction", [x], [i]);
  }
  const e = B.op("exp", [x], {}, { shape: [rows, cols], dtype: "float32" });
  const s = B.op("reduce_sum", [e], { axes: [1] }, { shape: [rows], dtype: "float32" });
  return B.group("reduction", [x], [B.op("mul", [s, B.lit(0.5)], {}, { shape: [rows], dtype: "float32" })]);
}

const cases: [string, FusionGroup][] = [
  ["300 rows of 257: a thread per row", rowGroup(300, 257, "sum")],
  ["3 rows of 70,001: a workgroup per row, scalar loads", rowGroup(3, 70_001, "sum")],
  ["3 rows of 16,384: a workgroup per row, vec4 loads", rowGroup(3, 16_384, "sum")],
  ["argmax over 200 rows of 401", rowGroup(200, 401, "argmax")],
];

for (const [title, g] of cases) {
  test(`every reduction candidate (workgroup width × a workgroup or a thread per output) equals the CPU reference: ${title}`, async (t) => {
    const b = await gpuOrSkip(t);
    if (!b) return;
    const data = g.inputs.map((v, i) =>
      noise(
        v.aval.shape.reduce((x, y) => x * y, 1),
        21 + i,
      ),
    );
    const expected = cpuRunGroup(g, data)[0]!;
    const candidates = reductionSpace.candidates(g);
    assert.equal(candidates[0]!.wg, lowerReduction(g).workgroupSize[0], "the lowering's own choice first");
    assert.equal(lowerReduction(g).wgsl, lowerReduction(g, undefined, candidates[0]).wgsl.replace(/ \[wg.*\]/, ""));
    assert.deepEqual(candidates.map((c) => `${c.wg}/${c.threads}`).sort(), [
      "128/0",
      "128/1",
      "256/0",
      "256/1",
      "64/0",
      "64/1",
    ]);
    for (const cfg of candidates) {
      const spec = reductionSpace.lower(g, undefined, cfg);
      assert.equal(spec.workgroupSize[0], cfg.wg);
      const [got] = await runGroup(b, g, data, spec);
      assertClose(got!, expected, 1e-4, reductionSpace.describe(cfg));
    }
  });
}

test("a column reduction's candidates: the default first, then every width with a workgroup, a thread, or 2, 4 and 8 threads per output, each equal to the CPU reference; names round-trip", async (t) => {
  const B = new Builder();
  const x = B.input([1000, 70]);
  const g = B.group("reduction", [x], [B.op("reduce_sum", [x], { axes: [0] }, { shape: [70], dtype: "float32" })]);
  const candidates = reductionSpace.candidates(g);
  const d = reductionSpace.defaultConfig(g);
  assert.deepEqual(candidates[0], d);
  assert.equal(d.wg, lowerReduction(g).workgroupSize[0]);
  assert.ok(d.threads !== undefined && d.threads >= 1, `the default has threads per output: ${JSON.stringify(d)}`);
  assert.deepEqual(
    candidates.map(reductionSpace.describe).sort(),
    [64, 128, 256]
      .flatMap((wg) =>
        ["a workgroup", "a thread", "2 threads", "4 threads", "8 threads"].map((s) => `wg${wg}, ${s} per output`),
      )
      .sort(),
  );
  for (const c of candidates) assert.deepEqual(reductionSpace.parse(reductionSpace.describe(c), g), c);
  assert.equal(reductionSpace.parse("wg64", g), null, "a configuration names its threads per output");
  assert.equal(reductionSpace.parse("wg64, 2 threads per output", cases[0]![1]), null, "rows get no strips");
  assert.equal(reductionSpace.parse("wg64, 3 threads per output", g), null);
  const b = await gpuOrSkip(t);
  if (!b) return;
  const data = [noise(70_000, 3)];
  const expected = cpuRunGroup(g, data)[0]!;
  for (const cfg of candidates) {
    const [got] = await runGroup(b, g, data, reductionSpace.lower(g, undefined, cfg));
    assertClose(got!, expected, 1e-4, reductionSpace.describe(cfg));
  }
});

test("reduction configuration names round-trip; shape classes name the ops and shapes; small reductions get none", () => {
  const g = cases[0]![1];
  for (const c of reductionSpace.candidates(g))
    assert.deepEqual(reductionSpace.parse(reductionSpace.describe(c), g), c);
  assert.equal(reductionSpace.parse("wg96", g), null);
  assert.equal(reductionSpace.parse("4×8 wg64", g), null);
  assert.equal(reductionSpace.key(g), 'reduction exp·reduce_sum·mul {"axes":[1]} in float32[300,257] out float32[300]');
  assert.equal(reductionSpace.key(rowGroup(100, 100, "sum")), null);
  assert.ok(!lowerReduction(g).wgsl.split("\n")[0]!.includes("[wg"), "the untuned kernel's header is unchanged");
  assert.ok(
    reductionSpace.lower(g, undefined, { wg: 128, threads: 0 }).wgsl.includes("[wg128, a workgroup per output]"),
  );
});
