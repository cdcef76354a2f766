// jax.nn.dot_product_attention, as JAX's "xla" implementation computes it: query [B, T, N, H]
// against key and value [B, S, K, H] (or the same without B), N a multiple of K (grouped-query
// attention: each key head serves N / K query heads). logits = q·kᵀ · scale (1/√H by default) +
// bias; positions a mask, the causal triangle, a local window or the sequence lengths rule out
// get −0.7 · float32's max (finite, so a fully masked row is uniform, not NaN); softmax over the
// keys; the value rows weighted by it; query rows past their length zeroed. Built from einsum,
// softmax and where, so it traces, fuses and differentiates like user code.

import { checkOptions } from "./apiOptions.js";
import { JitScopeError } from "./ir/errors.js";
import * as np from "./np.js";
import type { ArrayLike } from "./np.js";
import { asTracer } from "./np/promote.js";
import { softmax, logsumexp } from "./nnSoftmax.js";
import { Tracer } from "./trace/core.js";
import { stopGradient } from "./trace/stopGradient.js";
import { libraryScope } from "./trace/scopeCalls.js";

export interface DotProductAttentionOptions {
  /** Multiplies the logits (default 1/√H). */
  scale?: number;
  /** Query t attends keys s ≤ t only. */
  is_causal?: boolean;
  /** int32 [B]: query rows at or past it attend nothing and output zeros. */
  query_seq_lengths?: ArrayLike;
  /** int32 [B]: keys at or past it are not attended. */
  key_value_seq_lengths?: ArrayLike;
  /** Query t attends keys in [t − left, t + right] (one number: both sides). */
  local_window_size?: number | readonly [number, number];
  /** "xla" (the default; the only one here). */
  implementation?: "xla" | null;
  /** Also return the logsumexp of each query row's logits, [B, T, N] (gradient stopped). */
  return_residual?: boolean;
}

const OP = "nn.dot_product_attention";
const LARGE_NEGATIVE = -0.7 * 3.4028234663852886e38;

/** Leading axes of size 1 up to 4 dims (JAX's `_ensure_4d`). */
const as4d = (t: Tracer): Tracer => (t.ndim >= 4 ? t : np.reshape(t, [...Array(4 - t.ndim).fill(1), ...t.shape]));

function checkDims(name: string, t: Tracer, want: readonly number[]): void {
  if (t.ndim !== 4 || want.some((d, i) => d !== -1 && t.shape[i] !== d))
    throw new JitScopeError(
      "shape",
      `${OP}: ${name} of shape [${t.shape}] does not fit [${want.map((d) => (d === -1 ? "·" : d))}] (query [B, T, N, H], key and value [B, S, K, H])`,
    );
}

/** JAX's bias and mask (positional there) among the options: `dot_product_attention(q, k, v,
 *  { mask, is_causal: true })`, as a port spells keyword arguments. */
export interface AttentionOptionsWithInputs extends DotProductAttentionOptions {
  bias?: ArrayLike | null;
  mask?: ArrayLike | null;
}
/** return_residual's type in the options `O` (undefined when they leave it out). */
type ResidualFlag<O> = O extends { return_residual?: infer B } ? B : undefined;
/** A pair with the residual when the options ask for it, one array when they do not, either
 *  when only known at run time. */
type AttentionResult<O> = [ResidualFlag<O>] extends [true]
  ? [Tracer, Tracer]
  : [ResidualFlag<O>] extends [false | undefined]
    ? Tracer
    : Tracer | [Tracer, Tracer];
type NoOptions = { return_residual?: undefined };

export function dot_product_attention<const O extends AttentionOptionsWithInputs = NoOptions>(
  query: ArrayLike,
  key: ArrayLike,
  value: ArrayLike,
  options?: O,
): AttentionResult<O>;
export function dot_product_attention<const O extends DotProductAttentionOptions = NoOptions>(
  query: ArrayLike,
  key: ArrayLike,
  value: ArrayLike,
  bias?: ArrayLike | null,
  mask?: ArrayLike | null,
  options?: O,
): AttentionResult<O>;
export function dot_product_attention(
  query: ArrayLike,
  key: ArrayLike,
  value: ArrayLike,
  biasOrOptions: ArrayLike | null | AttentionOptionsWithInputs = null,
  maskArg: ArrayLike | null = null,
  optionsArg: DotProductAttentionOptions = {},
): Tracer | [Tracer, Tracer] {
  return libraryScope("nn.dot_product_attention", () => {
    const asOptions = typeof biasOrOptions === "object" && biasOrOptions !== null && !(biasOrOptions instanceof Tracer);
    if (asOptions && (maskArg !== null || Object.keys(optionsArg).length > 0))
      throw new JitScopeError(
        "value",
        `${OP}: options given twice; pass either (q, k, v, { bias, mask, ... }) or (q, k, v, bias, mask, { ... })`,
      );
    const known = [
      "scale",
      "is_causal",
      "query_seq_lengths",
      "key_value_seq_lengths",
      "local_window_size",
      "implementation",
      "return_residual",
    ] as const;
    if (asOptions) checkOptions(OP, biasOrOptions, [...known, "bias", "mask"]);
    else checkOptions(OP, optionsArg, known);
    const {
      bias = null,
      mask = null,
      ...options
    }: AttentionOptionsWithInputs = asOptions
      ? biasOrOptions
      : { bias: biasOrOptions as ArrayLike | null, mask: maskArg, ...optionsArg };
    const { is_causal = false, implementation = null, return_residual = false } = options;
    if (implementation !== null && implementation !== "xla")
      throw new JitScopeError(
        "value",
        `${OP}: implementation ${JSON.stringify(implementation)} is not available; use "xla"`,
      );
    const q0 = asTracer(OP, query, "float32");
    const outShape = q0.shape;
    const [q, k, v] = [as4d(q0), as4d(asTracer(OP, key, "float32")), as4d(asTracer(OP, value, "float32"))];
    const [B, S, K, H] = k.shape as [number, number, number, number];
    checkDims("value", v, [B, S, K, H]);
    checkDims("query", q, [B, -1, -1, H]);
    const [T, N] = [q.shape[1]!, q.shape[2]!];
    if (N % K !== 0)
      throw new JitScopeError(
        "shape",
        `${OP}: the query heads (${N}) must be a multiple of the key/value heads (${K})`,
      );
    const G = N / K;
    const scale = options.scale ?? 1 / Math.sqrt(H);

    /** A [·, N or 1, ·, ·] bias or mask as [·, K, G, ·, ·] (or [·, 1, 1, ·, ·]). */
    const grouped = (name: string, t: Tracer): Tracer => {
      const t4 = as4d(t);
      if (t4.ndim !== 4) throw new JitScopeError("shape", `${OP}: ${name} must have at most 4 dims, got [${t.shape}]`);
      const [tB, tN, tT, tS] = t4.shape as [number, number, number, number];
      if (tN === 1) return np.reshape(t4, [tB, 1, 1, tT, tS]);
      if (tN !== N)
        throw new JitScopeError("shape", `${OP}: ${name} of shape [${t.shape}] has ${tN} heads; the query has ${N}`);
      return np.reshape(t4, [tB, K, G, tT, tS]);
    };

    let logits = np.multiply(np.einsum("btkgh,bskh->bkgts", np.reshape(q, [B, T, K, G, H]), k), scale);
    if (bias !== null) logits = np.add(logits, grouped("bias", asTracer(OP, bias, "float32")));

    const masks: Tracer[] = [];
    if (mask !== null) {
      const m = asTracer(OP, mask);
      if (m.dtype !== "bool") throw new JitScopeError("dtype", `${OP}: mask must be bool, got ${m.dtype}[${m.shape}]`);
      masks.push(grouped("mask", m));
    }
    const rows = np.reshape(np.arange(T, { dtype: "int32" }), [T, 1]);
    const cols = np.reshape(np.arange(S, { dtype: "int32" }), [1, S]);
    if (is_causal) masks.push(np.less_equal(cols, rows));
    if (options.local_window_size !== undefined) {
      const w = options.local_window_size;
      const [left, right] = typeof w === "number" ? [w, w] : w;
      masks.push(
        np.logical_and(np.less_equal(rows, np.add(cols, left)), np.greater_equal(rows, np.subtract(cols, right))),
      );
    }
    const lengths = (name: string, l: ArrayLike | undefined): Tracer | null => {
      if (l === undefined) return null;
      const t = asTracer(OP, l);
      if (t.dtype !== "int32" || t.ndim !== 1 || t.shape[0] !== B)
        throw new JitScopeError("shape", `${OP}: ${name} must be int32 [${B}], got ${t.dtype}[${t.shape}]`);
      return np.reshape(t, [B, 1, 1, 1, 1]);
    };
    const qLen = lengths("query_seq_lengths", options.query_seq_lengths);
    const kvLen = lengths("key_value_seq_lengths", options.key_value_seq_lengths);
    if (qLen) masks.push(np.less(np.reshape(rows, [1, 1, 1, T, 1]), qLen));
    if (kvLen) masks.push(np.less(np.reshape(cols, [1, 1, 1, 1, S]), kvLen));
    if (masks.length > 0)
      logits = np.where(
        masks.reduce((a, b) => np.logical_and(a, b)),
        logits,
        LARGE_NEGATIVE,
      );

    const probs = softmax(logits, -1);
    let encoded = np.reshape(np.einsum("bkgts,bskh->btkgh", probs, v), [B, T, N, H]);
    if (qLen)
      encoded = np.multiply(
        encoded,
        np.astype(np.less(np.reshape(rows, [1, T, 1, 1]), np.reshape(qLen, [B, 1, 1, 1])), "float32"),
      );
    const out = np.reshape(encoded, outShape);
    if (!return_residual) return out;
    // [B, K, G, T] → [B, T, K, G] → [B, T, N], without the batch axis when the query had none.
    const lse = np.reshape(np.transpose(logsumexp(logits, -1), [0, 3, 1, 2]), [B, T, N]);
    return [out, stopGradient(np.reshape(lse, outShape.slice(0, -1)))];
  });
}
