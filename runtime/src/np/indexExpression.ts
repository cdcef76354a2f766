// Index expressions as values: NumPy's `x[1:3, None, ...]` written as a string or a list of
// entries, shared by x.at(…) (np/at.ts) and the index tricks (np/indexTricks.ts: s_, index_exp,
// mgrid, r_, …). Two things live here:
//   - np.newaxis, JAX's None in an index. `null` already means ":" in x.at (a JS habit the API
//     kept), so newaxis is the string "newaxis" ("None" is read the same inside an index string):
//     no slice, number or "..." is spelled that way, so neither reading can be taken for the other.
//   - an index tuple: the list np.s_["1:3, ::2"] / np.index_exp[…] return, marked so that x.at(t)
//     splices it as x.at(...t). An unmarked list stays what it always was in x.at, an index array.

import { JitScopeError } from "../ir/errors.js";
import { Tracer } from "../trace/core.js";

/** JAX's jnp.newaxis (None): a new axis of size 1 where it stands in an index. */
export const newaxis = "newaxis" as const;
export type Newaxis = typeof newaxis;

/** Whether `e` is newaxis: "newaxis", or "None" as Python writes it, inside an index string. */
export const isNewaxis = (e: unknown): boolean =>
  typeof e === "string" && (e.trim() === "newaxis" || e.trim() === "None");

/** One slice's bounds (at.ts's SliceSpec, repeated here so that this file imports nothing of at.ts). */
export interface SliceBounds {
  readonly start?: number | null;
  readonly stop?: number | null;
  readonly step?: number | null;
}
/** What an index tuple holds: the entries x.at takes. */
export type IndexPiece = number | string | null | SliceBounds | Tracer | readonly number[];

const TUPLE: unique symbol = Symbol("jitscope.indexTuple");
/** The entries of one index, as np.s_ / np.index_exp make them; x.at(t) reads it as x.at(...t). */
export type IndexTuple = readonly IndexPiece[] & { readonly [TUPLE]: true };

export function indexTuple(entries: readonly IndexPiece[]): IndexTuple {
  const t = [...entries];
  Object.defineProperty(t, TUPLE, { value: true });
  return Object.freeze(t) as unknown as IndexTuple;
}

export const isIndexTuple = (e: unknown): e is IndexTuple =>
  Array.isArray(e) && (e as unknown as Record<symbol, unknown>)[TUPLE] === true;

/** x.at's entries with index tuples spliced in and "i, 1:-1, ..." strings split at the commas
 *  (integer pieces become numbers). */
export function splitIndex<E>(index: readonly E[]): (E | number | string)[] {
  return index.flatMap((e): (E | number | string)[] => {
    if (isIndexTuple(e)) return splitIndex(e as readonly E[]);
    if (typeof e !== "string" || !e.includes(",")) return [e];
    return e.split(",").map((piece) => {
      const p = piece.trim();
      return p !== "" && /^[+-]?\d+$/.test(p) ? Number(p) : p;
    });
  });
}

/** The index without its newaxis entries, and where each puts its size-1 axis in the result
 *  (positions in the final shape, increasing), or `positions` empty when there is none. */
export function withoutNewaxis<E>(
  what: string,
  index: readonly E[],
  ndim: number,
): { rest: (E | number | string)[]; positions: number[] } {
  const all = splitIndex(index);
  // Without newaxis the index goes on as given, so messages quote it as the user wrote it.
  if (!all.some(isNewaxis)) return { rest: [...index], positions: [] };
  const rest = all.filter((e) => !isNewaxis(e));
  if (rest.some((e) => e instanceof Tracer || Array.isArray(e)))
    throw new JitScopeError(
      "value",
      `${what}: newaxis together with index arrays is not supported; index first, then add the axis with np.expand_dims`,
    );
  const used = rest.filter((e) => e !== "...").length;
  const positions: number[] = [];
  let out = 0;
  for (const e of all) {
    if (isNewaxis(e)) positions.push(out++);
    else if (e === "...") out += Math.max(0, ndim - used);
    else if (typeof e !== "number") out++;
  }
  return { rest, positions };
}

/** `shape` with a 1 inserted at each of `positions` (increasing, in the final shape). */
export function withUnitAxes(shape: readonly number[], positions: readonly number[]): number[] {
  const out = [...shape];
  for (const p of positions) out.splice(p, 0, 1);
  return out;
}
