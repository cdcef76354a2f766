// Shared checks for forward mode through loops: central finite differences along a tangent
// (computed eagerly on the CPU reference, independently of the AD code) and closeness of lists of
// arrays (loopCheck.ts has the list-of-numbers checks).
import assert from "node:assert/strict";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { input } from "../transforms/fd.js";
import { arr, close } from "./loopCheck.js";

type T = Tracer;

export const mk = (shape: number[], seed: number, lo = -1, hi = 1): T =>
  np.reshape(np.array(new Float32Array(input(shape, seed, lo, hi).data)), shape);

/**
 * The directional derivative of `f` (a list of float outputs) at `primals` along `tangents` by
 * central differences, (f(p + ε·t) − f(p − ε·t)) / 2ε, evaluated eagerly. With float32, ε = 1e-3
 * keeps the truncation error (~ε²) and the rounding error (~1e-7/ε) both near 1e-4.
 */
export async function fdJvp(
  f: (...args: T[]) => T[],
  primals: readonly T[],
  tangents: readonly T[],
  eps = 1e-3,
): Promise<number[][]> {
  const at = (s: number) => f(...primals.map((p, i) => np.add(p, np.multiply(tangents[i]!, s * eps))));
  const plus = await Promise.all(at(1).map(arr));
  const minus = await Promise.all(at(-1).map(arr));
  return plus.map((p, k) => p.map((v, j) => (v - minus[k]![j]!) / (2 * eps)));
}

/** Every output list of `got` against `want`'s. */
export async function closeAll(got: readonly T[], want: readonly number[][], tol: number, what: string): Promise<void> {
  assert.equal(got.length, want.length, `${what}: number of outputs`);
  for (let k = 0; k < got.length; k++) close(await arr(got[k]), want[k]!, tol, `${what} output ${k}`);
}
