// Counter-based, splittable random numbers, as JAX's `jax.random`. A key is an int32[2]; the
// bits come from the `random_uniform` / `random_bits` primitives (threefry2x32, ops/threefry.ts),
// generated on the device, so the same key gives the same numbers on WebGPU and on the CPU, eager
// or under jit. Never reuse a key: split it.

import { JitScopeError } from "./ir/errors.js";
import { lit, Tracer, bind1 } from "./trace/core.js";
import { array } from "./np/creation.js";
import * as L from "./trace/rules/lax.js";
import type { Val } from "./trace/rules/lax.js";

/** `random.key(seed)`: a key from an integer seed (as JAX's PRNGKey: [high 32 bits, low 32 bits]). */
export function key(seed: number): Tracer {
  if (!Number.isSafeInteger(seed)) throw new JitScopeError("value", `random.key: seed must be an integer, got ${seed}`);
  const hi = Math.floor(seed / 2 ** 32);
  return array(new Int32Array([hi | 0, seed >>> 0 | 0]), { dtype: "int32" });
}

/** `random.split(key, n = 2)`: n new independent keys (destructure them: `const [a, b] = split(k)`). */
export function split(k: Tracer, n = 2): Tracer[] {
  checkKey("split", k);
  if (!Number.isInteger(n) || n < 1) throw new JitScopeError("value", `random.split: n must be a positive integer, got ${n}`);
  const bits = bind1("random_bits", { shape: [n, 2] }, [k]);
  const keys: Tracer[] = [];
  for (let i = 0; i < n; i++) keys.push(L.reshape(L.slice(bits, [i, 0], [i + 1, 2]), [2]) as Tracer);
  return keys;
}

export interface UniformOptions {
  minval?: number;
  maxval?: number;
}

/** `random.uniform(key, shape, { minval = 0, maxval = 1 })`: float32 in [minval, maxval). */
export function uniform(k: Tracer, shape: number | readonly number[] = [], options: UniformOptions = {}): Tracer {
  checkKey("uniform", k);
  const dims = checkShape("uniform", shape);
  const lo = options.minval ?? 0;
  const hi = options.maxval ?? 1;
  if (!(hi > lo)) throw new JitScopeError("value", `random.uniform: maxval (${hi}) must be greater than minval (${lo})`);
  const u = bind1("random_uniform", { shape: dims }, [k]);
  if (lo === 0 && hi === 1) return u;
  return L.add(L.mul(u, f32(hi - lo)), f32(lo)) as Tracer;
}

/** `random.normal(key, shape)`: standard normal float32 (Box-Muller from two uniforms). */
export function normal(k: Tracer, shape: number | readonly number[] = []): Tracer {
  checkKey("normal", k);
  const dims = checkShape("normal", shape);
  const [k1, k2] = split(k, 2) as [Tracer, Tracer];
  const u1 = bind1("random_uniform", { shape: dims }, [k1]);
  const u2 = bind1("random_uniform", { shape: dims }, [k2]);
  // 1 - u1 lies in (0, 1], so the log is finite.
  const radius = L.unary("sqrt", L.mul(f32(-2), L.unary("log", L.sub(f32(1), u1))));
  return L.mul(radius, L.unary("cos", L.mul(u2, f32(2 * Math.PI)))) as Tracer;
}

/** `random.bernoulli(key, p = 0.5, shape)`: bool array, true with probability p. */
export function bernoulli(k: Tracer, p: number | Tracer = 0.5, shape?: number | readonly number[]): Tracer {
  checkKey("bernoulli", k);
  const dims = shape === undefined ? (p instanceof Tracer ? p.shape : []) : checkShape("bernoulli", shape);
  const u = bind1("random_uniform", { shape: dims }, [k]);
  if (!(p instanceof Tracer)) return L.compare("lt", u, f32(p)) as Tracer;
  if (p.dtype !== "float32") throw new JitScopeError("dtype", `random.bernoulli: p must be float32, got ${p.dtype}`);
  const pFull = p.ndim === 0 ? p : L.broadcast(p, dims, p.shape.map((_, i) => dims.length - p.ndim + i));
  return L.compare("lt", u, pFull) as Tracer;
}

/** `random.categorical(key, logits, axis = -1)`: int32 samples, index drawn with probability
 *  softmax(logits) along `axis` (Gumbel-max: argmax of logits plus Gumbel noise). */
export function categorical(k: Tracer, logits: Tracer, axis = -1): Tracer {
  checkKey("categorical", k);
  if (!(logits instanceof Tracer) || logits.dtype !== "float32") {
    throw new JitScopeError("dtype", `random.categorical: logits must be a float32 array`);
  }
  const n = logits.ndim;
  if (n === 0 || axis < -n || axis >= n) throw new JitScopeError("axis", `random.categorical: axis ${axis} is out of range for logits of shape [${logits.shape}]`);
  const ax = axis < 0 ? axis + n : axis;
  // u in (tiny, 1): -log(-log(u)) is finite.
  const u = uniform(k, logits.shape, { minval: 1.1754944e-38, maxval: 1 });
  const gumbel = L.neg(L.unary("log", L.neg(L.unary("log", u))));
  return bind1("argmax", { axis: ax }, [L.add(logits, gumbel)]);
}

const f32 = (v: number): Val => lit(Math.fround(v), "float32");

function checkKey(op: string, k: unknown): asserts k is Tracer {
  if (!(k instanceof Tracer) || k.dtype !== "int32" || k.ndim !== 1 || k.shape[0] !== 2) {
    const what = k instanceof Tracer ? `${k.dtype}[${k.shape}]` : typeof k;
    throw new JitScopeError("value", `random.${op}: expected a key (int32[2], from random.key or random.split), got ${what}`);
  }
}

function checkShape(op: string, shape: number | readonly number[]): number[] {
  const dims = typeof shape === "number" ? [shape] : [...shape];
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0) throw new JitScopeError("shape", `random.${op}: shape must be non-negative integers, got [${dims}]`);
  }
  return dims;
}
