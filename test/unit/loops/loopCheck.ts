// Checks shared by the loop tests: an array's values, closeness of two lists of numbers, and a
// program run on the CPU reference and on WebGPU.
import assert from "node:assert/strict";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend } from "../ops/harness.js";

type T = Tracer;

export const arr = async (x: unknown): Promise<number[]> => Array.from(await (x as T).data());

/** |a - e| <= tol·(1 + |e|) element by element. */
export function close(actual: readonly number[], expected: readonly number[], tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  actual.forEach((a, i) =>
    assert.ok(
      Math.abs(a - expected[i]!) <= tol * (1 + Math.abs(expected[i]!)),
      `${what}[${i}]: ${a} vs ${expected[i]}`,
    ),
  );
}

/** A float32 array of `shape` with reproducible values in [lo, hi). */

/** `f` on the CPU reference and on WebGPU (inputs built on each), each result flattened. */
export async function both(f: () => unknown): Promise<{ cpu: number[][]; gpu: number[][] }> {
  const run = async (b: "cpu" | "webgpu") => {
    const out = onBackend(b, f);
    const list = Array.isArray(out) ? out : [out];
    return Promise.all(list.map(arr));
  };
  return { cpu: await run("cpu"), gpu: await run("webgpu") };
}
