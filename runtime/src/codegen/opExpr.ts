// WGSL expression for one elementwise primitive applied to already-computed operand
// expressions. Scalar and vec4 share the spelling wherever WGSL's builtins are componentwise;
// the few that need a scalar helper function (pow, log1p, expm1, float→int cast) call it once
// per lane on vec4 values.

import type { DType, Primitive } from "../ir/types.js";
import type { HelperName } from "./wgslHelpers.js";
import { bitsExpr } from "./bitsExpr.js";
import { literal, valueType, type Width } from "./wgslTypes.js";

export interface OpExprContext {
  readonly width: Width;
  useHelper(name: HelperName): void;
}

/** Elementwise prims whose expression cannot run on vec4 values. */
export function needsScalar(prim: Primitive, _inDtype: DType, _outDtype: DType): boolean {
  return prim === "random_uniform" || prim === "random_bits" || prim === "random_fold_in" || prim === "iota";
}

/** Literal exponents computed as products (float32). */
const INTEGER_POWERS = [2, 3, 4] as const;

/** `a` to the power `n` (2, 3 or 4) by multiplication: x·x, x·x·x, (x·x)·(x·x). */
function integerPower(a: string, n: (typeof INTEGER_POWERS)[number]): string {
  const x = /^[\w.]+$/.test(a) ? a : `(${a})`;
  if (n === 2) return `(${x} * ${x})`;
  if (n === 3) return `(${x} * ${x} * ${x})`;
  return `((${x} * ${x}) * (${x} * ${x}))`;
}

/** `helper` applied to `args`: once for scalars, once per lane (then reassembled) for vec4. */
function perLane(helper: string, args: readonly string[], outType: string, width: Width): string {
  if (width === 1) return `${helper}(${args.join(", ")})`;
  const lanes = ["x", "y", "z", "w"].map((l) => `${helper}(${args.map((a) => `${a}.${l}`).join(", ")})`);
  return `${outType}(${lanes.join(", ")})`;
}

/**
 * `args` are operand expressions; `inDtype` the operands' dtype (for where: the branches'),
 * `outDtype` the result's.
 */
export function elementwiseExpr(
  prim: Primitive,
  args: readonly string[],
  inDtype: DType,
  outDtype: DType,
  ctx: OpExprContext,
): string {
  const [a, b] = [args[0]!, args[1]!];
  const w = ctx.width;
  switch (prim) {
    case "neg":
      return `(-${a})`;
    case "abs":
      return `abs(${a})`;
    case "sqrt":
    case "exp":
    case "log":
    case "sin":
    case "cos":
      return `${prim}(${a})`;
    // No clamp against implementations that overflow past |x| ≈ 44: lavapipe gives ±1 there,
    // and a clamp would turn NaN into ±1.
    case "tanh":
      return `tanh(${a})`;
    // WGSL's sign of NaN is 0 on lavapipe; NumPy's and the CPU reference's is NaN.
    case "sign":
      return inDtype === "float32" ? `select(sign(${a}), ${a}, ${isNanExpr(a, w)})` : `sign(${a})`;
    // WGSL's round is half to even, as NumPy's.
    case "floor":
    case "ceil":
    case "round":
      return `${prim}(${a})`;
    case "is_nan":
      return isNanExpr(a, w);
    case "log1p":
    case "expm1":
      ctx.useHelper(`${prim}_f32`);
      return perLane(`${prim}_f32`, [a], valueType("float32", w), w);
    case "logical_not":
      return `(!${a})`;
    case "add":
      return `(${a} + ${b})`;
    case "sub":
      return `(${a} - ${b})`;
    case "mul":
      return `(${a} * ${b})`;
    case "div": {
      const zero = literal(0, inDtype, w);
      if (b !== zero && b !== literal(-0, inDtype, w)) return `(${a} / ${b})`;
      if (inDtype === "int32") return a; // int32 x / 0 = x (ops/cpuElementwise.ts, WGSL)
      // Shader compilers fold x / 0.0 to 0; spell out IEEE: ±inf by the signs, NaN for 0/0 and NaN.
      const pos = b === zero;
      const inf = literal(Infinity, "float32", w),
        ninf = literal(-Infinity, "float32", w);
      const signed = `select(${pos ? ninf : inf}, ${pos ? inf : ninf}, ${a} > ${zero})`;
      return `select(${signed}, ${literal(NaN, "float32", w)}, (${a} == ${zero}) | ${isNanExpr(a, w)})`;
    }
    case "pow": {
      // x ** 2, 3, 4 as products, as JAX's integer_pow and XLA compute them: pow_f32 is an exp
      // and a log behind two branches, and GELU's x ** 3 made its matmul's epilogue cost as much
      // as a fifth of the matmul on lavapipe. (Operand expressions have no side effects, so
      // repeating one only repeats work the shader compiler shares.)
      const n = inDtype === "float32" ? INTEGER_POWERS.find((k) => b === literal(k, inDtype, w)) : undefined;
      if (n !== undefined) return integerPower(a, n);
      ctx.useHelper(inDtype === "int32" ? "pow_i32" : "pow_f32");
      return perLane(inDtype === "int32" ? "pow_i32" : "pow_f32", [a, b], valueType(inDtype, w), w);
    }
    case "erf":
      ctx.useHelper("erf_f32");
      return perLane("erf_f32", [a], valueType("float32", w), w);
    case "erfc":
      ctx.useHelper("erf_f32"); // erfc_f32 calls it below 1
      ctx.useHelper("erfc_f32");
      return perLane("erfc_f32", [a], valueType("float32", w), w);
    case "atan2":
      ctx.useHelper("atan2_f32");
      return perLane("atan2_f32", [a, b], valueType("float32", w), w);
    case "max":
    case "min": {
      if (inDtype === "bool") return prim === "max" ? `(${a} | ${b})` : `(${a} & ${b})`;
      if (inDtype === "int32") return `${prim}(${a}, ${b})`;
      // NaN-propagating, as NumPy: a + b is NaN when either is.
      return `select(${prim}(${a}, ${b}), ${a} + ${b}, ${isNanExpr(a, w)} | ${isNanExpr(b, w)})`;
    }
    case "gt":
      return `(${a} > ${b})`;
    case "ge":
      return `(${a} >= ${b})`;
    case "lt":
      return `(${a} < ${b})`;
    case "le":
      return `(${a} <= ${b})`;
    case "eq":
      return `(${a} == ${b})`;
    // Not !=: some shader compilers treat float != as ordered (false for NaN).
    case "ne":
      return inDtype === "float32" ? `(!(${a} == ${b}))` : `(${a} != ${b})`;
    case "optimization_barrier":
      return a; // the token only orders the kernel after it
    case "where":
      return `select(${args[2]!}, ${b}, ${a})`;
    case "cast":
      return castExpr(a, inDtype, outDtype, ctx);
    case "bitwise_and":
    case "bitwise_or":
    case "bitwise_xor":
    case "shift_left":
    case "shift_right_arithmetic":
    case "bitcast_convert":
      return bitsExpr(prim, a, b, inDtype, outDtype, w);
    default:
      throw new Error(`codegen: ${prim} is not a plain elementwise op`);
  }
}

function castExpr(a: string, from: DType, to: DType, ctx: OpExprContext): string {
  const w = ctx.width;
  if (from === to) return a;
  if (to === "bool") return `(${a} != ${literal(0, from, w)})`;
  if (from === "bool") return `select(${literal(0, to, w)}, ${literal(1, to, w)}, ${a})`;
  if (to === "float32") return `${valueType("float32", w)}(${a})`;
  ctx.useHelper("f32_to_i32");
  return perLane("f32_to_i32", [a], valueType("int32", w), w);
}

/** NaN test on the bit pattern: `x != x` is folded away by shader compilers that assume no NaN. */
export function isNanExpr(x: string, width: Width): string {
  return width === 1
    ? `((bitcast<u32>(${x}) & 0x7fffffffu) > 0x7f800000u)`
    : `((bitcast<vec4<u32>>(${x}) & vec4<u32>(0x7fffffffu)) > vec4<u32>(0x7f800000u))`;
}
