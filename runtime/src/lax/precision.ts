// lax.Precision and lax.DotAlgorithmPreset as constant objects, and the check every `precision`
// option runs. Our only float is float32 and every product is computed in it (what JAX calls
// Precision.HIGHEST / DotAlgorithmPreset.F32_F32_F32), so a valid choice changes nothing; an
// unknown one is refused, as JAX refuses it.

import { JitScopeError } from "../ir/errors.js";

/** lax.Precision: DEFAULT, HIGH, HIGHEST (all float32 products here). */
export const Precision = Object.freeze({ DEFAULT: "DEFAULT", HIGH: "HIGH", HIGHEST: "HIGHEST" } as const);
export type Precision = (typeof Precision)[keyof typeof Precision];

const PRESETS = [
  "DEFAULT",
  "ANY_F8_ANY_F8_F32",
  "ANY_F8_ANY_F8_F32_FAST_ACCUM",
  "ANY_F8_ANY_F8_ANY",
  "ANY_F8_ANY_F8_ANY_FAST_ACCUM",
  "F16_F16_F16",
  "F16_F16_F32",
  "BF16_BF16_BF16",
  "BF16_BF16_F32",
  "BF16_BF16_F32_X3",
  "BF16_BF16_F32_X6",
  "BF16_BF16_F32_X9",
  "TF32_TF32_F32",
  "TF32_TF32_F32_X3",
  "F32_F32_F32",
  "F64_F64_F64",
] as const;
export type DotAlgorithmPreset = (typeof PRESETS)[number];
/** lax.DotAlgorithmPreset: JAX's presets by name (all computed as F32_F32_F32 here). */
export const DotAlgorithmPreset = Object.freeze(
  Object.fromEntries(PRESETS.map((p) => [p, p])) as { readonly [K in DotAlgorithmPreset]: K },
);

/** What a `precision` option takes, as JAX's PrecisionLike: null, a Precision, its lower-case or
 *  dtype name ("bfloat16", "tensorfloat32", "float32"), a DotAlgorithmPreset, or a pair of
 *  Precisions (lhs, rhs). */
export type PrecisionLike =
  | Precision
  | DotAlgorithmPreset
  | "default"
  | "high"
  | "highest"
  | "bfloat16"
  | "tensorfloat32"
  | "float32"
  | readonly [Precision | null, Precision | null]
  | null
  | undefined;

const NAMES = new Set<string>([
  ...Object.values(Precision),
  ...PRESETS,
  "default",
  "high",
  "highest",
  "bfloat16",
  "tensorfloat32",
  "float32",
]);
const isPrecision = (p: unknown): boolean => p === null || (typeof p === "string" && p.toUpperCase() in Precision);

/** Refuses a `precision` value JAX would refuse, naming `op`; `pair` says whether a pair
 *  (lhs, rhs) is accepted. Returns nothing: the product is float32 either way. */
export function checkPrecision(op: string, precision: unknown, pair = true): void {
  if (precision == null) return;
  if (typeof precision === "string" && NAMES.has(precision)) return;
  if (pair && Array.isArray(precision) && precision.length === 2 && precision.every(isPrecision)) return;
  throw new JitScopeError(
    "value",
    `${op}: precision must be null, a lax.Precision (DEFAULT, HIGH, HIGHEST), a lax.DotAlgorithmPreset or a pair of Precisions, got ${JSON.stringify(precision)}`,
  );
}
