// Small numeric helpers behind the report's derived figures. Pure; kept apart so tests can check
// them against hand-computed values.

/** Median of the samples (mean of the middle two for an even count); 0 for none. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) return 0;
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function sum(samples: readonly number[]): number {
  let t = 0;
  for (const v of samples) t += v;
  return t;
}

/** Bytes per nanosecond is gigabytes per second; FLOPs per nanosecond is GFLOP/s. */
export function perNs(amount: number, ns: number): number {
  return ns > 0 ? amount / ns : 0;
}

/**
 * The number of calls after which jit (paying `compileMs` once) has cost less in total than eager:
 * the smallest n with compileMs + n·jitMs < n·eagerMs. Null when jit is not faster per call.
 */
export function breakEvenCalls(compileMs: number, eagerMsPerCall: number, jitMsPerCall: number): number | null {
  const saved = eagerMsPerCall - jitMsPerCall;
  if (!(saved > 0) || !Number.isFinite(compileMs)) return null;
  return Math.max(1, Math.floor(Math.max(0, compileMs) / saved) + 1);
}

/** Round for display and for compact JSON (keeps 4 significant decimals of a ms). */
export function round(v: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** The q-quantile (0..1) of the samples, linear between order statistics; 0 for none. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return 0;
  const s = [...samples].sort((a, b) => a - b);
  const pos = Math.min(Math.max(q, 0), 1) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/** p10 and p90: the spread every per-kernel and per-call figure carries. */
export function spreadOf(samples: readonly number[]): { p10: number; p90: number } {
  return { p10: quantile(samples, 0.1), p90: quantile(samples, 0.9) };
}

/** How far above the median a sample must lie, in robust deviations, to be an outlier. */
export const OUTLIER_DEVIATIONS = 5;

/**
 * Indices of the samples far above the median: beyond median + 5 robust deviations, the deviation
 * being 1.4826 × the median absolute deviation (σ for normal noise), at least one timestamp tick
 * and a quarter of the median (so equal samples do not flag their next-tick neighbours). Built
 * on the median, it holds while fewer than half the samples are stalls, where quartiles fail at a
 * quarter: a kernel timed 8 times with 3 stalled samples still has them flagged. Outliers stay in
 * `gpuTimesNs`; they only leave the robust total. The median and deviation are the `reference`'s:
 * by default the samples themselves, in a report the samples of every kernel running the same
 * pipeline on the same grid (kernelCost.ts samePipelinePools), so a kernel timed once or twice
 * is judged against its twins' samples.
 */
export function outlierIndices(samples: readonly number[], tick = 0, reference: readonly number[] = samples): number[] {
  if (reference.length < 3) return [];
  const m = median(reference);
  const mad = median(reference.map((v) => Math.abs(v - m)));
  const fence = m + OUTLIER_DEVIATIONS * Math.max(1.4826 * mad, tick, 0.25 * m);
  const out: number[] = [];
  samples.forEach((v, i) => {
    if (v > fence) out.push(i);
  });
  return out;
}

/** The mean of the samples other than `outliers` (indices), or null when none is left. The mean,
 *  not the median, keeps sub-tick kernels honest: quantised samples of 0 and 1 tick average to
 *  the true length when their phase against the tick is random. */
export function robustMean(samples: readonly number[], outliers: readonly number[] = []): number | null {
  const dropped = new Set(outliers);
  let t = 0;
  let n = 0;
  samples.forEach((v, i) => {
    if (dropped.has(i)) return;
    t += v;
    n++;
  });
  return n > 0 ? t / n : null;
}

/** Whether a kernel's total counts its first sample apart (robustTotal): it has others to
 *  average, and every sample is a dispatch of its own. */
export function countsFirstApart(samples: number, dispatches: number): boolean {
  return samples >= 2 && dispatches >= samples;
}

/**
 * A kernel's total GPU time. Its first dispatch is always timed (backend/timingPolicy.ts: the
 * warm-up) and is often its slowest, a cold run: in two training programs on lavapipe the median
 * kernel's first sample was 2.2× its others. So the first sample counts once, for the first
 * dispatch, and the mean of the others for the other dispatches; as one sample among a sampled
 * kernel's four it would have stood for a quarter of 130 dispatches. Outliers (stats above) are
 * set aside: one stalled sample cannot own the total; an outlier first sample counts as the
 * others' mean. `samples` are in dispatch order.
 */
export function robustTotal(
  samples: readonly number[],
  dispatches: number,
  outliers: readonly number[],
  /** The mean dispatch where every sample is an outlier (its twins' robust mean), else 0. */
  fallbackMeanNs = 0,
): number {
  if (samples.length === 0 || dispatches === 0) return 0;
  const firstIsOutlier = outliers.includes(0);
  if (!countsFirstApart(samples.length, dispatches))
    return (robustMean(samples, outliers) ?? fallbackMeanNs) * dispatches;
  const rest = samples.slice(1);
  const restMean =
    robustMean(
      rest,
      outliers.filter((i) => i > 0).map((i) => i - 1),
    ) ?? (firstIsOutlier ? fallbackMeanNs : samples[0]!);
  return (firstIsOutlier ? restMean : samples[0]!) + (dispatches - 1) * restMean;
}

function gcd(a: number, b: number): number {
  while (b > 0) [a, b] = [b, a % b];
  return a;
}

/**
 * The timestamp tick, in ns, as the samples show it: WebGPU hides the adapter's timestamp period,
 * but every duration is a whole number of ticks (1 ns on lavapipe and NVIDIA; 65,536 ns where
 * Dawn's timestamp quantization is kept), so their greatest common
 * divisor is the tick. Null without two distinct positive whole-ns samples (host timing, or too
 * few samples to tell).
 */
export function timestampTickNs(samples: Iterable<number>): number | null {
  let g = 0;
  const distinct = new Set<number>();
  for (const v of samples) {
    if (!Number.isInteger(v) || v < 0) return null;
    if (v === 0) continue;
    distinct.add(v);
    g = gcd(v, g);
  }
  return distinct.size >= 2 && g > 0 ? g : null;
}
