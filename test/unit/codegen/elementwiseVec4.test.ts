// Flat vec4 elementwise kernels (several vec4s per invocation): sizes that are not multiples of
// 4 or of a workgroup's share (the partial last vec4), scalar broadcasts, int32 and bool,
// several outputs; every result compared with the CPU reference, inputs checked unchanged.
// Also a grid past 65535 workgroups, folded into two dimensions.

import { test } from "node:test";
import assert from "node:assert/strict";
import { lowerGroup } from "../../../runtime/src/codegen/lowerGroup.js";
import { flatWidth, lowerElementwise } from "../../../runtime/src/codegen/lowerElementwise.js";
import { defaultElementwiseConfig, describeElementwiseConfig } from "../../../runtime/src/codegen/elementwiseConfig.js";
import { MAX_WORKGROUPS_PER_DIM } from "../../../runtime/src/codegen/module.js";
import type { Var } from "../../../runtime/src/ir/types.js";
import { assertClose, Builder, cpuRunGroup, f32, gpuOrSkip, noise, runGroup, type HostData } from "./harness.js";

const SIZES = [1, 3, 4, 5, 17, 1023, 1024, 4097, 1 << 20, (1 << 20) + 3];

/** The chain of issue 16 on x, plus y * s (s a rank-0 input): two outputs. */
function chainGroup(n: number) {
  const B = new Builder();
  const x = B.input([n]);
  const y = B.input([n]);
  const s = B.input([]);
  const a1 = B.op("mul", [x, B.lit(1.5)], {}, x.aval);
  const a2 = B.op("add", [a1, B.lit(0.5)], {}, x.aval);
  const a3 = B.op("tanh", [a2], {}, x.aval);
  const a4 = B.op("mul", [a3, x], {}, x.aval);
  const a5 = B.op("mul", [x, x], {}, x.aval);
  const a6 = B.op("neg", [a5], {}, x.aval);
  const a7 = B.op("exp", [a6], {}, x.aval);
  const out = B.op("sub", [a4, a7], {}, x.aval);
  const sb = B.op("broadcast", [s], { shape: [n], dims: [] }, x.aval);
  const ys = B.op("mul", [y, sb], {}, x.aval);
  return B.group("elementwise", [x, y, s], [out, ys]);
}

test("the chain and a scalar-broadcast product at sizes 1…2^20+3 match the CPU reference in the default layout and in both layouts of 8 vec4s per invocation, each loop ending at min(its end, the last vec4); facts count n elements", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  for (const n of SIZES) {
    const g = chainGroup(n);
    const spec = lowerGroup(g);
    if (n >= 4) {
      assert.equal(flatWidth(g), 4, `n=${n}`);
      assert.match(spec.wgsl, /in0: array<vec4<f32>>/);
      assert.match(spec.wgsl, /in2: array<f32>/); // the rank-0 input stays scalar
      assert.deepEqual(spec.workgroupSize, [64, 1, 1]);
      const per = defaultElementwiseConfig(4, n).perThread;
      assert.equal(spec.dispatch[0], Math.ceil(Math.ceil(n / 4) / (64 * per)), `n=${n} dispatch`);
      assert.equal(spec.plan.includes("last vec4 partial"), n % 4 !== 0, `n=${n} plan: ${spec.plan}`);
      // The loop's bound is the invocation's (or its run of 8 lanes') end or the last vec4,
      // whichever comes first.
      const start = defaultElementwiseConfig(4, n).interleaved ? `span + ${8 * per}` : `t + ${per}`;
      if (per > 1) assert.ok(spec.wgsl.includes(`let end = min(${start}, ${Math.ceil(n / 4)});`), `n=${n}`);
      assert.doesNotMatch(spec.wgsl, /if \(i >= /);
    }
    assert.equal(spec.bytesRead, (2 * n + 1) * 4);
    assert.equal(spec.bytesWritten, 2 * n * 4);
    assert.equal(spec.flops, 9 * n);
    const data = [noise(n, 3), noise(n, 5), f32([-0.75])];
    const got = await runGroup(b, g, data, spec);
    const want = cpuRunGroup(g, data);
    assertClose(got[0]!, want[0]!, 1e-5, `chain n=${n}`);
    assertClose(got[1]!, want[1]!, 1e-6, `y*s n=${n}`);
    // The other layout of as many vec4s per invocation computes the same values.
    if (n >= 4) {
      const dflt = defaultElementwiseConfig(4, n);
      for (const cfg of [
        { ...dflt, perThread: 8, interleaved: !dflt.interleaved },
        { ...dflt, perThread: 8, interleaved: dflt.interleaved },
      ] as const) {
        const other = await runGroup(b, g, data, lowerElementwise(g, undefined, cfg));
        assertClose(other[0]!, want[0]!, 1e-5, `chain n=${n} ${describeElementwiseConfig(cfg)}`);
        assertClose(other[1]!, want[1]!, 1e-6, `y*s n=${n} ${describeElementwiseConfig(cfg)}`);
      }
    }
  }
});

test("int32 arithmetic, comparisons to bool and where at odd sizes run on vec4 and match the CPU reference exactly", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  for (const n of [5, 17, 1023, 4099]) {
    const B = new Builder();
    const a = B.input([n], "int32");
    const d = B.input([n], "int32");
    const q = B.op("div", [a, d], {}, a.aval);
    const m = B.op("max", [B.op("mul", [a, B.lit(3, "int32")], {}, a.aval), d], {}, a.aval);
    const c = B.op("lt", [a, d], {}, { shape: [n], dtype: "bool" });
    const w = B.op("where", [c, q, B.op("neg", [m], {}, a.aval)], {}, a.aval);
    const g = B.group("elementwise", [a, d], [q, c, w]);
    assert.equal(flatWidth(g), 4);
    assert.match(lowerGroup(g).wgsl, /out1: array<vec4<u32>>/);
    const ai = Int32Array.from({ length: n }, (_, i) => ((i * 7919) % 201) - 100);
    const di = Int32Array.from({ length: n }, (_, i) => ((i * 104729) % 13) - 6);
    const data = [ai, di];
    assert.deepEqual(await runGroup(b, g, data), cpuRunGroup(g, data), `n=${n}`);
  }
});

test("bool inputs (logical not, and, or) and bool→float casts at odd sizes run on vec4 and match the CPU reference", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  for (const n of [3, 7, 1021]) {
    const B = new Builder();
    const p = B.input([n], "bool");
    const q = B.input([n], "bool");
    const nb = { shape: [n], dtype: "bool" as const };
    const or = B.op("max", [p, q], {}, nb);
    const and = B.op("min", [p, B.op("logical_not", [q], {}, nb)], {}, nb);
    const f = B.op("cast", [and], { dtype: "float32" }, { shape: [n], dtype: "float32" });
    const g = B.group("elementwise", [p, q], [or, and, f]);
    assert.equal(flatWidth(g), n >= 4 ? 4 : 1);
    const data = [
      Uint8Array.from({ length: n }, (_, i) => i % 2),
      Uint8Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0)),
    ];
    assert.deepEqual(await runGroup(b, g, data), cpuRunGroup(g, data), `n=${n}`);
  }
});

test("scalar helpers (pow, log1p, expm1, float→int cast) run per lane in vec4 kernels at odd sizes and match the CPU", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  for (const n of [5, 1023]) {
    const B = new Builder();
    const x = B.input([n]);
    const k = B.input([n], "int32");
    // (x ** 5: 2, 3 and 4 are written as products, integerPower.test.ts)
    const p = B.op("pow", [x, B.lit(5)], {}, x.aval);
    const l = B.op("log1p", [B.op("abs", [x], {}, x.aval)], {}, x.aval);
    const e = B.op("expm1", [x], {}, x.aval);
    const c = B.op(
      "cast",
      [B.op("mul", [x, B.lit(10)], {}, x.aval)],
      { dtype: "int32" },
      { shape: [n], dtype: "int32" },
    );
    const pi = B.op("pow", [k, B.lit(2, "int32")], {}, k.aval);
    const g = B.group("elementwise", [x, k], [p, l, e, c, pi]);
    assert.equal(flatWidth(g), 4);
    const spec = lowerGroup(g);
    assert.deepEqual(spec.workgroupSize, [64, 1, 1]);
    assert.match(spec.wgsl, /vec4<f32>\(pow_f32\(\w+\.x, /);
    assert.match(spec.wgsl, /vec4<i32>\(f32_to_i32\(\w+\.x\)/);
    const data = [noise(n, 11), Int32Array.from({ length: n }, (_, i) => (i % 19) - 9)];
    const got = await runGroup(b, g, data, spec);
    const want = cpuRunGroup(g, data);
    for (const [j, what] of ["pow", "log1p", "expm1"].entries()) assertClose(got[j]!, want[j]!, 1e-5, `${what} n=${n}`);
    assert.deepEqual(got[3], want[3], `cast n=${n}`);
    assert.deepEqual(got[4], want[4], `int pow n=${n}`);
  }
});

test("atan2, erf and erfc helpers run per lane in vec4 kernels at odd sizes and match the CPU", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  for (const n of [6, 1021]) {
    const B = new Builder();
    const x = B.input([n]);
    const y = B.input([n]);
    const a = B.op("atan2", [y, x], {}, x.aval);
    const sx = B.op("mul", [x, B.lit(4)], {}, x.aval); // spread over erfc's three branches
    const e = B.op("erf", [sx], {}, x.aval);
    const c = B.op("erfc", [sx], {}, x.aval);
    const g = B.group("elementwise", [x, y], [a, e, c]);
    assert.equal(flatWidth(g), 4);
    const spec = lowerGroup(g);
    assert.match(spec.wgsl, /vec4<f32>\(atan2_f32\(\w+\.x, /);
    assert.match(spec.wgsl, /vec4<f32>\(erfc_f32\(\w+\.x\)/);
    const data = [noise(n, 5), noise(n, 17)];
    const got = await runGroup(b, g, data, spec);
    const want = cpuRunGroup(g, data);
    assertClose(got[0]!, want[0]!, 1e-6, `atan2 n=${n}`);
    assertClose(got[1]!, want[1]!, 1e-6, `erf n=${n}`);
    assertClose(got[2]!, want[2]!, 1e-5, `erfc n=${n}`);
  }
});

test("the partial last vec4 leaves the inputs unchanged (outputs written only in their own buffers)", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const n = 1023;
  const B = new Builder();
  const x = B.input([n]);
  const y = B.op("add", [x, B.lit(1)], {}, x.aval);
  const g = B.group("elementwise", [x], [y]);
  const xs = noise(n, 2);
  const xa = b.fromHost(xs, x.aval);
  const exe = b.createExecutable({
    compilationId: "test",
    program: { name: "test", inputs: [x], eqns: g.eqns, outputs: [y] },
    kernels: [lowerGroup(g)],
    memory: { slots: [], slotOf: new Map(), peakBytes: 0 },
    outputs: [y],
  });
  const [ya] = exe.run([xa]);
  assertClose(
    Array.from(await b.read(ya!)),
    Array.from(xs, (v) => v + 1),
    1e-6,
  );
  assert.deepEqual(Array.from(await b.read(xa)), Array.from(xs));
  b.free(xa);
  b.free(ya!);
});

test("an nd kernel of more than 65535 workgroups folds its grid into 2-D and writes every element", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  // iota is never flat: one element per thread, 256 per workgroup.
  const n = MAX_WORKGROUPS_PER_DIM * 256 + 777;
  const B = new Builder();
  const io: Var = B.op("iota", [], { shape: [n], axis: 0, dtype: "int32" }, { shape: [n], dtype: "int32" });
  const g = B.group("layout", [], [io]);
  const spec = lowerGroup(g);
  assert.deepEqual(spec.dispatch, [MAX_WORKGROUPS_PER_DIM, 2, 1]);
  const [got] = await runGroup(b, g, [] as HostData[], spec);
  assert.equal(got!.length, n);
  let bad = -1;
  for (let i = 0; i < n && bad < 0; i++) if (got![i] !== i) bad = i;
  assert.equal(bad, -1, `first wrong element ${bad}: ${got![bad]}`);
});

test("a vec4 kernel's 2-D grid index covers the threads past the first 65535 workgroups (WGSL and dispatch)", () => {
  const n = MAX_WORKGROUPS_PER_DIM * 1024 + 8;
  const B = new Builder();
  const x = B.input([n]);
  const g = B.group("elementwise", [x], [B.op("exp", [x], {}, x.aval)]);
  // 4 vec4s per invocation (the GPU default): 65,536 workgroups.
  const spec = lowerElementwise(g, undefined, { vec: 4, perThread: 4, wg: 64, interleaved: false });
  assert.deepEqual(spec.dispatch, [MAX_WORKGROUPS_PER_DIM, 2, 1]);
  assert.match(
    spec.wgsl,
    new RegExp(`let t = i32\\(\\(gid\\.x \\+ gid\\.y \\* ${MAX_WORKGROUPS_PER_DIM * 64}u\\)\\) \\* 4;`),
  );
});

/** out = x * broadcast(row over trailing axes) + broadcast(col over leading axes), [r, c]. */
function rowColGroup(r: number, c: number) {
  const B = new Builder();
  const x = B.input([r, c]);
  const row = B.input([c]);
  const col = B.input([r, 1]);
  const shape = { shape: [r, c], dtype: "float32" as const };
  const rb = B.op("broadcast", [row], { shape: [r, c], dims: [1] }, shape);
  const cb = B.op("broadcast", [B.op("exp", [col], {}, col.aval)], { shape: [r, c], dims: [0, 1] }, shape);
  const out = B.op("add", [B.op("mul", [x, rb], {}, shape), cb], {}, shape);
  return B.group("elementwise", [x, row, col], [out]);
}

test("a row vector over trailing axes and a column over leading axes stay vec4 when their blocks are multiples of 4", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  for (const [r, c, width] of [
    [3, 8, 4],
    [5, 1024, 4],
    [7, 12, 4],
    [3, 5, 1], // row block 5: no vec4 read of the row, no vec4 splat of the column
    [4, 6, 1],
  ] as const) {
    const g = rowColGroup(r, c);
    assert.equal(flatWidth(g), width, `[${r},${c}]`);
    const spec = lowerGroup(g);
    if (width === 4) {
      assert.match(spec.wgsl, /in1: array<vec4<f32>>/); // the row, read as vec4 at i % (c/4)
      assert.match(spec.wgsl, /in2: array<f32>/); // the column, one scalar per vec4, splatted
    }
    const data = [noise(r * c, 1), noise(c, 2), noise(r, 3)];
    const [got] = await runGroup(b, g, data, spec);
    assertClose(got!, cpuRunGroup(g, data)[0]!, 1e-5, `[${r},${c}]`);
  }
});

test("a broadcast over a middle axis is not flat (nd coordinates) and matches the CPU reference", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const B = new Builder();
  const x = B.input([2, 3, 4]);
  const m = B.input([2, 4]);
  const mb = B.op("broadcast", [m], { shape: [2, 3, 4], dims: [0, 2] }, x.aval);
  const g = B.group("elementwise", [x, m], [B.op("sub", [x, mb], {}, x.aval)]);
  assert.equal(flatWidth(g), 0);
  const data = [noise(24, 4), noise(8, 5)];
  const [got] = await runGroup(b, g, data);
  assertClose(got!, cpuRunGroup(g, data)[0]!, 1e-6);
});

test("one input broadcast both over rows and over columns (an outer product) is read scalar, and matches", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const B = new Builder();
  const v = B.input([8]);
  const s = { shape: [8, 8], dtype: "float32" as const };
  const asRow = B.op("broadcast", [v], { shape: [8, 8], dims: [1] }, s);
  const asCol = B.op("broadcast", [v], { shape: [8, 8], dims: [0] }, s);
  const g = B.group("elementwise", [v], [B.op("mul", [asRow, asCol], {}, s)]);
  assert.equal(flatWidth(g), 1);
  const data = [noise(8, 6)];
  const [got] = await runGroup(b, g, data);
  assertClose(got!, cpuRunGroup(g, data)[0]!, 1e-6);
});

test("a rank-0 value needing a scalar helper (pow) is computed once as a scalar and splatted in a vec4 kernel", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const B = new Builder();
  const x = B.input([1027]);
  const s = B.input([]);
  const p = B.op("pow", [s, B.lit(2)], {}, s.aval);
  const g = B.group("elementwise", [x, s], [B.op("mul", [x, p], {}, x.aval)]);
  assert.equal(flatWidth(g), 4);
  const data = [noise(1027, 7), f32([-1.5])];
  const [got] = await runGroup(b, g, data);
  assertClose(got!, cpuRunGroup(g, data)[0]!, 1e-6);
});
