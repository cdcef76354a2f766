// jacfwd, jacrev and hessian: JAX's results for realistic cases (scripts/jax/run_jax_jacobians.py
// wrote test/fixtures/jax/jacobians.json), replayed on the CPU backend and on WebGPU, eager and
// under jit, each within a float32 tolerance of JAX float64 and in JAX's nesting; per-example
// Jacobians under vmap against a loop of single ones; loops. Bad input: jacobianErrors.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as api from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as nn from "../../../runtime/src/nn.js";
import * as lax from "../../../runtime/src/lax.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import { jacfwd, jacrev, hessian } from "../../../runtime/src/trace/jacobian.js";
import { Tracer } from "../../../runtime/src/trace/core.js";
import { inputValues, type InputSpec } from "../jax/dsl.js";
import { assertClose, disagreementsOn, onBackend, webgpuOrSkip, type Nested } from "../ops/harness.js";

config({ backend: "cpu" });

type T = Tracer;
interface JacCase {
  id: string;
  inputs: InputSpec[];
  inputCheck: { sum: number; head: number[] }[];
  structure: string;
  outputs: { shape: number[]; y: number[]; err32: number[] }[];
}
const file: { jax: string; cases: JacCase[] } = JSON.parse(
  readFileSync(new URL("../../fixtures/jax/jacobians.json", import.meta.url), "utf8"),
);

// The functions of run_jax_jacobians.py, with our API.
const mlpLayer = (w: T, b: T, x: T) => np.tanh(np.add(np.matmul(x, np.multiply(w, 0.5)), b));
const twoArgs = (a: T, b: T) => np.add(np.outer(np.sin(a), b), np.multiply(np.sum(np.multiply(a, a)), 0.1));
const affineTree = (p: { w: T; b: T }, x: T) => np.tanh(np.add(np.matmul(p.w, x), p.b));
const treeOut = (x: T) => ({
  norm: np.sum(np.multiply(x, x)),
  act: np.multiply(nn.sigmoid(x), np.take(x, 0)),
});
const logregLoss = (w: T, xs: T, t: T) => {
  const z = np.matmul(xs, w);
  return np.mean(np.subtract(nn.softplus(z), np.multiply(nn.sigmoid(t), z)));
};
const rosenbrock = (x: T) => {
  const n = x.shape[0]!;
  const head = np.slice(x, [0], [n - 1]);
  const tail = np.slice(x, [1], [n]);
  return np.sum(
    np.add(np.multiply(100, np.square(np.subtract(tail, np.square(head)))), np.square(np.subtract(1, head))),
  );
};
const withAux = (x: T): [T, { mean: T; twice: T }] => {
  const y = np.multiply(np.sin(x), np.sum(x));
  return [y, { mean: np.mean(y), twice: np.multiply(x, 2) }];
};
const scalarAux = (x: T): [T, T] => [np.sum(np.multiply(np.exp(np.multiply(x, 0.5)), x)), np.max(x)];
const matmulReduce = (a: T, b: T) => np.multiply(np.sum(np.tanh(np.matmul(a, b)), 0), np.mean(a));
const rnn = (w: T, xs: T, h0: T) => {
  const [h, ys] = lax.scan(
    (h: T, x: T): [T, T] => {
      const h2 = np.tanh(np.add(np.matmul(h, np.multiply(w, 0.25)), x));
      return [h2, np.sum(np.multiply(h2, h2))];
    },
    h0,
    xs,
  );
  return np.concatenate([h, ys]);
};
const rnnLoss = (h0: T, w: T, xs: T) => np.sum(np.square(rnn(w, xs, h0)));
const foriLoss = (v: T) => {
  const u = lax.fori_loop(0, 5, (_i: T, u: T) => np.sin(np.add(np.multiply(u, 0.9), np.multiply(v, 0.3))), v);
  return np.sum(np.multiply(u, u));
};

const CASES: Record<string, (...a: T[]) => unknown> = {
  mlp_layer_jacfwd_w: jacfwd(mlpLayer),
  mlp_layer_jacrev_w_batch: jacrev(mlpLayer),
  softmax_jacrev: jacrev((x: T) => nn.softmax(x)),
  softmax_jacfwd: jacfwd((x: T) => nn.softmax(x)),
  two_args_jacrev_argnums_01: jacrev(twoArgs, [0, 1]),
  two_args_jacfwd_argnums_10: jacfwd(twoArgs, [1, 0]),
  pytree_input_jacrev: (w, b, x) => jacrev(affineTree)({ w: w!, b: b! }, x!),
  pytree_input_jacfwd_argnums_01: (w, b, x) => jacfwd(affineTree, [0, 1])({ w: w!, b: b! }, x!),
  pytree_output_jacrev: jacrev(treeOut),
  pytree_output_jacfwd: jacfwd(treeOut),
  hessian_logreg: hessian(logregLoss),
  hessian_rosenbrock: hessian(rosenbrock),
  hessian_argnums_01: hessian(
    (a: T, b: T) =>
      np.add(np.multiply(np.sum(np.sin(a)), np.sum(np.multiply(b, b))), np.multiply(np.sum(a), np.take(b, 0))),
    [0, 1],
  ),
  jacrev_has_aux: jacrev(withAux, 0, { has_aux: true }),
  jacfwd_has_aux: jacfwd(withAux, 0, { has_aux: true }),
  hessian_has_aux: hessian(scalarAux, 0, { has_aux: true }),
  matmul_reduce_jacrev_argnums_01: jacrev(matmulReduce, [0, 1]),
  matmul_reduce_jacfwd: jacfwd(matmulReduce),
  scan_rnn_jacrev_w: jacrev(rnn),
  scan_rnn_jacfwd_w: jacfwd(rnn),
  scan_rnn_hessian_h0: hessian(rnnLoss),
  fori_hessian: hessian(foriLoss),
  vmap_jacrev_per_example: (w, b, xs) => vmap((x: T) => jacrev(mlpLayer, 2)(w!, b!, x))(xs!),
  vmap_hessian_per_example: vmap(hessian(rosenbrock)),
};

const makeInput = (s: InputSpec): T => np.reshape(np.array(new Float32Array(inputValues(s))), s.shape);

/** As the fixture's `structure`: (..) for lists, {k:..} with keys sorted, <shape> for arrays. */
function structure(tree: unknown): string {
  if (tree instanceof Tracer) return `<${tree.shape.join(",")}>`;
  if (Array.isArray(tree)) return `(${tree.map(structure).join(",")})`;
  const o = tree as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${k}:${structure(o[k])}`)
    .join(",")}}`;
}

/** The leaves in JAX's order (dict keys sorted). */
function sortedLeaves(tree: unknown): T[] {
  if (tree instanceof Tracer) return [tree];
  if (Array.isArray(tree)) return tree.flatMap(sortedLeaves);
  const o = tree as Record<string, unknown>;
  return Object.keys(o)
    .sort()
    .flatMap((k) => sortedLeaves(o[k]));
}

const U32 = 2 ** -24;

async function disagreement(c: JacCase, useJit: boolean): Promise<string | null> {
  const fn = CASES[c.id]!;
  const result = (useJit ? jit(fn) : fn)(...c.inputs.map(makeInput));
  const s = structure(result);
  if (s !== c.structure) return `structure ${s}, JAX ${c.structure}`;
  const outs = sortedLeaves(result);
  for (let k = 0; k < outs.length; k++) {
    const want = c.outputs[k]!;
    const got = Array.from(await outs[k]!.data(), Number);
    const meanAbs = want.y.reduce((a, y) => a + Math.abs(y), 0) / Math.max(1, want.y.length);
    for (let i = 0; i < got.length; i++) {
      const y = want.y[i]!;
      // Eight times JAX's own float32 error on the element, plus 64 float32 roundings of its size.
      const tol = 8 * want.err32[i]! + 64 * U32 * (Math.abs(y) + meanAbs);
      if (!(Math.abs(got[i]! - y) <= tol))
        return `leaf ${k}[${i}] = ${got[i]}, JAX float64 ${y} (float32 error ${want.err32[i]})`;
    }
  }
  return null;
}

test(`the Jacobian fixtures hold JAX ${file.jax} results for every case written here, on the same inputs`, () => {
  assert.deepEqual(file.cases.map((c) => c.id).sort(), Object.keys(CASES).sort());
  for (const c of file.cases) {
    c.inputs.forEach((s, i) => {
      const sum = inputValues(s).reduce((a, v) => a + Math.fround(v), 0);
      assert.ok(Math.abs(sum - c.inputCheck[i]!.sum) <= 1e-6 * Math.max(1, Math.abs(sum)), `${c.id} input ${i}`);
    });
  }
});

for (const [backend, useJit] of [
  ["cpu", false],
  ["cpu", true],
  ["webgpu", false],
  ["webgpu", true],
] as const) {
  test(`jacfwd, jacrev and hessian on ${backend} ${useJit ? "under jit" : "eager"} agree with JAX float64 in value and nesting`, async (t) => {
    if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
    assert.deepEqual(await disagreementsOn(backend, file.cases, (c) => disagreement(c, useJit)), []);
  });
}

const W = makeInput({ shape: [4, 3], dtype: "float32", seed: 101, lo: -2 });
const B = makeInput({ shape: [3], dtype: "float32", seed: 102, lo: -2 });
const XS = makeInput({ shape: [6, 4], dtype: "float32", seed: 103, lo: -2 });

for (const backend of ["cpu", "webgpu"] as const) {
  test(`vmap(jacrev(f)) and jit(vmap(jacfwd(f))) on ${backend} equal jacrev(f) taken example by example`, async (t) => {
    if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
    // onBackend is synchronous: every array is made inside it, and read afterwards.
    const pairs = onBackend(backend, () => {
      const perExample = (x: T) => jacrev(mlpLayer, [0, 2])(W, B, x);
      const batched = vmap(perExample)(XS) as T[];
      const batchedFwd = jit(vmap((x: T) => jacfwd(mlpLayer, [0, 2])(W, B, x)))(XS) as T[];
      assert.deepEqual(batched[0]!.shape, [6, 3, 4, 3]);
      assert.deepEqual(batched[1]!.shape, [6, 3, 4]);
      return Array.from({ length: 6 }, (_, i) => {
        const one = perExample(np.take(XS, i, 0)) as T[];
        return [0, 1].map((j) => [one[j]!, np.take(batched[j]!, i, 0), np.take(batchedFwd[j]!, i, 0)] as const);
      });
    });
    for (const [i, perArg] of pairs.entries()) {
      for (const [j, [one, rev, fwd]] of perArg.entries()) {
        const want = (await one.toArray()) as Nested;
        assertClose(await rev.toArray(), want, "float32", 1e-5, 1e-6, `vmap(jacrev) example ${i}.${j}`);
        assertClose(await fwd.toArray(), want, "float32", 1e-5, 1e-6, `vmap(jacfwd) example ${i}.${j}`);
      }
    }
  });
}

// z ← z·x three times from z = x: z = x⁴ elementwise, so the Jacobian is diag(4x³).
const power4 = (x: T) =>
  lax.while_loop(
    ([, k]: [T, T]) => np.less(k, 3),
    ([z, k]: [T, T]): [T, T] => [np.multiply(z, x), np.add(k, 1)],
    [x, np.array(0, { dtype: "int32" })] as [T, T],
  )[0];

test("jacfwd goes through a while_loop under jit (diag 4x³ for x⁴); jacrev and hessian of it under jit are JAX's error", async () => {
  const x = np.array([0.5, -1, 2]);
  const j = jit(jacfwd(power4))(x);
  assertClose(
    await j.toArray(),
    [
      [0.5, 0, 0],
      [0, -4, 0],
      [0, 0, 32],
    ],
    "float32",
  );
  for (const t of [jacrev, hessian]) {
    assert.throws(() => jit(t(power4))(x), /lax\.while_loop is not differentiable in reverse mode/);
  }
});

test("jacfwd and jacrev take JS numbers as float32 scalars and return a JS-number output's zero Jacobian", async () => {
  const f = (a: T, s: T) => [np.multiply(a, s), 7];
  for (const J of [jacfwd, jacrev]) {
    const [da, seven] = J(f, [0, 1])(np.array([1, 2]), 3 as unknown as T) as unknown as [T[], T[]];
    assert.deepEqual(await da[0]!.toArray(), [
      [3, 0],
      [0, 3],
    ]);
    assert.deepEqual(await da[1]!.toArray(), [1, 2]);
    assert.deepEqual(await seven[0]!.toArray(), [0, 0]);
    assert.deepEqual(seven[1]!.shape, []);
  }
});

test("the public API exports jacfwd, jacrev and hessian", () => {
  assert.equal(api.jacfwd, jacfwd);
  assert.equal(api.jacrev, jacrev);
  assert.equal(api.hessian, hessian);
});

test("jacobian is jacrev, as jax.jacobian: the same function, and x ↦ x² on [1, 2] gives diag(2, 4)", async () => {
  assert.equal(api.jacobian, api.jacrev);
  const j = api.jacobian((x: api.Array) => np.square(x))(np.array([1, 2]));
  assert.deepEqual(await j.toArray(), [
    [2, 0],
    [0, 4],
  ]);
});
