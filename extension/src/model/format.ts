// Number formatting shared by hovers, CodeLens titles, line heat and the summary, so the same
// quantity reads the same everywhere.

/** Milliseconds with about three significant digits: "0.412 ms", "3.40 ms", "128 ms". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  const a = Math.abs(ms);
  if (a === 0) return "0 ms";
  if (a < 0.001) return `${(ms * 1000).toFixed(2)} µs`;
  if (a < 1) return `${ms.toFixed(3)} ms`;
  if (a < 10) return `${ms.toFixed(2)} ms`;
  if (a < 100) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms)} ms`;
}

/** Nanoseconds shown as milliseconds (the report stores GPU samples in ns). */
export function formatNs(ns: number): string {
  return formatMs(ns / 1e6);
}

/** A 0..1 share as a percentage: "42%", "3.1%", "<0.1%". */
export function formatShare(share: number): string {
  const p = share * 100;
  if (p <= 0) return "0%";
  if (p < 0.1) return "<0.1%";
  if (p < 10) return `${p.toFixed(1)}%`;
  return `${Math.round(p)}%`;
}

/** A rate with one decimal under 100 ("12.3 GB/s"), whole above. */
export function formatRate(value: number, unit: string): string {
  if (!Number.isFinite(value)) return `– ${unit}`;
  return `${value < 100 ? value.toFixed(1) : Math.round(value)} ${unit}`;
}

/** A speedup factor: "4.2×". */
export function formatSpeedup(x: number): string {
  if (!Number.isFinite(x) || x <= 0) return "–";
  return `${x < 10 ? x.toFixed(1) : Math.round(x)}×`;
}

/** "1 kernel", "3 kernels". */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
