// The loop cases of the JAX differential suite: lax.scan (forwards, reversed, pytree carry),
// fori_loop (static and traced bounds), a data-dependent while_loop, cond/switch, lax.map,
// associative_scan, and jvp, grad, jvp-of-grad and vmap through them, written here with our API
// and in JAX (scripts/jax/run_jax_loops.py, which wrote test/fixtures/jax/loops.json). Replayed
// on the CPU backend (eager and under jit) and on WebGPU (under jit); each result within a
// float32 tolerance of JAX float64.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as lax from "../../../runtime/src/lax.js";
import { leaves } from "../../../runtime/src/tree.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { jvp } from "../../../runtime/src/trace/jvp.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { inputValues, type InputSpec } from "./dsl.js";
import { disagreementsOn, webgpuOrSkip } from "../ops/harness.js";

config({ backend: "cpu" });

type T = Tracer;
interface LoopCase {
  id: string;
  inputs: InputSpec[];
  inputCheck: { sum: number; head: number[] }[];
  outputs: { shape: number[]; dtype: "float" | "int" | "bool"; y: number[]; err32: number[] }[];
}
const file: { jax: string; cases: LoopCase[] } = JSON.parse(
  readFileSync(new URL("../../fixtures/jax/loops.json", import.meta.url), "utf8"),
);

const i32 = (v: number): T => np.array(v, { dtype: "int32" });
const rnn = (w: T, xs: T, h0: T, reverse = false) =>
  lax.scan(
    (h: T, x: T): [T, T] => {
      const h2 = np.tanh(np.add(np.matmul(h, np.multiply(w, 0.25)), x));
      return [h2, np.sum(np.multiply(h2, h2))];
    },
    h0,
    xs,
    { reverse },
  );
const rnnLoss = (w: T, xs: T, h0: T) => {
  const [h, ys] = rnn(w, xs, h0);
  return np.add(np.sum(ys), np.sum(h));
};
const pytreeScan = (xs: T, h0: T) => {
  const [[h, n], ys] = lax.scan(
    ([h, n]: [T, T], x: { a: T; b: T }): [[T, T], { s: T; h: T }] => {
      const h2 = np.sin(np.add(np.multiply(h, x.a), x.b));
      return [[h2, np.add(n, 1)], { s: np.sum(h2), h: np.multiply(h2, 2) }];
    },
    [h0, i32(0)] as [T, T],
    { a: np.multiply(xs, 0.5), b: np.cos(xs) },
  );
  return [h, n, ys.s, ys.h];
};
const foriBody = (i: T, [v, u]: [T, T]): [T, T] => [
  np.sin(np.add(np.multiply(v, 0.9), np.multiply(np.astype(i, "float32"), 0.3))),
  np.add(u, v),
];
const foriPair = (lo: number | T, hi: number | T, v0: T) => lax.fori_loop(lo, hi, foriBody, [v0, np.zeros_like(v0)]);
const foriStatic = (v0: T) => foriPair(0, 9, v0);
const grow = (z0: T) =>
  lax.while_loop(
    ([z]: [T, T]) => np.less(z, 20),
    ([z, k]: [T, T]): [T, T] => [np.add(np.multiply(z, 1.5), 0.5), np.add(k, 1)],
    [np.add(np.abs(z0), 0.1), i32(0)] as [T, T],
  );

/** Each case as in run_jax_loops.py, with our API. */
const CASES: Record<string, (...a: T[]) => unknown> = {
  scan_rnn: (w, xs, h0) => rnn(w!, xs!, h0!),
  scan_rnn_reverse: (w, xs, h0) => rnn(w!, xs!, h0!, true),
  scan_pytree_carry: (xs, h0) => pytreeScan(xs!, h0!),
  fori_static: (v) => foriStatic(v!),
  fori_traced_bounds: (v, lo, hi) => foriPair(lo!, hi!, v!),
  while_data_dependent: (z) => grow(z!),
  cond_switch: (x, p, k) => [
    lax.cond(
      np.greater(np.sum(p!), 0),
      (a: T) => np.exp(np.multiply(a, 0.5)),
      (a: T) => np.sin(a),
      x!,
    ),
    lax.switch(k!, [(a: T) => np.multiply(a, a), (a: T) => np.tanh(a), (a: T) => np.multiply(a, 3)], x!),
  ],
  map: (xs) => lax.map((r: T) => np.multiply(np.sum(np.tanh(r)), r), xs!),
  associative_scan_matmul: (m) => lax.associative_scan((a: T, b: T) => np.matmul(a, b), np.multiply(m!, 0.5)),
  associative_scan_add_reverse: (x) => lax.associative_scan(np.add, x!, { reverse: true, axis: 1 }),
  jvp_scan: (w, xs, h0, tw, tx) => jvp((a: T, b: T) => rnn(a, b, h0!), [w!, xs!], [tw!, tx!]),
  jvp_while: (z, t) => jvp((a: T) => grow(a)[0], [z!], [t!]),
  jvp_fori: (v, t) => jvp(foriStatic, [v!], [t!]),
  grad_scan: (w, xs, h0) => grad(rnnLoss)(w!, xs!, h0!),
  hvp_scan: (w, xs, h0, v) => jvp((a: T) => grad(rnnLoss)(a, xs!, h0!), [w!], [v!])[1],
  vmap_scan: (w, xs, h0) => vmap((x: T) => rnn(w!, x, h0!))(xs!),
};

const makeInput = (s: InputSpec): T =>
  s.dtype === "int32"
    ? np.reshape(np.array(new Int32Array(inputValues(s))), s.shape)
    : np.reshape(np.array(new Float32Array(inputValues(s))), s.shape);

const U32 = 2 ** -24;

async function disagreement(c: LoopCase, useJit: boolean): Promise<string | null> {
  const fn = CASES[c.id]!;
  const outs = leaves((useJit ? jit(fn) : fn)(...c.inputs.map(makeInput))) as T[];
  if (outs.length !== c.outputs.length) return `${outs.length} results, JAX has ${c.outputs.length}`;
  for (let k = 0; k < outs.length; k++) {
    const want = c.outputs[k]!,
      out = outs[k]!;
    if (out.shape.join(",") !== want.shape.join(",")) return `result ${k}: shape [${out.shape}], JAX [${want.shape}]`;
    const kind = out.dtype === "int32" ? "int" : out.dtype === "bool" ? "bool" : "float";
    if (kind !== want.dtype) return `result ${k}: dtype ${out.dtype}, JAX ${want.dtype}`;
    const got = Array.from(await out.data(), Number);
    const meanAbs = want.y.reduce((s, y) => s + Math.abs(y), 0) / Math.max(1, want.y.length);
    for (let i = 0; i < got.length; i++) {
      const y = want.y[i]!;
      // Eight times JAX's own float32 error on the element, plus 64 float32 roundings of its size.
      const tol = kind === "float" ? 8 * want.err32[i]! + 64 * U32 * (Math.abs(y) + meanAbs) : 0;
      if (!(Math.abs(got[i]! - y) <= tol))
        return `result ${k}[${i}] = ${got[i]}, JAX float64 ${y} (float32 error ${want.err32[i]})`;
    }
  }
  return null;
}

test(`the loop fixtures hold JAX ${file.jax} results for every loop case written here, on the same inputs`, () => {
  assert.deepEqual(file.cases.map((c) => c.id).sort(), Object.keys(CASES).sort());
  for (const c of file.cases) {
    c.inputs.forEach((s, i) => {
      const v = inputValues(s).map((x) => (s.dtype === "float32" ? Math.fround(x) : x));
      const sum = v.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - c.inputCheck[i]!.sum) <= 1e-6 * Math.max(1, Math.abs(sum)), `${c.id} input ${i}`);
    });
  }
});

// WebGPU twice: scans with elementwise bodies run as recurrence kernels by default, and as loops
// of per-step kernels with recurrence kernels turned off (--ablate recurrence).
for (const [backend, useJit, recurrence] of [
  ["cpu", false, true],
  ["cpu", true, true],
  ["webgpu", true, true],
  ["webgpu", true, false],
] as const) {
  const how = `${useJit ? "under jit" : "eager"}${recurrence ? "" : ", recurrence kernels off"}`;
  test(`loops on ${backend} ${how}: scan, fori, while, cond, map, associative_scan and jvp/grad/vmap through them agree with JAX float64`, async (t) => {
    if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
    const prev = config({ disabledPasses: recurrence ? [] : ["recurrence"] });
    try {
      assert.deepEqual(await disagreementsOn(backend, file.cases, (c) => disagreement(c, useJit)), []);
    } finally {
      config({ disabledPasses: prev.disabledPasses });
    }
  });
}
