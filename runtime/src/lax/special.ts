// lax.erf and lax.erfc: primitives of their own (ir/types.ts), so their derivative is the exact
// 2/√π·exp(-x²) at every order, and erfc keeps its tail (erfc(9) = 4.1e-37, where 1 - erf is 0).
// On WebGPU they are XLA's float32 rational approximation and Cephes' erfcf (codegen/wgslHelpers.ts);
// the CPU reference evaluates them in float64 (ops/cpuSpecial.ts). As JAX's lax.erf, they take
// float32 only: an int or bool array is an error (a JS number is a float32 scalar). erf_inv is
// Giles' single-precision approximation, as XLA's, and what random.truncated_normal samples with.

import { JitScopeError } from "../ir/errors.js";
import { bind1, lit, type Tracer } from "../trace/core.js";
import * as L from "../trace/rules/lax.js";
import type { Val } from "../trace/rules/lax.js";
import { asTracer, type ArrayLike } from "../np/promote.js";
import { avalText } from "../np/validate.js";

/** x as float32 (a JS number becomes one); an int or bool array is an error naming lax.<op>. */
export function floatOnly(op: string, x: ArrayLike): Tracer {
  const t = typeof x === "number" ? asTracer(op, x, "float32") : asTracer(op, x);
  if (t.dtype !== "float32")
    throw new JitScopeError(
      "dtype",
      `lax.${op} takes float32, got ${avalText(t.aval)}; cast it first (np.astype(x, "float32")), as JAX's lax.${op} requires`,
    );
  return t;
}

export const erf = (x: ArrayLike): Tracer => bind1("erf", {}, [floatOnly("erf", x)]);
export const erfc = (x: ArrayLike): Tracer => bind1("erfc", {}, [floatOnly("erfc", x)]);

const f32 = (v: number): Val => lit(Math.fround(v), "float32");

/** erfinv on the device: Giles' single-precision approximation (as XLA's), two polynomial
 *  branches chosen by where. */
export function erfinv(x: Val): Val {
  const w = L.neg(L.unary("log", L.mul(L.sub(f32(1), x), L.add(f32(1), x))));
  const horner = (coeffs: readonly number[], t: Val): Val =>
    coeffs.slice(1).reduce((p, c) => L.add(f32(c), L.mul(p, t)), f32(coeffs[0]!) as Val);
  const central = horner(
    [
      2.81022636e-8, 3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503, -0.00417768164,
      0.246640727, 1.50140941,
    ],
    L.sub(w, f32(2.5)),
  );
  const tail = horner(
    [
      -0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047,
      1.00167406, 2.83297682,
    ],
    // Read only where w ≥ 5; clamped so the branch not taken has a finite derivative (√w at 0).
    L.sub(L.unary("sqrt", L.where(L.compare("lt", w, f32(5)), f32(5), w)), f32(3)),
  );
  return L.mul(L.where(L.compare("lt", w, f32(5)), central, tail), x);
}

/** The inverse of erf on (-1, 1), ±inf at ±1 (NaN beyond); its derivative is the
 *  approximation's own. */
export function erf_inv(x: ArrayLike): Tracer {
  const t = floatOnly("erf_inv", x);
  const end = L.where(L.compare("gt", t, f32(0)), f32(Infinity), f32(-Infinity)); // no tangent: ±inf
  return L.where(L.compare("eq", L.unary("abs", t), f32(1)), end, erfinv(t)) as Tracer;
}
