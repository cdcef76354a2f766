// The statistics behind a diff's verdicts (DIFF_METHOD in reportDiff.ts): the median of the kept
// samples with a 95% distribution-free confidence interval, and a verdict that calls a change
// significant only when the two runs' intervals do not overlap. Deterministic, so a diff of the
// same two reports always reads the same.

import type { CountDelta, Estimate, MeasuredDelta, Verdict } from "@jitscope/contract";
import { median } from "./stats.js";

/** Below this many samples on a side a verdict is "too few samples". */
export const MIN_SAMPLES = 3;

/**
 * The 1-based rank l of the interval's lower end for n samples: the largest l with
 * P(Binomial(n, ½) ≤ l − 1) ≤ 2.5%, at least 1. The upper end is rank n − l + 1.
 */
export function medianIntervalRank(n: number): number {
  if (n <= 0) return 1;
  if (n > 200) return Math.max(1, Math.floor(n / 2 - (1.959964 * Math.sqrt(n)) / 2));
  let pmf = 0.5 ** n; // P(B = 0)
  let cdf = 0; // P(B ≤ k)
  let l = 1;
  for (let k = 0; k < n; k++) {
    cdf += pmf;
    if (cdf > 0.025) break;
    l = k + 1; // P(B ≤ k) ≤ 2.5%: rank k + 1 may be the lower end
    pmf = (pmf * (n - k)) / (k + 1);
  }
  return Math.min(l, Math.ceil(n / 2));
}

/** Median and its 95% interval; null without samples. */
export function estimateOf(samples: readonly number[]): Estimate | null {
  const s = samples.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const l = medianIntervalRank(s.length);
  return { median: median(s), low: s[l - 1]!, high: s[s.length - l]!, samples: s.length };
}

/**
 * A time measured in whole timestamp ticks is only known to within a tick: the interval widens by
 * half a tick on each side, so a change of one tick never reads as significant (two ticks can).
 */
export function withinTick(e: Estimate | null, tickNs: number | undefined): Estimate | null {
  if (!e || !tickNs || !(tickNs > 0)) return e;
  return { ...e, low: Math.max(0, e.low - tickNs / 2), high: e.high + tickNs / 2 };
}

/** w × an estimate (dispatches per call × time per dispatch, ns → ms). */
export function scaled(e: Estimate, w: number): Estimate {
  return { median: e.median * w, low: e.low * w, high: e.high * w, samples: e.samples };
}

/** A sum of medians: the sums of the medians and of the interval ends; null for no parts. */
export function sumOf(parts: readonly (Estimate | null)[]): Estimate | null {
  const present = parts.filter((p): p is Estimate => p !== null);
  if (present.length === 0) return null;
  const add = (f: (e: Estimate) => number) => present.reduce((t, e) => t + f(e), 0);
  return {
    median: add((e) => e.median),
    low: add((e) => e.low),
    high: add((e) => e.high),
    samples: Math.min(...present.map((e) => e.samples)),
  };
}

export function verdictOf(old: Estimate | null, now: Estimate | null): Verdict {
  if (!old || !now || old.samples < MIN_SAMPLES || now.samples < MIN_SAMPLES) return "too few samples";
  if (now.low > old.high) return "slower";
  if (now.high < old.low) return "faster";
  return "no significant change";
}

export function measuredDelta(old: Estimate | null, now: Estimate | null): MeasuredDelta {
  const delta = old && now ? now.median - old.median : 0;
  const relative = old && now && old.median !== 0 ? delta / old.median : null;
  return { old, new: now, delta, relative, verdict: verdictOf(old, now) };
}

export function countDelta(old: number, now: number): CountDelta {
  return { old, new: now, delta: now - old };
}

/** Whether a measured change is one a person should act on. */
export function isSignificant(d: MeasuredDelta): boolean {
  return d.verdict === "faster" || d.verdict === "slower";
}
