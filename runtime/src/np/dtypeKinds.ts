// NumPy's dtype hierarchy and queries, as library code written against jnp uses them:
// `np.issubdtype(x.dtype, np.floating)`, `np.isdtype(d, "real floating")`, `np.result_type(x,
// 1.5)`, `np.can_cast(a, b, "same_kind")`. A concrete dtype is its name (dtypes.ts); an abstract
// kind is its name too (`np.floating` is "floating"), placed in the hierarchy below. Answers are
// JAX's with 64-bit types off (scripts/jax/run_jax_dtypes.py).

import { JitScopeError } from "../ir/errors.js";
import { DTYPES, type DType } from "../ir/types.js";
import { Tracer } from "../trace/core.js";
import { numberDType, promoteTypes, weakPromote } from "./promote.js";

export const generic = "generic";
export const number = "number";
export const inexact = "inexact";
export const floating = "floating";
export const complexfloating = "complexfloating";
export const integer = "integer";
export const signedinteger = "signedinteger";
export const unsignedinteger = "unsignedinteger";

/** Each concrete dtype's kinds, itself first (NumPy's scalar type hierarchy). */
const ANCESTORS: Record<DType, readonly string[]> = {
  float32: ["float32", floating, inexact, number, generic],
  int32: ["int32", signedinteger, integer, number, generic],
  bool: ["bool", generic],
};
const KINDS = new Set([generic, number, inexact, floating, complexfloating, integer, signedinteger, unsignedinteger]);

const isDType = (x: unknown): x is DType => typeof x === "string" && (DTYPES as readonly string[]).includes(x);

/** The dtype of a dtype name or an array: np.dtype("float32"), np.dtype(x). */
export function dtype(x: unknown): DType {
  if (x instanceof Tracer) return x.dtype;
  if (x === "bool_") return "bool";
  if (isDType(x)) return x;
  throw new JitScopeError(
    "value",
    `dtype: ${describe(x)} is not a dtype here; the runtime has ${DTYPES.join(", ")}${typeof x === "string" && /64|16|8|complex/.test(x) ? " (64-bit, 16-bit, 8-bit types and complex128 are not available)" : ""}`,
  );
}

function describe(x: unknown): string {
  return typeof x === "string" ? JSON.stringify(x) : x instanceof Tracer ? "an array" : String(x);
}

/** Whether dtype `a` is `b` or below it in the hierarchy: issubdtype("int32", np.integer). */
export function issubdtype(a: unknown, b: unknown): boolean {
  const d = dtype(a);
  const kind = b === "bool_" ? "bool" : b;
  if (typeof kind !== "string" || !(isDType(kind) || KINDS.has(kind)))
    throw new JitScopeError(
      "value",
      `issubdtype: ${describe(b)} is neither a dtype nor a kind (${[...KINDS].map((k) => `np.${k}`).join(", ")})`,
    );
  return ANCESTORS[d].includes(kind);
}

/** The array API's kinds, by name. */
const API_KINDS: Record<string, (d: DType) => boolean> = {
  bool: (d) => d === "bool",
  "signed integer": (d) => d === "int32",
  "unsigned integer": () => false,
  integral: (d) => d === "int32",
  "real floating": (d) => d === "float32",
  "complex floating": () => false,
  numeric: (d) => d !== "bool",
};

/** The array API's isdtype(dtype, kind): kind a name ("real floating"), a dtype, or a list of them. */
export function isdtype(d: unknown, kind: unknown): boolean {
  const t = dtype(d);
  const one = (k: unknown): boolean => {
    if (typeof k === "string" && k in API_KINDS) return API_KINDS[k]!(t);
    if (isDType(k) || k === "bool_") return t === dtype(k);
    throw new JitScopeError(
      "value",
      `isdtype: kind ${describe(k)} is not a dtype or one of ${Object.keys(API_KINDS)
        .map((n) => JSON.stringify(n))
        .join(", ")}`,
    );
  };
  return Array.isArray(kind) ? kind.some(one) : one(kind);
}

/** The dtype NumPy's promotion gives these arrays, dtypes and numbers together (numbers weakly
 *  typed, as JAX's: result_type(int32, 1) is int32, result_type(int32, 1.5) float32). */
export function result_type(...args: unknown[]): DType {
  if (args.length === 0) throw new JitScopeError("value", "result_type: needs at least one array, dtype or number");
  const strong: DType[] = [];
  const weak: number[] = [];
  for (const a of args) {
    if (typeof a === "number") weak.push(a);
    else if (typeof a === "boolean") strong.push("bool");
    else strong.push(dtype(a));
  }
  if (strong.length === 0) return weak.map(numberDType).reduce(promoteTypes);
  return weak.reduce((d, n) => weakPromote(d, n), strong.reduce(promoteTypes));
}

const CASTINGS = ["no", "equiv", "safe", "same_kind", "unsafe"] as const;
/** The kind order "same_kind" allows casting down within: bool < int < float. */
const KIND_ORDER: Record<DType, number> = { bool: 0, int32: 1, float32: 2 };

/** Whether a value of dtype `from` may become `to` under the rule `casting` (NumPy's; "safe" by
 *  default: int32 → float32 is not safe, as a float32 holds only 24 bits of an int32). */
export function can_cast(from: unknown, to: unknown, casting: (typeof CASTINGS)[number] = "safe"): boolean {
  if (!CASTINGS.includes(casting))
    throw new JitScopeError(
      "value",
      `can_cast: casting must be one of ${CASTINGS.map((c) => JSON.stringify(c)).join(", ")}`,
    );
  const [a, b] = [dtype(from), dtype(to)];
  switch (casting) {
    case "no":
    case "equiv":
      return a === b;
    case "safe":
      return a === b || a === "bool";
    case "same_kind":
      return KIND_ORDER[a] <= KIND_ORDER[b];
    case "unsafe":
      return true;
  }
}
