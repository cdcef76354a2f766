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
