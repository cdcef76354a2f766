// Row-local kernels (issue 16): softmax, log-softmax, layer norm, RMS norm and row max/sum fused
// into one kernel per call, a subgroup per row, when the device has subgroups; the separate
// kernels of before when it has none (forced here). Every WebGPU result is compared with the
// CPU backend's on the same inputs: |gpu - cpu| <= 2e-5 + 2e-5·|cpu| (float32 sums of up to
// 1024 terms in a different order).

import { test } from "node:test";
import assert from "node:assert/strict";
import { config, jit, nn, np } from "../../../runtime/src/index.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import {
  forceRowKernels,
  forceSubgroupFallback,
  rowKernelLanes,
  rowLanes,
} from "../../../runtime/src/codegen/subgroupSupport.js";
import { assertClose, onBackend, webgpuBackendOrSkip } from "../ops/harness.js";
import { setRowCacheLimit, setRowInputCache, setRowWelford } from "../../../runtime/src/codegen/rowDevKnobs.js";
import { gptStep } from "../../../bench/scalingPrograms.js";
import { deviceStorageBufferLimit } from "../../../runtime/src/codegen/storageBufferLimit.js";

type A = Tracer;
// Row kernels are made by default wherever the device has subgroups; this file tests them, so it
// asks for them whatever the environment says (JITSCOPE_ROW_KERNELS=0 turns them off).
forceRowKernels(true);
const SHAPES: readonly number[][] = [
  [4096, 1024],
  [3, 5],
  [7, 1],
  [2, 3, 1000],
  [5, 12],
  [3, 4100], // 1025 vec4s per row: too many to keep a lane's share in registers
  [13, 24], // 8 rows per workgroup on lavapipe: the second workgroup has 3 spare subgroups
  [9, 1003], // odd row length (scalar lanes) and one spare-heavy workgroup
  [64, 256], // a lane's share of the row (64 vec4s over the lanes) read once into registers
];

function data(shape: readonly number[], seed: number): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233) * 3);
}

const layerNorm = (x: A, g: A, b: A): A => {
  const mean = np.mean(x, -1, { keepdims: true });
  const d = np.subtract(x, mean);
  const variance = np.mean(np.square(d), -1, { keepdims: true });
  return np.add(np.multiply(np.divide(d, np.sqrt(np.add(variance, 1e-5))), g), b) as A;
};
const rmsNorm = (x: A, g: A): A =>
  np.multiply(
    np.multiply(x, np.reciprocal(np.sqrt(np.add(np.mean(np.square(x), -1, { keepdims: true }), 1e-6)))),
    g,
  ) as A;

/** name, function, the kernels it lowers to with subgroups. */
const CASES: readonly [string, (x: A, g: A, b: A) => A, number][] = [
  ["softmax", (x) => nn.softmax(x, -1) as A, 1],
  ["log_softmax", (x) => nn.log_softmax(x, -1) as A, 1],
  ["layer norm", layerNorm, 1],
  ["RMS norm", (x, g) => rmsNorm(x, g), 1],
  ["row max minus row sum", (x) => np.subtract(np.max(x, -1), np.sum(x, -1)) as A, 1],
];

async function compare(shape: readonly number[], name: string, f: (x: A, g: A, b: A) => A): Promise<number> {
  const c = shape[shape.length - 1]!;
  const host = [data(shape, 1), data([c], 2), data([c], 3)];
  const args = (): A[] => [
    np.reshape(np.array(host[0]!), [...shape]) as A,
    np.array(host[1]!) as A,
    np.array(host[2]!) as A,
  ];
  const want = await onBackend("cpu", () => f(...(args() as [A, A, A]))).data();
  const compiled = jit(f);
  const got = await onBackend("webgpu", () => compiled(...(args() as [A, A, A]))).data();
  assertClose(Array.from(got), Array.from(want), "float32", 2e-5, 2e-5, `${name} [${shape}]`);
  const lowered = await onBackend("webgpu", () => compiled.lower(...(args() as [A, A, A])));
  return lowered.kernels.length;
}

test("softmax, log-softmax, layer norm, RMS norm and row max/sum are one subgroup kernel per call and match the CPU", async (t) => {
  const b = await webgpuBackendOrSkip(t);
  if (!b) return;
  assert.ok(rowLanes() > 0, "this device has subgroups (lavapipe: 8 lanes)");
  for (const shape of SHAPES)
    for (const [name, f, kernels] of CASES) {
      const n = await compare(shape, name, f);
      assert.equal(n, kernels, `${name} [${shape}]: ${kernels} kernel(s) per call`);
    }
});

test("a run of 20 row sums, each scaling a new input by the last sum, merges into row kernels that bind at most the device's storage buffer limit, and matches the CPU", async (t) => {
  const b = await webgpuBackendOrSkip(t);
  if (!b) return;
  const n = 20;
  const chain = (...xs: A[]): A => {
    let s = np.sum(xs[0]!, -1, { keepdims: true }) as A;
    for (const x of xs.slice(1)) s = np.sum(np.multiply(x, np.tanh(s)), -1, { keepdims: true }) as A;
    return s;
  };
  const host = Array.from({ length: n }, (_, i) => data([6, 40], i + 1));
  const args = () => host.map((h) => np.reshape(np.array(h), [6, 40]) as A);
  const want = await onBackend("cpu", () => chain(...args())).data();
  const lo = await onBackend("webgpu", () => jit(chain).lower(...args()));
  const limit = deviceStorageBufferLimit();
  assert.ok(limit < n + 1, `the chain binds more buffers (${n + 1}) than the device allows (${limit})`);
  assert.ok(
    lo.fusion.decisions.some((d) => d.kind === "row"),
    "runs of the chain are row kernels",
  );
  for (const k of lo.kernels) {
    const bindings = k.wgsl.match(/@binding\(/g)?.length ?? 0;
    assert.ok(bindings <= limit, `${k.name} binds ${bindings} buffers, over ${limit}`);
  }
  const got = await onBackend("webgpu", () => jit(chain)(...args())).data();
  assertClose(Array.from(got), Array.from(want), "float32", 1e-4, 1e-4);
});

test("the row kernel's WGSL enables subgroups (rows of 8 on a CPU adapter: a thread per row, none) and its fusion record says why the kernels merged", async (t) => {
  const b = await webgpuBackendOrSkip(t);
  if (!b) return;
  const lowerSoftmax = (cols: number) => {
    const x = onBackend("webgpu", () => np.reshape(np.array(data([6, cols], 4)), [6, cols]));
    return onBackend("webgpu", () => jit((v: A) => nn.softmax(v, -1) as A).lower(x));
  };
  const lo = await lowerSoftmax(200);
  assert.equal(lo.kernels.length, 1);
  const k = lo.kernels[0]!;
  assert.match(k.wgsl, /^\/\/ .*\nenable subgroups;/);
  assert.match(k.wgsl, /subgroupMax\(/);
  assert.match(k.wgsl, /subgroupAdd\(/);
  assert.match(k.plan, /row-local: 2 reductions \(reduce_max, reduce_sum\).*one subgroup of \d+ lanes per row/);
  // Rows of 8: a thread each where that is the default (a CPU adapter; a GPU whose subgroups
  // are wider than 8), no subgroup operations.
  const short = (await lowerSoftmax(8)).kernels[0]!;
  if (/one thread per row/.test(short.plan)) {
    assert.doesNotMatch(short.wgsl, /enable subgroups|subgroup[A-Z]/);
    assert.match(short.plan, /one thread per row, 6 rows per workgroup/);
    assert.deepEqual(short.workgroupSize, [6, 1, 1]);
  } else assert.match(short.plan, /one subgroup of 8 lanes per row/);
  const decision = lo.fusion.decisions[0]!;
  assert.equal(decision.kind, "row");
  assert.match(decision.reason, /^row-local: 2 reductions \(reduce_max, reduce_sum\) over the last axis of \[6,200\]/);
  // The merged kernels by their own first clause (no stale "recomputes …" of the kernel before).
  assert.match(
    decision.reason,
    /merges 3 kernels \(reduction \(reduce_max\); reduction \(reduce_sum\) with prologue \(\d+ ops\); elementwise chain of \d+ ops\), so the array is read from memory once/,
  );
  assert.doesNotMatch(decision.reason, /recomputes/);
  assert.equal(lo.fusion.boundaries.length, 0, "no boundary inside the merged kernel");
  // exp(x - max) is computed once per element: kept in registers between the sum's loop and the
  // output loop while a lane's share of the row is at most 32 vec4s (1024 floats over 8 lanes on
  // lavapipe: 32 vec4s; over 32 lanes on NVIDIA: 8), else stored into the output and read back;
  // layer norm's x - mean (no transcendental) is recomputed from the row (kept in registers
  // where a lane's share is at most 16 vec4s: 8 on NVIDIA, not lavapipe's 32).
  const lower = async (shape: number[], f: (u: A) => A) => {
    const v = onBackend("webgpu", () => np.zeros(shape));
    return (await onBackend("webgpu", () => jit(f).lower(v))).kernels[0]!;
  };
  const softmax = (u: A) => nn.softmax(u, -1) as A;
  const exps = (wgsl: string) => wgsl.match(/exp\(/g)?.length ?? 0;
  const small = await lower([16, 1024], softmax);
  assert.match(small.plan, /the row read once into registers, then replaced there by the value the output loop needs/);
  const lanes = Number(/one subgroup of (\d+) lanes per row/.exec(small.plan)?.[1]);
  assert.ok(lanes >= 4 && 1024 % (4 * lanes) === 0, small.plan);
  assert.match(small.wgsl, new RegExp(`var row0: array<vec4<f32>, ${1024 / 4 / lanes}>;`));
  assert.match(small.wgsl, /row0\[jj\] = v\d+_\d+;/, "exp(x - max) overwrites the row's registers");
  assert.doesNotMatch(small.wgsl, /var cache0/);
  assert.equal(exps(small.wgsl), 1);
  const long = await lower([16, 4100], softmax);
  assert.doesNotMatch(long.plan, /registers/);
  assert.match(long.plan, /stashed in the output/);
  assert.match(long.wgsl, /out0\[i\] = v\d+_\d+;[\s\S]*= out0\[i\];/);
  assert.equal(exps(long.wgsl), 1);
  const ln = await lower([16, 1024], (u) => layerNorm(u, np.ones([1024]) as A, np.zeros([1024]) as A));
  assert.doesNotMatch(ln.plan, /kept in registers|stashed/);
  assert.equal(/the row read once into registers/.test(ln.plan), 1024 / 4 / lanes <= 16, ln.plan);
  const was = setRowCacheLimit(0);
  try {
    const noCache = await lower([16, 1024], softmax);
    assert.match(noCache.plan, /stashed in the output/);
  } finally {
    setRowCacheLimit(was);
  }
});

test("without subgroups (forced) softmax and layer norm lower to the separate kernels, without `enable subgroups`, and match the CPU", async (t) => {
  const b = await webgpuBackendOrSkip(t);
  if (!b) return;
  const was = forceSubgroupFallback(true);
  try {
    assert.equal(rowLanes(), 0);
    for (const shape of [
      [3, 5],
      [7, 1],
      [2, 3, 1000],
      [64, 1024],
    ]) {
      assert.equal(await compare(shape, "softmax", CASES[0]![1]), 3, `softmax [${shape}]: max, sum of exp, divide`);
      const ln = await compare(shape, "layer norm", layerNorm);
      assert.ok(ln >= 3, `layer norm [${shape}]: ${ln} kernels (sums, then the normalisation)`);
    }
    const x = onBackend("webgpu", () => np.reshape(np.array(data([6, 8], 4)), [6, 8]));
    const lo = await onBackend("webgpu", () => jit((v: A) => nn.softmax(v, -1) as A).lower(x));
    for (const k of lo.kernels) assert.doesNotMatch(k.wgsl, /enable subgroups|subgroup[A-Z]/);
  } finally {
    forceSubgroupFallback(was);
  }
});

test("a row max or min with NaN in a row is NaN in that row only, through the subgroup kernel (vec4 and scalar rows)", async (t) => {
  const b = await webgpuBackendOrSkip(t);
  if (!b) return;
  for (const [cols, reduce] of [
    [40, np.max],
    [41, np.max],
    [40, np.min],
    [41, np.min],
  ] as const) {
    const host = data([4, cols], 5);
    host[cols + 13] = NaN; // row 1, a lane other than the first
    const f = (x: A) => np.add(reduce(x, -1), np.sum(x, -1)) as A;
    const want = await onBackend("cpu", () => f(np.reshape(np.array(host), [4, cols]) as A)).data();
    const compiled = jit(f);
    const got = await onBackend("webgpu", () => compiled(np.reshape(np.array(host), [4, cols]) as A)).data();
    assert.ok(Number.isNaN(got[1]!) && !Number.isNaN(got[0]!) && !Number.isNaN(got[2]!), `[4,${cols}]`);
    assertClose(Array.from(got), Array.from(want), "float32", 2e-5, 2e-5, `${reduce.name} + sum with a NaN`);
  }
});

test("on the GPT training step, each row kernel is exactly a run of consecutive kernels of the fusion without subgroups, and every other kernel is unchanged", async (t) => {
  const b = await webgpuBackendOrSkip(t);
  if (!b) return;
  const decide = async (fallback: boolean) => {
    const was = forceSubgroupFallback(fallback);
    try {
      const { f, args } = gptStep();
      const lo = await jit(f as (...a: never[]) => unknown, { name: "gpt" }).lower(...(args as never[]));
      return lo.fusion.decisions.map((d) => ({ kind: d.kind, ops: [...d.ops].sort() }));
    } finally {
      forceSubgroupFallback(was);
    }
  };
  const before = await decide(true);
  const after = await decide(false);
  let i = 0;
  let rows = 0;
  for (const k of after) {
    if (k.kind !== "row") {
      assert.deepEqual(k, before[i], `kernel ${i} unchanged`);
      i++;
      continue;
    }
    rows++;
    const ops = new Set<string>();
    const start = i;
    while (i < before.length && ops.size < k.ops.length) before[i++]!.ops.forEach((o) => ops.add(o));
    assert.deepEqual([...ops].sort(), k.ops, `row kernel = kernels ${start}..${i - 1} before`);
    assert.ok(i - start >= 2, "a row kernel merges at least two kernels");
  }
  assert.equal(i, before.length);
  assert.ok(rows >= 3, `the step's softmax and layer norms became ${rows} row kernels`);
});

test("row kernels are on by default where the device has subgroups; config({ rowKernels: false }) keeps softmax as its three kernels, matching the CPU", async (t) => {
  const b = await webgpuBackendOrSkip(t);
  if (!b) return;
  const forced = forceRowKernels(false);
  try {
    assert.equal(rowKernelLanes(), process.env.JITSCOPE_ROW_KERNELS === "0" ? 0 : rowLanes());
    const prev = config({ rowKernels: false });
    try {
      assert.equal(rowKernelLanes(), 0);
      assert.equal(await compare([5, 12], "softmax", CASES[0]![1]), 3, "max, sum of exp, divide");
    } finally {
      config({ rowKernels: prev.rowKernels });
    }
  } finally {
    forceRowKernels(forced);
  }
});

test("a row several loops read is loaded once into registers (layer norm, log-softmax: where a lane's share is at most 16 vec4s; softmax: in place of its kept exp), and every loop reads the registers", async (t) => {
  const b = await webgpuBackendOrSkip(t);
  if (!b) return;
  const lanes = rowLanes();
  const lower = async (shape: number[], f: (u: A) => A) => {
    const v = onBackend("webgpu", () => np.zeros(shape));
    return (await onBackend("webgpu", () => jit(f).lower(v))).kernels[0]!;
  };
  const ln = (u: A) => layerNorm(u, np.ones([u.shape[1]!]) as A, np.zeros([u.shape[1]!]) as A);
  // Loads of the row in a loop (Welford's shift reads the row's first value once more: below).
  const loads = (wgsl: string) => wgsl.match(/in0\[i\]/g)?.length ?? 0;
  // 64 vec4s per row: a lane holds 64 / lanes of them (8 on lavapipe, 2 on NVIDIA).
  const short = await lower([16, 256], ln);
  assert.match(short.plan, /rows read as vec4, the row read once into registers/);
  assert.match(short.wgsl, new RegExp(`var row0: array<vec4<f32>, ${64 / lanes}>;`));
  assert.equal(loads(short.wgsl), 1, "one load of the row; the mean-and-variance and output loops read row0");
  assert.equal(short.wgsl.match(/row0\[jj\]/g)?.length, 3, "written once, read by two loops");
  // Softmax reads its row once too, and keeps exp(x - max) in the row's registers for the output
  // loop (which reads only that).
  const sm = await lower([16, 256], (u) => nn.softmax(u, -1) as A);
  assert.match(sm.plan, /rows read as vec4, the row read once into registers, then replaced there/);
  assert.equal(loads(sm.wgsl), 1);
  // Log-softmax's output loop reads x - max, not exp(x - max): nothing is kept, the row is.
  const lsm = await lower([16, 256], (u) => nn.log_softmax(u, -1) as A);
  assert.match(lsm.plan, /the row read once into registers$/);
  assert.equal(loads(lsm.wgsl), 1);
  // A lane's share over 16 vec4s (4096 floats: 1024 vec4s) is read by each loop instead.
  const long = await lower([16, 4096], ln);
  assert.doesNotMatch(long.plan, /read once/);
  assert.equal(loads(long.wgsl), 2);
  const was = setRowInputCache(false);
  try {
    assert.equal(loads((await lower([16, 256], ln)).wgsl), 2, "turned off: each of the two loops loads the row");
  } finally {
    setRowInputCache(was);
  }
});

test("layer norm and np.var sum a row and its squared deviations in one loop (Welford's update), match a float64 reference on rows far from zero, and turned off take the two loops again", async (t) => {
  const b = await webgpuBackendOrSkip(t);
  if (!b) return;
  const loads = (wgsl: string) => wgsl.match(/in0\[i\]/g)?.length ?? 0;
  const norm = (u: A) => layerNorm(u, np.ones([u.shape[1]!]) as A, np.zeros([u.shape[1]!]) as A);
  const rowVar = (u: A) => np.var(u, -1) as A;
  // Rows offset by 1000 + 37·row with a unit-scale wave: E[u²] − E[u]² would lose most digits.
  for (const [rows, cols] of [
    [6, 4096],
    [5, 1003],
    [7, 3],
  ] as const) {
    const host = Float32Array.from(
      { length: rows * cols },
      (_, i) => 1000 + 37 * Math.floor(i / cols) + Math.sin(i * 0.7),
    );
    const x = () => onBackend("webgpu", () => np.reshape(np.array(host), [rows, cols]) as A);
    const stats = Array.from({ length: rows }, (_, r) => {
      const row = Array.from(host.subarray(r * cols, (r + 1) * cols), Number);
      const mean = row.reduce((a, v) => a + v, 0) / cols;
      return { row, mean, variance: row.reduce((a, v) => a + (v - mean) ** 2, 0) / cols };
    });
    const lowered = (await onBackend("webgpu", () => jit(norm).lower(x()))).kernels[0]!;
    assert.match(lowered.plan, /the sum and the squared deviations from the mean in one loop \(Welford's update\)/);
    const merges = /one thread per row/.test(lowered.plan) ? 0 : 3;
    assert.equal(lowered.wgsl.match(/subgroupAdd/g)?.length ?? 0, merges, "count, mean, squared deviations: one merge");
    if (cols > 64) assert.equal(loads(lowered.wgsl), 2, "the statistics loop and the output loop read the row");
    // The shift: the row's first value, read once per lane.
    const perRow = cols % 4 === 0 ? cols / 4 : cols;
    assert.equal(lowered.wgsl.match(new RegExp(`in0\\[row \\* ${perRow}\\]`, "g"))?.length, 1);
    const gotVar = await onBackend("webgpu", () => jit(rowVar)(x())).data();
    const gotNorm = await onBackend("webgpu", () => jit(norm)(x())).data();
    stats.forEach(({ row, mean, variance }, r) => {
      // Within float32 rounding of the two-pass sums: unshifted, Welford's running mean of values
      // near 1000 lost digits at each update (relative error 3e-6 to 2e-5 here).
      assertClose([gotVar[r]!], [variance], "float32", 2e-6, 0, `var, row ${r} of [${rows},${cols}]`);
      // The normalized row is as close as float32 holds values near 1000 (ulp 6e-5 over a std of 0.7).
      const want = row.map((v) => (v - mean) / Math.sqrt(variance + 1e-5));
      const got = Array.from(gotNorm.subarray(r * cols, (r + 1) * cols));
      assertClose(got, want, "float32", 0, 6e-4, `layer norm, row ${r} of [${rows},${cols}]`);
    });
  }
  const was = setRowWelford(false);
  try {
    const two = (await onBackend("webgpu", () => jit(norm).lower(np.zeros([16, 4096])))).kernels[0]!;
    assert.doesNotMatch(two.plan, /Welford/);
    assert.equal(loads(two.wgsl), 3, "turned off: the mean, variance and output loops each read the row");
  } finally {
    setRowWelford(was);
  }
});
