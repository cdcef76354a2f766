// What an index outside its axis does, by JAX's modes, for np.take, np.take_along_axis and
// x.at(…).get() / .set(…) (and lax.gather / lax.scatter): "fill" (or "drop") reads fill_value
// and drops updates, "clip" clamps into the axis, "wrap" counts modulo its length, and
// "promise_in_bounds" lets the kernel read clamped and drop updates (JAX's undefined behaviour
// made definite). Defaults are JAX's and differ by function; each function names its own.

import { JitScopeError } from "../ir/errors.js";
import type { DType } from "../ir/types.js";
import { bind1, lit, type Tracer } from "../trace/core.js";

export type OutOfBoundsMode = "fill" | "drop" | "clip" | "wrap" | "promise_in_bounds";

/** JAX's keywords of a read by index (take, take_along_axis, .at[…].get, lax.gather);
 *  unique_indices and indices_are_sorted are hints for XLA, accepted and unused. */
export interface ReadOptions {
  readonly mode?: OutOfBoundsMode | null;
  /** What an index outside reads in mode "fill": NaN for float32, the least int32, true for
   *  bool by default, as JAX. */
  readonly fill_value?: number | boolean | null;
  readonly unique_indices?: boolean;
  readonly indices_are_sorted?: boolean;
}
export const READ_OPTIONS = ["mode", "fill_value", "unique_indices", "indices_are_sorted"] as const;

/** JAX's keywords of a write by index (.at[…].set / add / …, lax.scatter). */
export type WriteOptions = Omit<ReadOptions, "fill_value">;
export const WRITE_OPTIONS = ["mode", "unique_indices", "indices_are_sorted"] as const;

/** `mode` checked against the ones `op` takes; null or undefined gives `fallback`. */
export function checkMode(
  op: string,
  mode: OutOfBoundsMode | null | undefined,
  allowed: readonly OutOfBoundsMode[],
  fallback: OutOfBoundsMode,
): OutOfBoundsMode {
  if (mode === null || mode === undefined) return fallback;
  if (!allowed.includes(mode))
    throw new JitScopeError(
      "value",
      `${op}: unknown mode ${JSON.stringify(mode)} (it takes ${allowed.map((m) => JSON.stringify(m)).join(", ")})` +
        (mode === ("raise" as OutOfBoundsMode)
          ? `; "raise" needs the index values on the host, which a traced array does not have (JAX refuses it too)`
          : ""),
    );
  return mode;
}

/** The value an out-of-range read gives in mode "fill": `fill_value`, else JAX's default (NaN
 *  for float32, the least int32, true for bool). */
export function fillValue(op: string, dtype: DType, v: number | boolean | null | undefined): number {
  if (v === null || v === undefined) return dtype === "float32" ? NaN : dtype === "int32" ? -2147483648 : 1;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v !== "number") throw new JitScopeError("value", `${op}: fill_value must be a number, got ${String(v)}`);
  return v;
}

/** int32 index i clamped into [0, n − 1]. */
export const clampInto = (i: Tracer, n: number): Tracer =>
  bind1("min", {}, [bind1("max", {}, [i, lit(0, "int32")]), lit(Math.max(n - 1, 0), "int32")]);

/** Whether int32 index i lies in [0, n). */
export const indexInside = (i: Tracer, n: number): Tracer =>
  bind1("where", {}, [bind1("ge", {}, [i, lit(0, "int32")]), bind1("lt", {}, [i, lit(n, "int32")]), lit(0, "bool")]);

/** `read` where `inside` (broadcast from axis `at` of read on), the fill value elsewhere. */
export function filled(read: Tracer, inside: Tracer, at: number, fill: number): Tracer {
  const same = inside.shape.length === read.shape.length && inside.shape.every((d, k) => d === read.shape[k]);
  const mask = same
    ? inside
    : bind1("broadcast", { shape: read.shape, dims: inside.shape.map((_, k) => at + k) }, [inside]);
  return bind1("where", {}, [mask, read, lit(fill, read.dtype)]);
}
