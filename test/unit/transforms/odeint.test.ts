// ode.odeint against jax.experimental.ode.odeint (scripts/jax/run_jax_odeint.py wrote
// test/fixtures/jax/odeint.json, solved in float64 at rtol = atol = 1e-7, so its values are the
// true solution to ~1e-7): Lotka–Volterra with a dict of rates (values, and the adjoint gradient in
// the rates, y0 and the times), a pendulum whose state is a tuple, and a neural ODE's weight
// gradients. Solved here in float32 at rtol = atol = 1e-6 and compared at rtol 1e-4. Each on the
// CPU reference, on WebGPU and under jit on WebGPU (harness.ts opCases). Then hand-checked
// exponential decay, options and bad input.
import { test } from "node:test";
import { grad, ode } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, opCases, refuses, type Nested, type OpCase } from "../ops/harness.js";
import { fixtureCases } from "../ops/surface2Expected.js";

type T = Tracer;
const { jaxOpCase, jaxParts } = fixtureCases("odeint");
const f = (v: Nested): T => np.array(v as never, { dtype: "float32" });
const tol = { rtol: 1e-6, atol: 1e-6 };
const close = { rtol: 1e-4, atol: 1e-5 };

type Rates = { a: T; b: T; c: T; d: T };
const lotka = (y: T, _t: T, p: Rates) => {
  const [x, z] = [np.take(y, 0), np.take(y, 1)];
  return np.stack([
    np.subtract(np.multiply(p.a, x), np.multiply(np.multiply(p.b, x), z)),
    np.subtract(np.multiply(np.multiply(p.d, x), z), np.multiply(p.c, z)),
  ]);
};
const pendulum = ([q, p]: [T, T], _t: T, g: T): [T, T] => [p, np.negative(np.multiply(g, np.sin(q)))];
const field = (z: T, _t: T, W1: T, b1: T, W2: T) => np.matmul(np.tanh(np.add(np.matmul(z, W1), b1)), W2);

const cases: OpCase[] = [
  jaxOpCase(
    "lotka_volterra",
    (y0, ts, a, b, c, d) => ode.odeint(lotka, f(y0), f(ts), { a: f(a), b: f(b), c: f(c), d: f(d) }, tol) as T,
    close,
  ),
  ...jaxParts(
    "lotka_volterra_grad",
    6,
    (y0, ts, a, b, c, d, w) =>
      grad(
        (yy: T, tt: T, aa: T, bb: T, cc: T, dd: T) =>
          np.sum(np.multiply(ode.odeint(lotka, yy, tt, { a: aa, b: bb, c: cc, d: dd }, tol) as T, f(w))),
        [0, 1, 2, 3, 4, 5],
      )(f(y0), f(ts), f(a), f(b), f(c), f(d)) as T[],
  ).map((c) => ({ ...c, ...close })),
  ...jaxParts(
    "pendulum_tuple",
    2,
    (q0, p0, ts, g) => ode.odeint(pendulum, [f(q0), f(p0)], f(ts), f(g), tol) as T[],
  ).map((c) => ({ ...c, ...close })),
  jaxOpCase(
    "pendulum_grad_g",
    (q0, p0, ts, g) =>
      grad((gg: T) => np.sum(np.square((ode.odeint(pendulum, [f(q0), f(p0)], f(ts), gg, tol) as T[])[0]!)))(f(g)) as T,
    close,
  ),
  jaxOpCase(
    "neural_ode",
    (z0, ts, W1, b1, W2) => ode.odeint(field, f(z0), f(ts), f(W1), f(b1), f(W2), tol) as T,
    close,
  ),
  ...jaxParts(
    "neural_ode_grad",
    3,
    (z0, ts, W1, b1, W2) =>
      grad(
        (w1: T, bb: T, w2: T) =>
          np.sum(np.square(np.take(ode.odeint(field, f(z0), f(ts), w1, bb, w2, tol) as T, 2, 0))),
        [0, 1, 2],
      )(f(W1), f(b1), f(W2)) as T[],
  ).map((c) => ({ ...c, ...close })),
];
opCases("ode.odeint", cases);

test("odeint solves dy/dt = −k·y to exp(−k·t), and its adjoint gradients in k, y0 and both end times are the calculus's", async () => {
  const got = onBackend("cpu", () => {
    const decay = (y: T, _t: T, k: T) => np.multiply(np.negative(k), y);
    const ts = np.array([0, 0.5, 1]);
    const last = (y0: T, tt: T, k: T) => np.sum(np.take(ode.odeint(decay, y0, tt, k, tol) as T, 2, 0));
    return [
      ode.odeint(decay, np.array([1, 2]), ts, np.array(0.7), tol) as T,
      ...(grad(last, [0, 1, 2])(np.array([1, 2]), ts, np.array(0.7)) as T[]),
    ];
  });
  const e = (t: number) => Math.exp(-0.7 * t);
  assertClose(
    await got[0]!.toArray(),
    [
      [1, 2],
      [e(0.5), 2 * e(0.5)],
      [e(1), 2 * e(1)],
    ],
    "float32",
    1e-5,
    1e-6,
    "y",
  );
  assertClose(await got[1]!.toArray(), [e(1), e(1)], "float32", 1e-5, 1e-6, "d/dy0");
  // y(1) = y0·e^{−k(t2 − t0)}: d/dt0 = +k·3e^{−k}, d/dt1 = 0, d/dt2 = −k·3e^{−k}.
  assertClose(await got[2]!.toArray(), [0.7 * 3 * e(1), 0, -0.7 * 3 * e(1)], "float32", 1e-5, 1e-6, "d/dt");
  assertClose(await got[3]!.toArray(), -3 * e(1), "float32", 1e-5, 1e-6, "d/dk");
});

test("odeint refuses bad input, naming it: a non-function, times that are not 1-D floats, a non-positive rtol, a vector field of the wrong size", () => {
  onBackend("cpu", () => {
    const y0 = np.array([1, 2]);
    const ts = np.array([0, 1]);
    refuses(() => ode.odeint(null as never, y0, ts), /ode\.odeint: func must be a function/);
    refuses(() => ode.odeint((y: T) => y, y0, np.array([[0, 1]])), /ode\.odeint: t must be a 1-D float32 array/);
    refuses(() => ode.odeint((y: T) => y, y0, ts, { rtol: 0 }), /ode\.odeint: rtol must be a positive number, got 0/);
    refuses(() => ode.odeint((y: T) => np.concatenate([y, y]), y0, ts), /func returned 4 values for a state of 2/);
  });
});
