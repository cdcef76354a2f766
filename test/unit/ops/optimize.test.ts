// scipy.optimize.minimize against JAX (scripts/jax/run_jax_optimize.py wrote
// test/fixtures/jax/optimize.json: BFGS and L-BFGS on Rosenbrock, a logistic regression, an
// exponential fit, a quadratic and a vmapped multi-start, by JAX 0.10 with jax-ml/jax#40228's
// zoom guard, in float32, and in float64 for the minimizer float32 should reach).
// Each case runs eagerly on the CPU reference and under jit on WebGPU.
// - Cases stopped by a limit (maxiter, maxfun) or converging in a few clean steps follow JAX's
//   trajectory: the same status, nit, nfev and njev, and x to float32 rounding.
// - Cases run to the minimum end where float32 can no longer find a decrease; where that happens
//   depends on rounding (summation order differs between backends), so they are held to what
//   defines a minimum: x within the float32 floor of float64's minimizer (a case's tolerance is
//   √(ε·|f| / λmin), how far f's rounding lets x wander along its flattest direction), the
//   gradient's norm at float32's floor, a status saying converged or stopped at that floor, and
//   `fun` and `jac` the value and gradient at the returned x.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { grad, jit, np, scipy, vmap } from "../../../runtime/src/index.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, refuses, webgpuOrSkip, type Nested } from "./harness.js";

const { minimize, OptimizeResults } = scipy.optimize;
type Fn = (x: Tracer, ...args: Tracer[]) => Tracer;

const rosen: Fn = (x) =>
  np.sum(
    np.add(
      np.multiply(100, np.square(np.subtract(x.slice(1), np.square(x.slice(0, -1))))),
      np.square(np.subtract(1, x.slice(0, -1))),
    ),
  );
const logistic: Fn = (w, X, y) => {
  const z = np.matmul(X!, w);
  return np.add(np.mean(np.subtract(np.logaddexp(0, z), np.multiply(y!, z))), np.multiply(0.01, np.sum(np.square(w))));
};
const expfit: Fn = (p, t, y) => {
  const model = np.add(np.multiply(p.at(0).get(), np.exp(np.multiply(np.negative(p.at(1).get()), t!))), p.at(2).get());
  return np.sum(np.square(np.subtract(model, y!)));
};
const quadratic: Fn = (x, A, b) => np.subtract(np.multiply(0.5, np.dot(x, np.matmul(A!, x))), np.dot(b!, x));
const himmelblau: Fn = (p) => {
  const [a, b] = [p.at(0).get(), p.at(1).get()];
  return np.add(np.square(np.add(np.square(a), b).sub(11)), np.square(np.add(a, np.square(b)).sub(7)));
};
const FUNS: Record<string, Fn> = { rosen, logistic, expfit, quadratic, himmelblau };

interface Stored {
  fun: string;
  method: string;
  options: Record<string, number>;
  x0: Nested;
  args: Nested[];
  result: Record<string, Nested>;
  float64: { x: Nested; fun: Nested; status: Nested };
}
const fixture = join(import.meta.dirname, "../../fixtures/jax/optimize.json");
const cases = (JSON.parse(readFileSync(fixture, "utf8")) as { cases: Record<string, Stored> }).cases;

/** Cases whose path JAX's float32 run and ours share step for step. */
const TRAJECTORY = ["rosen2_bfgs_maxiter5", "rosen8_lbfgs_maxfun12", "logistic_lbfgs", "quadratic_bfgs_norm2_gtol"];
/** Per minimum case: how far float32's rounding of f lets x sit from the minimizer (see top). */
const X_TOL: Record<string, number> = {
  rosen2_bfgs: 1e-3,
  rosen8_bfgs: 2e-3,
  rosen8_lbfgs: 2e-3,
  rosen8_lbfgs_maxcor3: 2e-3,
  logistic_bfgs: 2e-3,
  expfit_bfgs: 5e-4,
  quadratic_bfgs: 2e-4,
  himmelblau_vmap_bfgs: 2e-4,
};

function solve(c: Stored): (x0: Tracer, ...args: Tracer[]) => InstanceType<typeof OptimizeResults> {
  return (x0, ...args) => minimize(FUNS[c.fun]!, x0, args, { method: c.method, options: c.options });
}

async function read(r: InstanceType<typeof OptimizeResults>): Promise<Record<string, Nested>> {
  const out: Record<string, Nested> = {};
  for (const k of ["x", "success", "status", "fun", "jac", "nfev", "njev", "nit"] as const)
    out[k] = (await r[k].toArray()) as Nested;
  if (r.hess_inv) out.hess_inv = (await r.hess_inv.toArray()) as Nested;
  return out;
}

const flat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap((e) => flat(e as Nested)) : [Number(v)]);

async function check(name: string, c: Stored, got: Record<string, Nested>, where: string): Promise<void> {
  const want = c.result;
  if (TRAJECTORY.includes(name)) {
    for (const k of ["status", "nit", "nfev", "njev", "success"] as const)
      assert.deepEqual(got[k], want[k], `${where}: ${k} as JAX's`);
    assertClose(got.x, want.x!, "float32", 1e-5, 1e-5, `${where}: x as JAX's`);
    assertClose(got.fun, want.fun!, "float32", 1e-5, 1e-6, `${where}: fun as JAX's`);
    // BFGS's inverse-Hessian estimate after the same updates.
    if (want.hess_inv) assertClose(got.hess_inv, want.hess_inv, "float32", 1e-4, 1e-5, `${where}: hess_inv as JAX's`);
    return;
  }
  const tol = X_TOL[name]!;
  assertClose(got.x, c.float64.x, "float32", tol, tol, `${where}: x within ${tol} of float64's minimizer`);
  // Converged, or stopped at float32's floor: BFGS's line search found no decrease (3), L-BFGS
  // made too little progress (4).
  const floor = c.method === "BFGS" ? 3 : 4;
  for (const s of flat(got.status!)) assert.ok(s === 0 || s === floor, `${where}: status ${s}, expected 0 or ${floor}`);
  const scale = Math.max(1, ...flat(c.float64.fun).map(Math.abs));
  for (const [g, f, f64] of zip3(flat(got.jac!), flat(got.fun!), flat(c.float64.fun))) {
    assert.ok(Math.abs(g) <= 2e-3 * scale, `${where}: gradient ${g} at float32's floor`);
    assert.ok(Math.abs(f - f64) <= 1e-6 * scale, `${where}: fun ${f} is float64's minimum ${f64}`);
  }
}

function zip3(a: number[], b: number[], c: number[]): [number, number, number][] {
  return a.map((v, i) => [v, b[i % b.length]!, c[i % c.length]!]);
}

/** `fun` and `jac` are f and its gradient at the returned x (also after a failed last search). */
async function checkConsistent(c: Stored, got: Record<string, Nested>, where: string): Promise<void> {
  const f = FUNS[c.fun]!;
  const args = c.args.map((a) => np.array(a as never));
  const xs = c.fun === "himmelblau" ? (got.x as Nested[]) : [got.x!];
  for (const [k, x] of xs.entries()) {
    const at = np.array(x as never);
    const fun = c.fun === "himmelblau" ? (got.fun as number[])[k]! : (got.fun as number);
    const jac = c.fun === "himmelblau" ? (got.jac as Nested[])[k]! : got.jac!;
    assertClose(await f(at, ...args).toArray(), fun, "float32", 1e-5, 1e-6, `${where}: fun = f(x)`);
    assertClose(await grad(f)(at, ...args).toArray(), jac, "float32", 1e-4, 1e-5, `${where}: jac = ∇f(x)`);
  }
}

for (const [name, c] of Object.entries(cases)) {
  const run = (): Tracer[] => [np.array(c.x0 as never), ...c.args.map((a) => np.array(a as never))];
  const batched = name.includes("vmap");
  test(`scipy.optimize.minimize ${c.method} ${name} [cpu reference, eager]: ${TRAJECTORY.includes(name) ? "JAX's steps, counts, x (and BFGS's hess_inv)" : "float64's minimizer, a minimum's gradient and status, fun = f(x)"}`, async () => {
    const solver = (batched ? vmap(solve(c)) : solve(c)) as (...xs: Tracer[]) => InstanceType<typeof OptimizeResults>;
    const got = await read(onBackend("cpu", () => solver(...run())));
    await check(name, c, got, "cpu");
    await onBackend("cpu", () => checkConsistent(c, got, "cpu"));
  });
  test(`scipy.optimize.minimize ${c.method} ${name} [jit on webgpu]: as on the cpu reference, one compiled loop`, async (t) => {
    if (!(await webgpuOrSkip(t))) return;
    const solver = (batched ? vmap(solve(c)) : solve(c)) as (...xs: Tracer[]) => InstanceType<typeof OptimizeResults>;
    const got = await read(onBackend("webgpu", () => jit(solver)(...run())));
    await check(name, c, got, "jit on webgpu");
    await onBackend("cpu", () => checkConsistent(c, got, "jit on webgpu"));
  });
}

test("scipy.optimize.minimize returns OptimizeResults, a pytree: through jit it comes back as one, and L-BFGS's hess_inv is null", () => {
  onBackend("cpu", () => {
    const c = cases.logistic_lbfgs!;
    const args = c.args.map((a) => np.array(a as never));
    const r = jit((x0: Tracer) => minimize(logistic, x0, args, { method: c.method }))(np.zeros([5]));
    assert.ok(r instanceof OptimizeResults);
    assert.equal(r.hess_inv, null);
    assert.deepEqual(r.x.shape, [5]);
    assert.equal(r.nit.dtype, "int32");
    assert.equal(r.success.dtype, "bool");
  });
});

test("scipy.optimize.minimize: tol sets BFGS's gtol as in SciPy (the same iterations as options.gtol, fewer than the default)", async () => {
  await onBackend("cpu", async () => {
    const c = cases.quadratic_bfgs!;
    const args = c.args.map((a) => np.array(a as never));
    const nit = async (o: object): Promise<number> =>
      (await minimize(quadratic, np.zeros([6]), args, { method: "BFGS", ...o }).nit.toArray()) as number;
    const byTol = await nit({ tol: 0.05 });
    assert.equal(byTol, await nit({ options: { gtol: 0.05 } }));
    assert.ok(byTol < (await nit({})), `tol 0.05 took ${byTol} iterations`);
    assert.equal(await nit({ tol: 0.05, options: { gtol: 1e-5 } }), await nit({}), "options.gtol wins over tol");
  });
});

test("scipy.optimize.minimize refuses bad input, naming it: no method, a method JAX lacks, x0 not 1-D, fun not scalar, a misspelled option, args not a list", () => {
  onBackend("cpu", () => {
    const x0 = np.zeros([2]);
    refuses(() => minimize(rosen, x0, [], undefined), /method is required, as in JAX: \{ method: "BFGS" \}/);
    refuses(
      () => minimize(rosen, x0, [], { method: "L-BFGS-B" }),
      /method "L-BFGS-B" is not one JAX implements; .*without bounds, is "l-bfgs-experimental-do-not-rely-on-this"/,
    );
    refuses(
      () => minimize(rosen, np.zeros([2, 2]), [], { method: "BFGS" }),
      /x0 must be a 1-D array of the variables, got float32\[2,2\]; .*flatten_util\.ravel_pytree/,
    );
    refuses(
      () => minimize((x: Tracer) => np.square(x), x0, [], { method: "BFGS" }),
      /fun must return a scalar, got float32\[2\]/,
    );
    refuses(
      () => minimize(rosen, x0, [], { method: "BFGS", options: { gtoll: 1e-3 } as never }),
      /unknown option "gtoll": did you mean "gtol"\?/,
    );
    refuses(
      () => minimize(rosen, x0, [], { method: "BFGS", options: { maxcor: 3 } as never }),
      /unknown option "maxcor"/,
    );
    refuses(
      () => minimize(rosen, x0, { method: "BFGS" } as never),
      /args must be a list .*; the options come fourth: minimize\(fun, x0, \[\], \{ method: "BFGS" \}\)/,
    );
  });
});
