// Gradient checks against central finite differences, computed independently of the AD code:
// the function is evaluated eagerly on the CPU reference at x ± eps·e_j for every element j.
// Float32 makes differences noisy, so tolerances are loose (|ad - fd| <= atol + rtol·|fd|).
import assert from "node:assert/strict";
import * as np from "../../../runtime/src/np.js";
import { config } from "../../../runtime/src/config.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import { jvp } from "../../../runtime/src/trace/jvp.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";

/** An input: its values (row-major) and shape. */
export interface Input {
  readonly data: readonly number[];
  readonly shape: readonly number[];
}

/** Deterministic pseudo-random numbers in [lo, hi) (a small LCG, so tests are reproducible). */
export function rand(n: number, seed: number, lo = -1, hi = 1): number[] {
  // Mix the seed first: nearby seeds must not give nearly equal streams.
  let s = Math.imul((seed + 1) ^ 0x5bd1e995, 0x9e3779b1) >>> 0;
  s = Math.imul(s ^ (s >>> 15), 0x85ebca6b) >>> 0;
  s = (s ^ (s >>> 13)) >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push(lo + ((s >>> 8) / 2 ** 24) * (hi - lo));
  }
  return out;
}

export function input(shape: readonly number[], seed: number, lo = -1, hi = 1): Input {
  return {
    data: rand(
      shape.reduce((a, b) => a * b, 1),
      seed,
      lo,
      hi,
    ),
    shape,
  };
}

export function toArray(x: Input): Tracer {
  return np.reshape(np.array(new Float32Array(x.data)), [...x.shape]);
}

async function scalar(t: Tracer): Promise<number> {
  const d = await t.data();
  assert.equal(d.length, 1, "the checked function must return a scalar");
  return d[0]!;
}

export interface CheckOptions {
  eps?: number;
  rtol?: number;
  atol?: number;
}

/**
 * Checks `grad(f, [0..n-1])` at `inputs` element by element against central differences, and
 * `jvp(f)` along a pseudo-random direction against the directional difference.
 */
export async function checkGradient(
  f: (...xs: Tracer[]) => Tracer,
  inputs: readonly Input[],
  opts: CheckOptions = {},
): Promise<void> {
  const eps = opts.eps ?? 1e-2;
  const rtol = opts.rtol ?? 3e-2;
  const atol = opts.atol ?? 1e-2;
  const prev = config({ backend: "cpu" });
  try {
    const evalAt = (vals: readonly Input[]) => scalar(f(...vals.map(toArray)));
    const argnums = inputs.map((_, i) => i);
    const grads = grad(f, argnums)(...inputs.map(toArray)) as Tracer[];
    for (let i = 0; i < inputs.length; i++) {
      const g = await grads[i]!.data();
      assert.deepEqual(grads[i]!.shape, [...inputs[i]!.shape], `gradient ${i} has the input's shape`);
      for (let j = 0; j < inputs[i]!.data.length; j++) {
        const bumped = (delta: number) =>
          inputs.map((x, k) =>
            k === i ? { shape: x.shape, data: x.data.map((v, m) => (m === j ? v + delta : v)) } : x,
          );
        const fd = ((await evalAt(bumped(eps))) - (await evalAt(bumped(-eps)))) / (2 * eps);
        const ad = g[j]!;
        assert.ok(
          Math.abs(ad - fd) <= atol + rtol * Math.abs(fd),
          `d/dx${i}[${j}]: grad ${ad} vs finite difference ${fd}`,
        );
      }
    }
    // Forward mode along a direction v: jvp's tangent vs (f(x + eps v) - f(x - eps v)) / 2eps.
    const dirs = inputs.map((x, i) => ({ shape: x.shape, data: rand(x.data.length, 97 + i) }));
    const along = (s: number) =>
      inputs.map((x, i) => ({ shape: x.shape, data: x.data.map((v, m) => v + s * dirs[i]!.data[m]!) }));
    const fdDir = ((await evalAt(along(eps))) - (await evalAt(along(-eps)))) / (2 * eps);
    const [, tangent] = jvp(f as (...xs: never[]) => Tracer, inputs.map(toArray), dirs.map(toArray));
    const t = await scalar(tangent);
    assert.ok(
      Math.abs(t - fdDir) <= atol + rtol * Math.abs(fdDir),
      `jvp tangent ${t} vs directional finite difference ${fdDir}`,
    );
  } finally {
    config({ backend: prev.backend });
  }
}
