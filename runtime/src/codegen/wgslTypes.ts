// WGSL spellings of our dtypes and literals. bool lives in storage as u32 (WGSL has no bool
// storage), int32 as i32. `width` is 1 (scalar) or 4 (vec4 vectorised kernels).

import type { DType } from "../ir/types.js";

export type Width = 1 | 4;

/** The type a value has inside the kernel (bool stays bool in registers). */
export function valueType(dtype: DType, width: Width): string {
  const s = dtype === "float32" ? "f32" : dtype === "int32" ? "i32" : "bool";
  return width === 1 ? s : `vec4<${s}>`;
}

/** The element type of a storage buffer holding `dtype`. */
export function storageType(dtype: DType, width: Width): string {
  const s = dtype === "float32" ? "f32" : dtype === "int32" ? "i32" : "u32";
  return width === 1 ? s : `vec4<${s}>`;
}

/** A scalar constant, exact: non-finite floats through bitcast (WGSL has no inf/NaN literals). */
export function scalarLiteral(value: number, dtype: DType): string {
  if (dtype === "bool") return value ? "true" : "false";
  if (dtype === "int32") return `i32(${value | 0})`;
  const f = Math.fround(value);
  // Through module-scope variables: WGSL rejects a non-finite value in a constant expression.
  if (Number.isNaN(f)) return "bitcast<f32>(F32_NAN_BITS)";
  if (f === Infinity) return "bitcast<f32>(F32_INF_BITS)";
  if (f === -Infinity) return "bitcast<f32>(F32_NEG_INF_BITS)";
  if (Object.is(f, -0)) return "bitcast<f32>(F32_NEG_ZERO_BITS)";
  const text = String(f);
  return `f32(${/[.eE]/.test(text) ? text : `${text}.0`})`;
}

export function literal(value: number, dtype: DType, width: Width): string {
  const s = scalarLiteral(value, dtype);
  return width === 1 ? s : `${valueType(dtype, 4)}(${s})`;
}

/** Loads element `index` of storage buffer `buf` as a kernel value. */
export function loadExpr(buf: string, index: string, dtype: DType, width: Width): string {
  if (dtype !== "bool") return `${buf}[${index}]`;
  return width === 1 ? `(${buf}[${index}] != 0u)` : `(${buf}[${index}] != vec4<u32>(0u))`;
}

/** Converts a kernel value to what its storage buffer holds. */
export function storeExpr(value: string, dtype: DType, width: Width): string {
  if (dtype !== "bool") return value;
  return width === 1 ? `select(0u, 1u, ${value})` : `select(vec4<u32>(0u), vec4<u32>(1u), ${value})`;
}

const NON_FINITE_BITS: Record<string, string> = {
  F32_NAN_BITS: "0x7fc00000u",
  F32_INF_BITS: "0x7f800000u",
  F32_NEG_INF_BITS: "0xff800000u",
  F32_NEG_ZERO_BITS: "0x80000000u",
};

/** Declarations of the non-finite bit patterns `code` uses. */
export function nonFiniteDeclarations(code: string): string[] {
  return Object.entries(NON_FINITE_BITS)
    .filter(([name]) => new RegExp(`\\b${name}\\b`).test(code))
    .map(([name, bits]) => `var<private> ${name}: u32 = ${bits};`);
}
