// The autotuner's row-kernel knobs (codegen/tuneSpaces.ts rowSpace: the online softmax's one loop
// for a row's max and its sum of exp(x − max), codegen/rowOnline.ts, or the two loops; a subgroup
// or a thread per row; rows per workgroup). Every candidate of softmax, log-softmax, a log-sum-exp written out and a masked
// attention softmax computes the CPU reference's result on WebGPU, on rows that hold NaN, +inf,
// −inf, a −inf prefix longer than a lane's first loads (a causal mask) and a row of −inf only,
// at row lengths that fill the online loop's four loads per lane exactly and ones that do not
// (vec4 and scalar rows, rows shorter than the subgroup, spare subgroups in the last
// workgroup). NaN where the CPU has NaN, the same infinities, within 2e-5 elsewhere; names
// round-trip; the default (two loops) comes first; the online loop is offered only where the
// max needs no NaN bookkeeping.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { Atom, Var } from "../../../runtime/src/ir/types.js";
import type { FusionGroup } from "../../../runtime/src/codegen/kernelPlan.js";
import { rowSpace } from "../../../runtime/src/codegen/tuneSpaces.js";
import { describeRowConfig } from "../../../runtime/src/codegen/rowConfig.js";
import { forceSoftwareAdapter, rowLanes, rowsPerWorkgroup } from "../../../runtime/src/codegen/subgroupSupport.js";
import { Builder, cpuRunGroup, gpuOrSkip, runGroup } from "../codegen/harness.js";

type Kind = "softmax" | "log_softmax" | "logsumexp" | "masked" | "max and x − max";

/** A row group over [rows, cols] as jit traces it: max, its keepdims reshape and broadcast back,
 *  x − max, exp, the sum, and the kind's output. "masked": scale·x + mask, then softmax. */
function rowGroup(kind: Kind, rows: number, cols: number): FusionGroup {
  const B = new Builder();
  const full = { shape: [rows, cols], dtype: "float32" as const };
  const row = { shape: [rows], dtype: "float32" as const };
  const x = B.input([rows, cols]);
  const mask = kind === "masked" ? B.input([rows, cols]) : null;
  const a = mask ? B.op("add", [B.op("mul", [x, B.lit(0.125)], {}, full), mask], {}, full) : x;
  const back = (v: Atom) =>
    B.op(
      "broadcast",
      [B.op("reshape", [v], { shape: [rows, 1] }, { shape: [rows, 1], dtype: "float32" })],
      { shape: [rows, cols], dims: [0, 1] },
      full,
    );
  const max = B.op("reduce_max", [a], { axes: [1] }, row);
  const d = B.op("sub", [a, back(max)], {}, full);
  const inputs: Var[] = mask ? [x, mask] : [x];
  if (kind === "max and x − max") return B.group("row", inputs, [max, d]);
  const e = B.op("exp", [d], {}, full);
  const sum = B.op("reduce_sum", [e], { axes: [1] }, row);
  if (kind === "logsumexp") return B.group("row", inputs, [B.op("add", [max, B.op("log", [sum], {}, row)], {}, row)]);
  if (kind === "log_softmax")
    return B.group("row", inputs, [B.op("sub", [d, back(B.op("log", [sum], {}, row))], {}, full)]);
  return B.group("row", inputs, [B.op("div", [e, back(sum)], {}, full)]);
}

/** Values in ±3, with row 1 holding a NaN, row 2 a +inf, row 3 a −inf, row 4 −inf over its
 *  first 60% (a lane's first loads all −inf), row 5 −inf throughout (rows that exist). */
function data(rows: number, cols: number, seed: number): Float32Array {
  const x = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233) * 3);
  const at = (r: number, c: number, v: number) => r < rows && (x[r * cols + Math.min(c, cols - 1)] = v);
  at(1, 13, NaN);
  at(2, 5, Infinity);
  at(3, 7, -Infinity);
  for (let c = 0; c < Math.ceil(cols * 0.6); c++) at(4, c, -Infinity);
  for (let c = 0; c < cols; c++) at(5, c, -Infinity);
  return x;
}

/** A causal mask: 0 where col ≤ row (mod cols), −inf after. */
function causal(rows: number, cols: number): Float32Array {
  return Float32Array.from({ length: rows * cols }, (_, i) =>
    i % cols <= Math.floor(i / cols) % cols ? 0 : -Infinity,
  );
}

function assertSame(got: readonly number[], want: readonly number[], what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < got.length; i++) {
    const [g, w] = [got[i]!, want[i]!];
    const ok = Number.isNaN(w)
      ? Number.isNaN(g)
      : !Number.isFinite(w)
        ? g === w
        : Number.isFinite(g) && Math.abs(g - w) <= 2e-5 + 2e-5 * Math.abs(w);
    if (!ok) assert.fail(`${what}[${i}]: got ${g}, expected ${w}`);
  }
}

/** [rows, cols]: vec4 rows the online loop's 4 loads × 8 lanes fill exactly; vec4 rows that do
 *  not, with spare subgroups in the last workgroup; scalar rows; rows shorter than a subgroup;
 *  rows too long for the register cache. */
const SHAPES: readonly [number, number][] = [
  [64, 1024],
  [13, 24],
  [9, 1003],
  [7, 5],
  [6, 4100],
];

for (const kind of ["softmax", "log_softmax", "logsumexp", "masked"] as const)
  test(`${kind}: every row candidate, the online loop among them, equals the CPU reference with NaN, ±inf and −inf rows`, async (t) => {
    const b = await gpuOrSkip(t);
    if (!b) return;
    for (const [rows, cols] of SHAPES) {
      const g = rowGroup(kind, rows, cols);
      const inputs = kind === "masked" ? [data(rows, cols, 3), causal(rows, cols)] : [data(rows, cols, 3)];
      const want = cpuRunGroup(g, inputs);
      const names = rowSpace.candidates(g).map((c) => rowSpace.describe(c));
      assert.equal(names[0], describeRowConfig(rowSpace.defaultConfig(g)), "the default first");
      assert.ok(
        names.includes(`online, ${rowsPerWorkgroup()} row${rowsPerWorkgroup() > 1 ? "s" : ""}/wg`),
        names.join(" · "),
      );
      for (const c of rowSpace.candidates(g)) {
        const spec = rowSpace.lower(g, undefined, c);
        assert.equal(/online softmax/.test(spec.plan), c.online, `${rowSpace.describe(c)}: the plan says so`);
        const got = await runGroup(b, g, inputs, spec);
        got.forEach((o, k) => assertSame(o, want[k]!, `${kind} [${rows},${cols}] ${rowSpace.describe(c)} output ${k}`));
      }
    }
  });

test("the online loop is offered only where the max needs no NaN bookkeeping; names round-trip; small rows get no shape class", async (t) => {
  if (!(await gpuOrSkip(t))) return; // the candidates depend on the adapter's subgroups
  const soft = rowGroup("softmax", 64, 1024);
  for (const c of rowSpace.candidates(soft)) assert.deepEqual(rowSpace.parse(rowSpace.describe(c), soft), c);
  assert.equal(rowSpace.parse("online, 3 rows/wg", soft), null);
  // The max is an output here: its NaN must be kept, so only the two loops.
  const kept = rowGroup("max and x − max", 64, 1024);
  assert.ok(rowSpace.candidates(kept).every((c) => !c.online));
  assert.equal(rowSpace.parse("online, 1 row/wg", kept), null);
  assert.match(
    rowSpace.key(soft) ?? "",
    /^row reduce_max·reshape·broadcast·sub·exp·reduce_sum·.*in float32\[64,1024\]/,
  );
  assert.equal(rowSpace.key(rowGroup("softmax", 8, 1024)), null, "8,192 elements: a launch's cost");
});

test("rows of up to 64 values get a thread each on a CPU adapter, rows shorter than the subgroup on a GPU; the other lane count is a candidate; a thread per row binds no subgroup operation", async (t) => {
  if (!(await gpuOrSkip(t))) return; // the candidates depend on the adapter's subgroups
  const lanes = rowLanes();
  const layout = (cols: number, software: boolean) => {
    const was = forceSoftwareAdapter(software);
    try {
      const g = rowGroup("log_softmax", 1024, cols);
      return { d: rowSpace.defaultConfig(g), names: rowSpace.candidates(g).map((c) => rowSpace.describe(c)) };
    } finally {
      forceSoftwareAdapter(was);
    }
  };
  for (const cols of [4, 10, 64]) {
    const { d, names } = layout(cols, true);
    assert.deepEqual([d.lanes, d.rowsPerWorkgroup], [1, 64], `${cols} values on a CPU adapter`);
    assert.equal(names[0], "two loops, a thread per row, 64 rows/wg");
    assert.ok(names.includes(`two loops, ${rowsPerWorkgroup()} rows/wg`), names.join(" · "));
  }
  const long = layout(128, true);
  assert.equal(long.d.lanes, lanes, "128 values: a subgroup");
  assert.ok(long.names.includes("two loops, a thread per row, 64 rows/wg"), long.names.join(" · "));
  assert.equal(layout(lanes - 1, false).d.lanes, 1, "on a GPU, a row shorter than the subgroup");
  assert.equal(layout(lanes, false).d.lanes, lanes);
  const g = rowGroup("log_softmax", 1024, 10);
  const spec = rowSpace.lower(g, undefined, rowSpace.defaultConfig(g));
  assert.doesNotMatch(spec.wgsl, /enable subgroups|subgroup[A-Z]/);
  assert.match(spec.plan, /one thread per row, 64 rows per workgroup/);
  assert.deepEqual(
    [spec.workgroupSize, spec.dispatch],
    [
      [64, 1, 1],
      [16, 1, 1],
    ],
  );
});
