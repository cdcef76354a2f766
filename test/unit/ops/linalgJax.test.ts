// np.linalg (cholesky, solve_triangular, solve, inv, det, slogdet) against JAX: values, grad,
// jvp, vmap and grad-of-grad from scripts/jax/run_jax_linalg.py (test/fixtures/jax/linalg.json,
// JAX in float64 on the same float32 inputs), each case written again here with our API under
// the same name, on the CPU backend and on WebGPU, eagerly and under jit.
//
// Tolerance: a backward-stable float32 factorisation has a relative error of about
// n·κ·2⁻²⁴ in its results, κ the matrix's 2-norm condition number (recorded per case by the
// script). We allow 8·n·κ·2⁻²⁴, at least 2e-5: a well-conditioned 8×8 (κ ≈ 3) gets 2e-5, the
// κ = 1000 case 3e-3, the GP kernel (κ ≈ 58, n = 12) 3.3e-4. Gradients have the same bound: each
// is a few more solves with the same matrix.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as np from "../../../runtime/src/np.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import { jvp } from "../../../runtime/src/trace/jvp.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, webgpuOrSkip, type Nested } from "./harness.js";

config({ backend: "cpu" });

type Json = number | string | null | Json[];
interface Case {
  name: string;
  args: Json[];
  y: Json;
  cond: number;
}
const file: { jax: string; cases: Case[] } = JSON.parse(
  readFileSync(new URL("../../fixtures/jax/linalg.json", import.meta.url), "utf8"),
);

/** The fixture's NaN (null) and infinities ("inf", "-inf") as numbers. */
function revive(y: Json): Nested {
  if (Array.isArray(y)) return y.map(revive);
  if (y === null) return NaN;
  if (typeof y === "string") return y === "inf" ? Infinity : -Infinity;
  return y;
}

const L = np.linalg;
type Out = Tracer | readonly Tracer[];
const sumW = (w: Tracer, y: Tracer) => np.sum(np.multiply(w, y));
const logdet = (a: Tracer) => L.slogdet(a)[1];

function gpNll(logEll: Tracer, x: Tracer, y: Tracer, viaSlogdet = false): Tracer {
  const n = x.shape[0]!;
  const d = np.subtract(np.expand_dims(x, 1), np.expand_dims(x, 0));
  const scale = np.exp(np.multiply(2, logEll));
  const k = np.add(
    np.multiply(1.3, np.exp(np.divide(np.multiply(-0.5, np.square(d)), scale))),
    np.multiply(0.1, np.eye(n)),
  );
  const c = 0.5 * n * Math.log(2 * Math.PI);
  if (viaSlogdet)
    return np.add(np.add(np.multiply(0.5, np.dot(y, L.solve(k, y))), np.multiply(0.5, L.slogdet(k)[1])), c);
  const chol = L.cholesky(k);
  const alpha = L.solve_triangular(chol, y, { lower: true });
  return np.add(np.add(np.multiply(0.5, np.sum(np.square(alpha))), np.sum(np.log(np.diagonal(chol)))), c);
}

const jvp1 =
  (f: (a: Tracer) => Tracer) =>
  (a: Tracer, t: Tracer): Tracer =>
    jvp(f, [a], [t])[1];

/** Each fixture case, written with our API. */
const CASES: Record<string, (...xs: Tracer[]) => Out> = {
  "cholesky/2x2": (a) => L.cholesky(a),
  "solve/2x2": (a, b) => L.solve(a, b),
  "inv/2x2": (a) => L.inv(a),
  "det/2x2": (a) => L.det(a),
  "slogdet/2x2": (a) => L.slogdet(a),
  "cholesky/spd8": (a) => L.cholesky(a),
  "cholesky-upper/spd8": (a) => L.cholesky(a, { upper: true }),
  "solve_triangular/lower/spd8": (l, b) => L.solve_triangular(l, b, { lower: true }),
  "solve_triangular/trans/spd8": (l, b) => L.solve_triangular(l, b, { lower: true, trans: 1 }),
  "solve_triangular/upper/spd8": (l, b) => L.solve_triangular(np.transpose(l), b, { lower: false }),
  "solve_triangular/unit-vector/spd8": (l, b) => L.solve_triangular(l, b, { lower: true, unit_diagonal: true }),
  "solve/spd8": (a, b) => L.solve(a, b),
  "solve/general5": (a, b) => L.solve(a, b),
  "solve-vector/general5": (a, b) => L.solve(a, b),
  "inv/general5": (a) => L.inv(a),
  "det/general5": (a) => L.det(a),
  "slogdet/general5": (a) => L.slogdet(a),
  "det/spd8": (a) => L.det(a),
  "cholesky/batched": (a) => L.cholesky(a),
  "solve/batched": (a, b) => L.solve(a, b),
  "solve/batched-broadcast-b": (a, b) => L.solve(a, b),
  "inv/batched": (a) => L.inv(a),
  "det/batched": (a) => L.det(a),
  "slogdet/batched": (a) => L.slogdet(a),
  "cholesky/not-positive-definite": (a) => L.cholesky(a),
  "det/singular": (a) => L.det(a),
  "slogdet/singular": (a) => L.slogdet(a),
  "cholesky/ill-conditioned": (a) => L.cholesky(a),
  "solve/ill-conditioned": (a, b) => L.solve(a, b),
  "slogdet/ill-conditioned": (a) => L.slogdet(a),
  "grad/cholesky/spd8": (a, w) => grad((x: Tracer) => sumW(w, L.cholesky(x)))(a),
  "grad/solve_triangular/spd8": (l, b) =>
    grad((m: Tracer, v: Tracer) => np.sum(np.sin(L.solve_triangular(m, v, { lower: true }))), [0, 1])(l, b),
  "grad/solve/general5": (a, b) => grad((m: Tracer, v: Tracer) => np.sum(np.sin(L.solve(m, v))), [0, 1])(a, b),
  "grad/inv/general5": (a, w) => grad((x: Tracer) => sumW(w, L.inv(x)))(a),
  "grad/det/general5": (a) => grad((x: Tracer) => L.det(x))(a),
  "grad/logdet/spd8": (a) => grad(logdet)(a),
  "grad/logdet/ill-conditioned": (a) => grad(logdet)(a),
  "grad/cholesky/batched": (a) => grad((x: Tracer) => np.sum(np.tanh(L.cholesky(x))))(a),
  "grad2/logdet/spd8": (a, w) => grad((x: Tracer) => sumW(w, grad(logdet)(x)))(a),
  "gp/nll": (l, x, y) => gpNll(l, x, y),
  "gp/grad-lengthscale": (l, x, y) => grad((v: Tracer) => gpNll(v, x, y))(l),
  "gp/grad-lengthscale-slogdet": (l, x, y) => grad((v: Tracer) => gpNll(v, x, y, true))(l),
  "jvp/cholesky/spd8": jvp1((x) => L.cholesky(x)),
  "jvp/inv/general5": jvp1((x) => L.inv(x)),
  "jvp/det/general5": jvp1((x) => L.det(x)),
  "jvp/solve/general5": (a, t, b) => jvp((m: Tracer) => L.solve(m, b), [a], [t])[1],
  "vmap/grad-logdet/batched": (a) => vmap(grad(logdet))(a),
  "vmap/solve/batched": (a, b) => vmap((m: Tracer, v: Tracer) => L.solve(m, v))(a, b),
};

function tolerance(c: Case, args: readonly Tracer[]): number {
  const a = args[0]!;
  const n = c.name.startsWith("gp/") ? args[1]!.shape[0]! : a.ndim >= 2 ? a.shape[a.ndim - 1]! : 1;
  return Math.max(2e-5, (8 * n * c.cond) / 2 ** 24);
}

test("every fixture case has a function here, and every function a case", () => {
  assert.deepEqual(
    file.cases.map((c) => c.name),
    Object.keys(CASES),
  );
});

for (const backend of ["cpu", "webgpu"] as const) {
  for (const useJit of [false, true]) {
    test(`np.linalg values and derivatives match JAX ${file.jax} (float64 reference) in ${file.cases.length} cases on ${backend}${useJit ? " under jit" : " eagerly"}`, async (t) => {
      if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
      const runs = onBackend(backend, () =>
        file.cases.map((c) => {
          const args = c.args.map((a) => np.array(revive(a) as number[], { dtype: "float32" }));
          const f = CASES[c.name]!;
          const out = (useJit ? jit(f) : f)(...args);
          return { c, out, tol: tolerance(c, args) };
        }),
      );
      for (const { c, out, tol } of runs) {
        const got = Array.isArray(out)
          ? await Promise.all(out.map((o: Tracer) => o.toArray()))
          : await (out as Tracer).toArray();
        assertClose(got, revive(c.y), "float32", tol, tol, c.name);
      }
    });
  }
}
