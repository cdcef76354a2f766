// Bitwise and integer functions (jnp.bitwise_*, invert, the shifts, gcd, lcm) over the bit
// primitives of ir/types.ts. Ints and bools only: a float operand is refused, as JAX refuses it.

import { JitScopeError } from "../ir/errors.js";
import type { DType } from "../ir/types.js";
import { bind1, lit, Tracer } from "../trace/core.js";
import * as ew from "./elementwise.js";
import { floor_divide } from "./mathSurface.js";
import { asTracer, elementwiseOperands, type ArrayLike, type Operand } from "./promote.js";

type BitPrim = "bitwise_and" | "bitwise_or" | "bitwise_xor" | "shift_left" | "shift_right_arithmetic";

function refuseFloat(op: string, dtype: DType): void {
  if (dtype === "float32")
    throw new JitScopeError(
      "dtype",
      `${op}: needs int32 or bool operands, got float32 (bit operations have no float form)`,
    );
}

function integerOperands(op: string, xs: readonly ArrayLike[], boolToInt: boolean): Operand[] {
  const { ops, dtype } = elementwiseOperands(op, xs, (d) => (boolToInt && d === "bool" ? "int32" : d));
  refuseFloat(op, dtype);
  return ops;
}

function bitwise(op: string, prim: BitPrim, x: ArrayLike, y: ArrayLike, boolToInt = false): Tracer {
  return bind1(prim, {}, integerOperands(op, [x, y], boolToInt));
}

export const bitwise_and = (x: ArrayLike, y: ArrayLike): Tracer => bitwise("bitwise_and", "bitwise_and", x, y);
export const bitwise_or = (x: ArrayLike, y: ArrayLike): Tracer => bitwise("bitwise_or", "bitwise_or", x, y);
export const bitwise_xor = (x: ArrayLike, y: ArrayLike): Tracer => bitwise("bitwise_xor", "bitwise_xor", x, y);

/** x << y for int32 (bools compute in int32); a count outside [0, 32) gives 0, as JAX. */
export const left_shift = (x: ArrayLike, y: ArrayLike): Tracer => bitwise("left_shift", "shift_left", x, y, true);
/** x >> y, arithmetic (sign-filling) for int32, as jnp.right_shift of signed ints; a count
 *  outside [0, 32) gives the sign fill (0 or -1), as JAX. */
export const right_shift = (x: ArrayLike, y: ArrayLike): Tracer =>
  bitwise("right_shift", "shift_right_arithmetic", x, y, true);

/** ~x: the bits flipped for int32 (xor with -1), logical not for bool. */
function invertOf(op: string, x: ArrayLike): Tracer {
  const t = asTracer(op, x);
  refuseFloat(op, t.dtype);
  return t.dtype === "bool" ? ew.logical_not(t) : bind1("bitwise_xor", {}, [t, lit(-1, "int32")]);
}
export const bitwise_not = (x: ArrayLike): Tracer => invertOf("bitwise_not", x);
export const invert = (x: ArrayLike): Tracer => invertOf("invert", x);

/** Euclid's algorithm takes at most 46 steps on 32-bit values (consecutive Fibonacci numbers
 *  are its worst case, and F(47) > 2³¹), so the loop is unrolled: np cannot use lax's loops. */
const EUCLID_STEPS = 46;

/** The greatest common divisor of |x| and |y| (0 when both are 0); int32, bools compute in int32. */
export function gcd(x: ArrayLike, y: ArrayLike): Tracer {
  const [a0, b0] = integerOperands("gcd", [x, y], true) as [Operand, Operand];
  let a = ew.abs(asOperandTracer(a0));
  let b = ew.abs(asOperandTracer(b0));
  for (let i = 0; i < EUCLID_STEPS; i++) {
    const live = ew.not_equal(b, 0);
    const divisor = ew.where(live, b, 1);
    // Both non-negative here, so the truncated quotient is the floor and a - q·b is a mod b.
    const rest = ew.subtract(a, ew.multiply(bind1("div", {}, [a, divisor]), divisor));
    [a, b] = [ew.where(live, b, a), ew.where(live, rest, 0)];
  }
  return a;
}

/** |x·y| / gcd(x, y), 0 when either is 0; int32 (wraps on overflow, as JAX). */
export function lcm(x: ArrayLike, y: ArrayLike): Tracer {
  const [a0, b0] = integerOperands("lcm", [x, y], true) as [Operand, Operand];
  const [a, b] = [asOperandTracer(a0), asOperandTracer(b0)];
  const g = gcd(a, b);
  const zero = ew.equal(g, 0);
  return ew.where(zero, 0, ew.abs(ew.multiply(a, floor_divide(b, ew.where(zero, 1, g)))));
}

/** An operand as an array (a literal operand becomes a rank-0 array of its dtype). */
function asOperandTracer(o: Operand): Tracer {
  return o instanceof Tracer ? o : bind1("broadcast", { shape: [], dims: [] }, [o]);
}
