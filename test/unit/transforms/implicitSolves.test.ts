// lax.custom_root and lax.custom_linear_solve against JAX (scripts/jax/run_jax_implicit.py wrote
// test/fixtures/jax/implicit.json): a square root by Newton's method in a while_loop and its
// gradient, a deep-equilibrium fixed point found to a tolerance and its gradients in W, U and b
// (tangent_solve a dense solve of the linearised map's Jacobian), a linear system solved by 12
// conjugate-gradient steps and its gradients in A and b, a block system with a pytree right-hand
// side, and has_aux. Each on the CPU reference, on WebGPU and under jit on WebGPU (harness.ts
// opCases). Then: a forward call adds no second solve, vmap of the implicit gradient, and bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, jacfwd, jit, lax, make_jaxpr, vmap } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, opCases, refuses, type Nested, type OpCase } from "../ops/harness.js";
import { fixtureCases } from "../ops/surface2Expected.js";

type T = Tracer;
const { jaxOpCase, jaxParts, jaxCase } = fixtureCases("implicit");
const f = (v: Nested): T => np.array(v as never, { dtype: "float32" });
const tol = { rtol: 2e-5, atol: 2e-6 };

function newtonSqrt(a: T, has_aux = false) {
  const fn = (x: T) => np.subtract(np.multiply(x, x), a);
  const solve = (fx: (x: T) => T, x0: T) => {
    const [x, i] = lax.while_loop(
      ([x, i]: [T, T]) => np.logical_and(np.greater(np.max(np.abs(fx(x))), 1e-6), np.less(i, 50)),
      ([x, i]: [T, T]) => [np.subtract(x, np.divide(fx(x), np.multiply(x, 2))), np.add(i, 1)] as [T, T],
      [x0, np.array(0, { dtype: "int32" })] as [T, T],
    );
    return has_aux ? [x, i] : x;
  };
  return lax.custom_root(fn, np.ones_like(a), solve, (g, y) => np.divide(y, g(np.ones_like(y))), has_aux);
}

function deq(W: T, U: T, b: T, x: T): T {
  const fn = (z: T) => np.subtract(np.tanh(np.add(np.add(np.matmul(W, z), np.matmul(U, x)), b)), z);
  const solve = (fz: (z: T) => T, z0: T) =>
    lax.while_loop(
      ([, delta, i]: [T, T, T]) => np.logical_and(np.greater(delta, 1e-7), np.less(i, 200)),
      ([z, , i]: [T, T, T]) => {
        const z2 = np.add(fz(z), z);
        return [z2, np.max(np.abs(np.subtract(z2, z))), np.add(i, 1)] as [T, T, T];
      },
      [z0, np.array(1), np.array(0, { dtype: "int32" })] as [T, T, T],
    )[0];
  return lax.custom_root(fn, np.zeros_like(b), solve, (g, y) => np.linalg.solve(jacfwd(g)(y) as T, y)) as T;
}

function cg(matvec: (x: T) => T, b: T): T {
  const body = (_i: T, [x, r, p, rs]: [T, T, T, T]): [T, T, T, T] => {
    const Ap = matvec(p);
    const alpha = np.divide(rs, np.maximum(np.vdot(p, Ap), 1e-30));
    const x2 = np.add(x, np.multiply(alpha, p));
    const r2 = np.subtract(r, np.multiply(alpha, Ap));
    const rs2 = np.vdot(r2, r2);
    return [x2, r2, np.add(r2, np.multiply(np.divide(rs2, np.maximum(rs, 1e-30)), p)), rs2];
  };
  return lax.fori_loop(0, 12, body, [np.zeros_like(b), b, b, np.vdot(b, b)] as [T, T, T, T])[0];
}
const lin = (A: T, b: T) => lax.custom_linear_solve((x: T) => np.matmul(A, x), b, cg, { symmetric: true }) as T;

function block(A1: T, A2: T, b1: T, b2: T): [T, T] {
  const mv = ([x1, x2]: [T, T]): [T, T] => [np.matmul(A1, x1), np.matmul(A2, x2)];
  const solve = (_mv: unknown, [r1, r2]: [T, T]): [T, T] => [np.linalg.solve(A1, r1), np.linalg.solve(A2, r2)];
  return lax.custom_linear_solve(mv, [b1, b2] as [T, T], solve, { symmetric: true }) as [T, T];
}

const cases: OpCase[] = [
  jaxOpCase("sqrt_root", (a) => newtonSqrt(f(a)) as T, tol),
  jaxOpCase("sqrt_root_grad", (a, w) => grad((x: T) => np.sum(np.multiply(newtonSqrt(x) as T, f(w))))(f(a)) as T, tol),
  jaxOpCase("sqrt_root_aux_0", (a) => (newtonSqrt(f(a), true) as [T, T])[0], tol),
  jaxOpCase("sqrt_root_aux_1", (a) => (newtonSqrt(f(a), true) as [T, T])[1], { dtype: "int32" }),
  jaxOpCase("deq_fixed_point", (W, U, b, x) => deq(f(W), f(U), f(b), f(x)), tol),
  ...jaxParts(
    "deq_grad",
    3,
    (W, U, b, x, w) =>
      grad((w1: T, u1: T, b1: T) => np.sum(np.multiply(deq(w1, u1, b1, f(x)), f(w))), [0, 1, 2])(
        f(W),
        f(U),
        f(b),
      ) as T[],
  ).map((c) => ({ ...c, ...tol })),
  jaxOpCase("linear_solve", (A, b) => lin(f(A), f(b)), tol),
  ...jaxParts(
    "linear_solve_grad",
    2,
    (A, b, w) => grad((a: T, bb: T) => np.sum(np.multiply(lin(a, bb), f(w))), [0, 1])(f(A), f(b)) as T[],
  ).map((c) => ({ ...c, ...tol })),
  ...jaxParts("block_solve", 2, (A1, A2, b1, b2) => block(f(A1), f(A2), f(b1), f(b2))).map((c) => ({ ...c, ...tol })),
  ...jaxParts(
    "block_solve_grad",
    2,
    (A1, A2, b1, b2) =>
      grad(
        (x1: T, x2: T) => {
          const [y1, y2] = block(f(A1), f(A2), x1, x2);
          return np.add(np.sum(y1), np.multiply(np.sum(y2), 2));
        },
        [0, 1],
      )(f(b1), f(b2)) as T[],
  ).map((c) => ({ ...c, ...tol })),
];
opCases("lax.custom_root / custom_linear_solve", cases);

test("custom_linear_solve without a gradient traces one solve (one loop), with a gradient a second on the residual", () => {
  onBackend("cpu", () => {
    const { inputs } = jaxCase("linear_solve");
    const loops = (fn: (...a: T[]) => unknown) =>
      make_jaxpr(fn)(f(inputs[0]!), f(inputs[1]!)).program.eqns.filter((e) => e.prim === "scan").length;
    assert.equal(
      loops((A: T, b: T) => cg((x: T) => np.matmul(A, x), b)),
      1,
      "CG alone: one fori_loop",
    );
    assert.equal(loops(lin), 1, "the forward adds a matvec and a subtraction (the residual), not a second solve");
    // Under grad: the solve, the solve on the residual (the correction), and its pullback.
    assert.equal(
      loops((A: T, b: T) => grad((bb: T) => np.sum(lin(A, bb)))(b)),
      3,
    );
  });
});

test("a solver that takes its own grad inside the suspended region still differentiates: Newton with grad(f) finds √a, d√a/da = 1/(2√a) and d²√a/da² = −1/(4a^1.5)", async () => {
  const got = onBackend("cpu", () => {
    const root = (a: T) =>
      lax.custom_root(
        (x: T) => np.subtract(np.multiply(x, x), a),
        np.array(1),
        (fx, x0) => lax.fori_loop(0, 30, (_i: T, x: T) => np.subtract(x, np.divide(fx(x), grad(fx)(x) as T)), x0),
        (g, y) => np.divide(y, g(np.array(1))),
      ) as T;
    return [root(np.array(2.25)), grad(root)(np.array(2.25)) as T, grad(grad(root))(np.array(2.25)) as T];
  });
  assertClose(await got[0]!.toArray(), 1.5, "float32", 1e-6, 0, "√2.25");
  assertClose(await got[1]!.toArray(), 1 / 3, "float32", 1e-6, 0, "1/(2√a)");
  // Under two grads the correction is applied twice (each Newton step doubles the order of the
  // derivatives it gets right): −1/(4 a^1.5).
  assertClose(await got[2]!.toArray(), -1 / (4 * 2.25 ** 1.5), "float32", 1e-5, 0, "d²√a/da²");
});

test("vmap of custom_root's implicit gradient over a batch of inputs gives each input's JAX gradient", async () => {
  const { inputs, expect } = jaxCase("sqrt_root_grad");
  const got = onBackend("cpu", () => {
    const a = f(inputs[0]!),
      w = f(inputs[1]!);
    // Each row a scaled copy of a: d/da of w·sqrt(c·a) is √c times the unscaled gradient.
    const batch = np.stack([a, np.multiply(a, 4)]);
    return vmap((x: T) => grad((y: T) => np.sum(np.multiply(newtonSqrt(y) as T, w)))(x))(batch) as T;
  });
  const g = expect as number[];
  assertClose(await got.toArray(), [g, g.map((v) => v / 2)], "float32", 2e-5, 2e-6, "vmap(grad(custom_root))");
  const jitted = onBackend("cpu", () =>
    jit((x: T) => grad((y: T) => np.sum(np.multiply(newtonSqrt(y) as T, f(inputs[1]!))))(x))(f(inputs[0]!)),
  ) as T;
  assertClose(await jitted.toArray(), g, "float32", 2e-5, 2e-6, "jit(grad(custom_root))");
});

test("custom_root and custom_linear_solve refuse bad input, naming it: a non-function solve, has_aux without a pair, an unknown option, a mismatched tree", () => {
  onBackend("cpu", () => {
    const x = np.ones([2]);
    refuses(
      () =>
        lax.custom_root(
          (z: T) => z,
          x,
          null as never,
          (_g, y) => y,
        ),
      /lax\.custom_root: solve must be a function, got object/,
    );
    refuses(
      () =>
        lax.custom_root(
          (z: T) => z,
          x,
          (_f, z0) => z0,
          (_g, y) => y,
          true,
        ),
      /lax\.custom_root: with has_aux the solve must return \[solution, aux\]/,
    );
    refuses(
      () =>
        lax.custom_linear_solve(
          (z: T) => z,
          x,
          (_m, b) => b,
          { symetric: true } as never,
        ),
      /lax\.custom_linear_solve: unknown option "symetric"/,
    );
    refuses(
      () =>
        lax.custom_linear_solve(
          (z: T) => [z, z] as never,
          x,
          (_m, b) => b,
        ),
      /lax\.custom_linear_solve: matvec must return a tree like b \(2 leaves for 1\)/,
    );
  });
});
