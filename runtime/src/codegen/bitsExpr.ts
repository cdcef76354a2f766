// WGSL for the bit primitives (ir/types.ts): and / or / xor of i32 or bool, the i32 shifts with
// XLA's out-of-range counts, and bitcast between f32 and i32. Scalar and vec4 share the spelling.

import type { DType } from "../ir/types.js";
import type { Width } from "./wgslTypes.js";

export type BitsPrim =
  "bitwise_and" | "bitwise_or" | "bitwise_xor" | "shift_left" | "shift_right_arithmetic" | "bitcast_convert";

const u32Type = (w: Width): string => (w === 1 ? "u32" : "vec4<u32>");
const u32Lit = (v: number, w: Width): string => (w === 1 ? `${v}u` : `vec4<u32>(${v}u)`);

export function bitsExpr(prim: BitsPrim, a: string, b: string, inDtype: DType, outDtype: DType, w: Width): string {
  // The count as u32: a negative count becomes ≥ 2³¹, so one comparison catches both ends.
  const count = `bitcast<${u32Type(w)}>(${b})`;
  switch (prim) {
    case "bitwise_and":
      return `(${a} & ${b})`;
    case "bitwise_or":
      return `(${a} | ${b})`;
    case "bitwise_xor":
      return inDtype === "bool" ? `(${a} != ${b})` : `(${a} ^ ${b})`;
    // WGSL shifts take the count mod 32 (and reject a constant one ≥ 32), XLA gives 0 / the sign
    // fill: mask the count so it is always in range, then choose.
    case "shift_left": {
      const zero = w === 1 ? "i32(0)" : "vec4<i32>(i32(0))";
      return `select(${a} << (${count} & ${u32Lit(31, w)}), ${zero}, ${count} >= ${u32Lit(32, w)})`;
    }
    case "shift_right_arithmetic":
      return `(${a} >> min(${count}, ${u32Lit(31, w)}))`;
    case "bitcast_convert": {
      const s = outDtype === "float32" ? "f32" : "i32";
      return `bitcast<${w === 1 ? s : `vec4<${s}>`}>(${a})`;
    }
    default:
      return prim satisfies never;
  }
}
