// Counter-based, splittable random numbers, as JAX's `jax.random`. A key is an int32[2]; the
// bits come from the `random_uniform` / `random_bits` primitives (threefry2x32, ops/threefry.ts),
// generated on the device, so the same key gives the same numbers on WebGPU and on the CPU, eager
// or under jit. Never reuse a key: split it.

import { checkOptions } from "./apiOptions.js";
import { JitScopeError } from "./ir/errors.js";
import { lit, Tracer, bind1 } from "./trace/core.js";
import { array } from "./np/creation.js";
import * as L from "./trace/rules/lax.js";
import type { Val } from "./trace/rules/lax.js";
import { sortBy } from "./trace/rules/surfaceRules.js";
import { erfinv } from "./lax/special.js";
import { libraryScope } from "./trace/scopeCalls.js";

/** `random.key(seed)`: a key from an integer seed (as JAX's PRNGKey: [high 32 bits, low 32 bits]). */
export function key(seed: number): Tracer {
  if (!Number.isSafeInteger(seed)) throw new JitScopeError("value", `random.key: seed must be an integer, got ${seed}`);
  const hi = Math.floor(seed / 2 ** 32);
  return array(new Int32Array([hi | 0, (seed >>> 0) | 0]), { dtype: "int32" });
}

/** Alias of `key` (JAX's older name). */
export const PRNGKey = (seed: number): Tracer => key(seed);

/** A `[n, 2]` int32 array of n keys (what `random.split` returns) that also destructures into its
 *  n row keys: `const [a, b] = split(k)`, as JAX's `a, b = split(k)`. */
export type KeyArray = Tracer & Iterable<Tracer>;

/** `random.split(key, n = 2)`: n new independent keys as one int32[n, 2] array (as JAX), to pass
 *  to vmap whole or to destructure: `const [a, b] = split(k)`. */
export function split(k: Tracer, n = 2): KeyArray {
  checkKey("split", k);
  if (!Number.isInteger(n) || n < 1)
    throw new JitScopeError("value", `random.split: n must be a positive integer, got ${n}`);
  return withRowKeys(bind1("random_bits", { shape: [n, 2] }, [k]));
}

/** Makes a [n, 2] key array iterable over its n row keys (n is static). Only key arrays get
 *  this: other arrays stay non-iterable (jsIsms.ts), so a stray spread cannot loop per element.
 *  The rows are sliced as they are taken, so each row op carries the destructuring line. */
function withRowKeys(keys: Tracer): KeyArray {
  const n = keys.shape[0]!;
  Object.defineProperty(keys, Symbol.iterator, {
    *value(): Generator<Tracer> {
      for (let i = 0; i < n; i++) yield L.reshape(L.slice(keys, [i, 0], [i + 1, 2]), [2]) as Tracer;
    },
    configurable: true,
    writable: true,
    enumerable: false,
  });
  return keys as KeyArray;
}

/** `random.fold_in(key, data)`: a new key from a key and an integer (a step, an example index),
 *  as JAX's: threefry2x32 of the key with counter (0, data), bit for bit the same as JAX. `data`
 *  is a number in [-2^31, 2^32) or an int32 scalar array (traced inside a loop, say). */
export function fold_in(k: Tracer, data: number | Tracer): Tracer {
  checkKey("fold_in", k);
  if (data instanceof Tracer) {
    if (data.dtype !== "int32" || data.ndim !== 0)
      throw new JitScopeError(
        "dtype",
        `random.fold_in: data must be an integer or an int32 scalar, got ${data.dtype}[${data.shape}]`,
      );
    return bind1("random_fold_in", {}, [k, data]);
  }
  if (typeof data !== "number" || !Number.isInteger(data) || data < -(2 ** 31) || data >= 2 ** 32)
    throw new JitScopeError(
      "value",
      `random.fold_in: data must be an integer in [-2^31, 2^32) (JAX takes it as uint32), got ${String(data)}`,
    );
  // An array, not a literal: the IR gives an elementwise op's literals the op's shape.
  return bind1("random_fold_in", {}, [k, array(data | 0, { dtype: "int32" })]);
}

export interface UniformOptions {
  minval?: number;
  maxval?: number;
}

/** `random.uniform(key, shape, { minval = 0, maxval = 1 })`: float32 in [minval, maxval). */
export function uniform(k: Tracer, shape: number | readonly number[] = [], options: UniformOptions = {}): Tracer {
  checkOptions("random.uniform", options, ["minval", "maxval"]);
  checkKey("uniform", k);
  const dims = checkShape("uniform", shape);
  const lo = options.minval ?? 0;
  const hi = options.maxval ?? 1;
  if (!(hi > lo))
    throw new JitScopeError("value", `random.uniform: maxval (${hi}) must be greater than minval (${lo})`);
  const u = bind1("random_uniform", { shape: dims }, [k]);
  if (lo === 0 && hi === 1) return u;
  return L.add(L.mul(u, f32(hi - lo)), f32(lo)) as Tracer;
}

/** `random.normal(key, shape)`: standard normal float32 (Box-Muller from two uniforms). */
export function normal(k: Tracer, shape: number | readonly number[] = []): Tracer {
  return libraryScope("random.normal", () => {
    checkKey("normal", k);
    const dims = checkShape("normal", shape);
    const [k1, k2] = split(k, 2);
    const u1 = bind1("random_uniform", { shape: dims }, [k1]);
    const u2 = bind1("random_uniform", { shape: dims }, [k2]);
    // 1 - u1 lies in (0, 1], so the log is finite.
    const radius = L.unary("sqrt", L.mul(f32(-2), L.unary("log", L.sub(f32(1), u1))));
    return L.mul(radius, L.unary("cos", L.mul(u2, f32(2 * Math.PI)))) as Tracer;
  });
}

/** `random.bernoulli(key, p = 0.5, shape)`: bool array, true with probability p. */
export function bernoulli(k: Tracer, p: number | Tracer = 0.5, shape?: number | readonly number[]): Tracer {
  checkKey("bernoulli", k);
  const dims = shape === undefined ? (p instanceof Tracer ? p.shape : []) : checkShape("bernoulli", shape);
  const u = bind1("random_uniform", { shape: dims }, [k]);
  if (!(p instanceof Tracer)) return L.compare("lt", u, f32(p)) as Tracer;
  if (p.dtype !== "float32") throw new JitScopeError("dtype", `random.bernoulli: p must be float32, got ${p.dtype}`);
  const pFull =
    p.ndim === 0
      ? p
      : L.broadcast(
          p,
          dims,
          p.shape.map((_, i) => dims.length - p.ndim + i),
        );
  return L.compare("lt", u, pFull) as Tracer;
}

/** Float32's smallest normal: a uniform in (TINY, 1) has finite log(u) and log(-log(u)). */
export const TINY = 1.1754944e-38;

/** Standard Gumbel noise, -log(-log(u)) for u in (TINY, 1): categorical's and choice's, and
 *  random.gumbel's. */
function gumbelNoise(k: Tracer, dims: readonly number[]): Tracer {
  const u = uniform(k, dims, { minval: TINY, maxval: 1 });
  return L.neg(L.unary("log", L.neg(L.unary("log", u)))) as Tracer;
}

/** `random.gumbel(key, shape)`: standard Gumbel draws. */
export function gumbel(k: Tracer, shape: number | readonly number[] = []): Tracer {
  return libraryScope("random.gumbel", () => {
    checkKey("gumbel", k);
    return gumbelNoise(k, checkShape("gumbel", shape));
  });
}

/** `random.categorical(key, logits, axis = -1, shape?)` (or `{ axis, shape }` third): int32
 *  samples, index drawn with probability softmax(logits) along `axis` (Gumbel-max: argmax of
 *  logits plus Gumbel noise), as JAX's. `shape` is the result's shape, the logits' shape without
 *  `axis` at its end (leading axes draw independent samples from the same logits). */
export function categorical(
  k: Tracer,
  logits: Tracer,
  axisOrOptions: number | { axis?: number; shape?: readonly number[] } = -1,
  shapeArg?: readonly number[],
): Tracer {
  return libraryScope("random.categorical", () => {
    checkKey("categorical", k);
    if (!(logits instanceof Tracer) || logits.dtype !== "float32") {
      throw new JitScopeError("dtype", `random.categorical: logits must be a float32 array`);
    }
    const options = typeof axisOrOptions === "object" && axisOrOptions !== null ? axisOrOptions : {};
    if (typeof axisOrOptions === "object" && axisOrOptions !== null)
      checkOptions("random.categorical", axisOrOptions, ["axis", "shape"]);
    const axis = typeof axisOrOptions === "number" ? axisOrOptions : (options.axis ?? -1);
    const n = logits.ndim;
    if (!Number.isInteger(axis) || n === 0 || axis < -n || axis >= n)
      throw new JitScopeError(
        "axis",
        `random.categorical: axis ${String(axis)} is out of range for logits of shape [${logits.shape}]`,
      );
    const ax = axis < 0 ? axis + n : axis;
    const batch = logits.shape.filter((_, i) => i !== ax);
    const shape = checkShape("categorical", shapeArg ?? options.shape ?? batch);
    const prefix = shape.slice(0, shape.length - batch.length);
    if (shape.length < batch.length || shape.slice(prefix.length).some((d, i) => d !== batch[i]))
      throw new JitScopeError(
        "shape",
        `random.categorical: shape [${shape}] must end with the logits' shape without axis ${ax}, [${batch}]`,
      );
    const full = [...prefix, ...logits.shape];
    const lifted =
      prefix.length === 0
        ? logits
        : L.broadcast(
            logits,
            full,
            logits.shape.map((_, i) => i + prefix.length),
          );
    return bind1("argmax", { axis: prefix.length + ax }, [L.add(lifted, gumbelNoise(k, full))]);
  });
}

const f32 = (v: number): Val => lit(Math.fround(v), "float32");

export function checkKey(op: string, k: unknown): asserts k is Tracer {
  if (!(k instanceof Tracer) || k.dtype !== "int32" || k.ndim !== 1 || k.shape[0] !== 2) {
    const what = k instanceof Tracer ? `${k.dtype}[${k.shape}]` : typeof k;
    // An [n, 2] key array is what random.split(k, n) returns: say how to use its keys.
    const keys =
      k instanceof Tracer && k.dtype === "int32" && k.ndim === 2 && k.shape[1] === 2
        ? `: that is ${k.shape[0]} keys (random.split(k, ${k.shape[0]})); take one with np.take(keys, i, 0), or draw with each by vmap(k => random.${op}(k, …))(keys)`
        : k === undefined
          ? ": was it destructured from a split that made fewer keys? `const [a, b, c] = random.split(k)` leaves c undefined (JS does not check the count, as Python does); write random.split(k, 3)"
          : "";
    throw new JitScopeError(
      "value",
      `random.${op}: expected a key (int32[2], from random.key or random.split), got ${what}${keys}`,
    );
  }
}

export function checkShape(op: string, shape: number | readonly number[]): number[] {
  const dims = typeof shape === "number" ? [shape] : [...shape];
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0)
      throw new JitScopeError("shape", `random.${op}: shape must be non-negative integers, got [${dims}]`);
  }
  return dims;
}

/** `random.randint(key, shape, minval, maxval)`: int32 uniform in [minval, maxval). Drawn as
 *  floor(u · span) from a 23-bit uniform u, so spans up to 2^23 are covered without gaps. */
export function randint(k: Tracer, shape: number | readonly number[], minval: number, maxval: number): Tracer {
  checkKey("randint", k);
  const dims = checkShape("randint", shape);
  if (
    typeof minval !== "number" ||
    typeof maxval !== "number" ||
    !Number.isInteger(minval) ||
    !Number.isInteger(maxval)
  ) {
    throw new JitScopeError(
      "value",
      `random.randint: minval and maxval must be integers (arrays of bounds are not supported), got ${String(minval)}, ${String(maxval)}`,
    );
  }
  if (!(maxval > minval))
    throw new JitScopeError("value", `random.randint: maxval (${maxval}) must be greater than minval (${minval})`);
  const span = maxval - minval;
  if (span > 2 ** 23)
    throw new JitScopeError(
      "value",
      `random.randint: the range [${minval}, ${maxval}) is wider than 2^23, which 23 random bits cannot cover evenly`,
    );
  const u = bind1("random_uniform", { shape: dims }, [k]);
  const scaled = L.cast(L.mul(u, f32(span)), "int32"); // u < 1, so the truncation stays below span
  return (minval === 0 ? scaled : L.add(scaled, lit(minval, "int32"))) as Tracer;
}

/** `random.permutation(key, x)`: a shuffled arange(x) for a number, or x shuffled along `axis`
 *  (sorted by random 32-bit keys; equal keys keep their order, so it is always a permutation). */
export function permutation(k: Tracer, x: number | Tracer, axis = 0): Tracer {
  return libraryScope("random.permutation", () => {
    checkKey("permutation", k);
    if (typeof x === "number") {
      if (!Number.isInteger(x) || x < 0)
        throw new JitScopeError("value", `random.permutation: n must be a non-negative integer, got ${x}`);
      return permutation(k, bind1("iota", { shape: [x], axis: 0, dtype: "int32" }, []), 0);
    }
    if (!(x instanceof Tracer) || x.ndim === 0)
      throw new JitScopeError("shape", `random.permutation: x must be a number or an array with at least 1 dim`);
    const ax = axis < 0 ? axis + x.ndim : axis;
    if (ax < 0 || ax >= x.ndim)
      throw new JitScopeError("axis", `random.permutation: axis ${axis} is out of range for shape [${x.shape}]`);
    const n = x.shape[ax]!;
    const bits = bind1("random_bits", { shape: [n] }, [k]);
    const keys = x.ndim === 1 ? bits : L.broadcast(bits, x.shape, [ax]);
    return sortBy(keys, x, ax) as Tracer;
  });
}

/** `random.truncated_normal(key, lower, upper, shape)`: standard normal samples conditioned on
 *  [lower, upper], by the inverse CDF: √2 · erfinv(uniform(erf(lower/√2), erf(upper/√2))). */
export function truncated_normal(
  k: Tracer,
  lower: number,
  upper: number,
  shape: number | readonly number[] = [],
): Tracer {
  return libraryScope("random.truncated_normal", () => {
    checkKey("truncated_normal", k);
    const dims = checkShape("truncated_normal", shape);
    if (typeof lower !== "number" || typeof upper !== "number" || !(upper > lower)) {
      throw new JitScopeError(
        "value",
        `random.truncated_normal: need numbers lower < upper, got ${String(lower)}, ${String(upper)}`,
      );
    }
    const a = Math.fround(erf(lower / Math.SQRT2));
    const b = Math.fround(erf(upper / Math.SQRT2));
    const u = L.add(L.mul(bind1("random_uniform", { shape: dims }, [k]), f32(b - a)), f32(a));
    const z = L.mul(erfinv(u), f32(Math.SQRT2));
    // Rounding can step just past a bound: keep the samples inside, as JAX does.
    const lo = Number.isFinite(lower) ? bind1("max", {}, [z, f32(lower)]) : z;
    return (Number.isFinite(upper) ? bind1("min", {}, [lo, f32(upper)]) : lo) as Tracer;
  });
}

/** erf on the host (float64): the Maclaurin series below 3, the asymptotic erfc above. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const s = Math.sign(x);
  const ax = Math.abs(x);
  if (ax < 3) {
    let term = ax,
      total = ax;
    for (let n = 1; n < 80; n++) {
      term *= (-ax * ax) / n;
      total += term / (2 * n + 1);
    }
    return (s * 2 * total) / Math.sqrt(Math.PI);
  }
  if (!Number.isFinite(ax)) return s;
  const x2 = ax * ax;
  const series = 1 - 1 / (2 * x2) + 3 / (4 * x2 ** 2) - 15 / (8 * x2 ** 3) + 105 / (16 * x2 ** 4);
  return s * (1 - (Math.exp(-x2) / (ax * Math.sqrt(Math.PI))) * series);
}

export interface ChoiceOptions {
  /** Draw with replacement (default true). */
  replace?: boolean;
  /** float32[n]: the probability of each entry (normalized by its sum, as JAX). */
  p?: Tracer;
  /** The axis of `a` to choose along (default 0). */
  axis?: number;
}

/** `random.choice(key, a, shape = [], { replace = true, p, axis = 0 })`: entries of `a` (an array,
 *  or arange(a) for a number) drawn along `axis`, as JAX's: with replacement uniformly (randint)
 *  or by the cumulative sum of p (the first index whose cumulative weight passes a uniform
 *  draw); without replacement the first draws of a permutation, or with p the Gumbel top-k
 *  (the largest log p + Gumbel noise). Same distributions as JAX; not JAX's exact draws, whose
 *  bits come from a different counter layout. */
export function choice(
  k: Tracer,
  a: number | Tracer,
  shape: number | readonly number[] = [],
  options: ChoiceOptions = {},
): Tracer {
  checkOptions("random.choice", options, ["replace", "p", "axis"]);
  return libraryScope("random.choice", () => {
    checkKey("choice", k);
    const dims = checkShape("choice", shape);
    const { replace = true, p, axis = 0 } = options;
    let x: Tracer | null = null;
    let n: number;
    let ax = 0;
    if (typeof a === "number") {
      if (!Number.isInteger(a) || a < 0)
        throw new JitScopeError("value", `random.choice: a must be a non-negative integer or an array, got ${a}`);
      n = a;
    } else if (a instanceof Tracer && a.ndim > 0) {
      ax = axis < 0 ? axis + a.ndim : axis;
      if (ax < 0 || ax >= a.ndim)
        throw new JitScopeError("axis", `random.choice: axis ${axis} is out of range for a of shape [${a.shape}]`);
      x = a;
      n = a.shape[ax]!;
    } else {
      throw new JitScopeError("shape", `random.choice: a must be a number or an array with at least 1 dim`);
    }
    const draws = dims.reduce((m, d) => m * d, 1);
    if (n === 0 && draws > 0)
      throw new JitScopeError("value", `random.choice: a has no entries to choose from along axis ${ax}`);
    if (!replace && draws > n)
      throw new JitScopeError(
        "value",
        `random.choice: cannot take ${draws} samples from ${n} entries without replacement (replace: false)`,
      );
    if (p !== undefined && (!(p instanceof Tracer) || p.dtype !== "float32" || p.ndim !== 1 || p.shape[0] !== n))
      throw new JitScopeError(
        "shape",
        `random.choice: p must be a float32[${n}] array (one weight per entry), got ${p instanceof Tracer ? `${p.dtype}[${p.shape}]` : typeof p}`,
      );
    const idx = L.reshape(choiceIndices(k, n, draws, replace, p), dims) as Tracer;
    if (x === null) return idx;
    // Entries of x along ax: dims replace that axis.
    const taken = bind1("gather", { axis: ax }, [x, idx]);
    return taken;
  });
}

/** int32[draws] indices in [0, n). */
function choiceIndices(k: Tracer, n: number, draws: number, replace: boolean, p: Tracer | undefined): Val {
  if (replace && p === undefined) return randint(k, [draws], 0, n);
  if (!replace && p === undefined) return L.slice(permutation(k, n), [0], [draws]);
  const weights = p!;
  if (replace) {
    // The first index whose cumulative weight exceeds r = total · (1 - u), u in [0, 1) (JAX's
    // searchsorted of the cumulative sum): the count of cumulative weights below r.
    const cum = bind1("cumulative", { op: "sum", axis: 0, reverse: false }, [weights]);
    const total = L.slice(cum, [n - 1], [n]);
    const r = L.mul(L.sub(f32(1), uniform(k, [draws])), L.broadcast(total, [draws], [0]));
    const below = L.compare("lt", L.broadcast(cum, [draws, n], [1]), L.broadcast(r, [draws, n], [0]));
    return L.reduceSum(L.cast(below, "int32"), [1]);
  }
  // Gumbel top-k: the `draws` largest log p + Gumbel noise, largest first (sorted ascending by
  // the negation; a zero weight gets -inf and is never taken while others remain).
  const score = L.add(L.unary("log", weights), gumbelNoise(k, [n]));
  const order = sortBy(L.neg(score), bind1("iota", { shape: [n], axis: 0, dtype: "int32" }, []), 0);
  return L.slice(order, [0], [draws]);
}
