// The constant tables the transforms read (cos and sin of 2π·j·k/n, Bluestein's chirps): made on
// the host in float64, rounded once to float32, and kept one array per table and backend, so
// every transform of a length reads the same constant and a program of many transforms binds
// one buffer per table, not one per call.

import type { ConcreteArray } from "../array.js";
import { currentBackend } from "../backend/select.js";
import { hostArray } from "../np/host.js";
import type { Tracer } from "../trace/core.js";

const tables = new WeakMap<object, Map<string, ConcreteArray>>();

/** The array under `key` on the current backend, made by `fill` the first time. */
export function cachedConstant(key: string, shape: readonly number[], fill: () => Float32Array): Tracer {
  const backend = currentBackend();
  let byKey = tables.get(backend);
  if (!byKey) tables.set(backend, (byKey = new Map()));
  const have = byKey.get(key);
  if (have && !have.isDisposed) return have;
  const made = hostArray(fill(), shape, "float32") as ConcreteArray;
  byKey.set(key, made);
  return made;
}

/** cos or sin of 2π·j·k/n over [rows, cols] (j the row, k the column), scaled per row by the
 *  irfft weights (1 for the zero and Nyquist terms, 2 for the others) when `weighted`. */
export function table(kind: "cos" | "sin", n: number, rows: number, cols: number, weighted = false): Tracer {
  return cachedConstant(`${kind}:${n}:${rows}:${cols}:${weighted}`, [rows, cols], () => {
    const t = new Float32Array(rows * cols);
    for (let j = 0; j < rows; j++)
      for (let k = 0; k < cols; k++)
        t[j * cols + k] = (weighted ? irfftWeight(j, n) : 1) * unitCircle(kind, (j * k) % n, n);
    return t;
  });
}

/** Each kept coefficient k of an irfft stands for itself and its conjugate at n − k: twice, but
 *  for k = 0 and the Nyquist term n/2. */
const irfftWeight = (k: number, n: number): number => (k === 0 || 2 * k === n ? 1 : 2);

/** cos or sin of 2π·m/n, exact at the quarter turns (Math.sin(π) is 1.2e-16, not 0, and that
 *  would leave a DC term's imaginary part a rounding error instead of 0). */
export function unitCircle(kind: "cos" | "sin", m: number, n: number): number {
  if ((4 * m) % n === 0) {
    const q = (4 * m) / n;
    return kind === "cos" ? [1, 0, -1, 0][q]! : [0, 1, 0, -1][q]!;
  }
  return kind === "cos" ? Math.cos((2 * Math.PI * m) / n) : Math.sin((2 * Math.PI * m) / n);
}
