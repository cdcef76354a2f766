// Which compiled function the panel opens on when nothing chose one: the one the run spent the
// most time in, so that a script whose first jit is a small helper (an eager QR, an init) opens on
// its training step. DOM-free.

import type { Compilation, Report } from "@jitscope/contract";

/**
 * The compilation with the most GPU time (its kernels' `totalNs` summed over the run). Without
 * kernel times (the CPU backend, `timing: "off"`), the one whose function took the most host time
 * (calls × host ms per call). Ties, and a report with no time at all, keep report order.
 */
export function openingCompilation(report: Report): Compilation | null {
  const cs = report.compilations;
  if (cs.length <= 1) return cs[0] ?? null;
  const kernelNs = new Map(report.kernels.map((k) => [k.id, k.totalNs]));
  const gpu = cs.map((c) => c.kernels.reduce((s, id) => s + (kernelNs.get(id) ?? 0), 0));
  if (gpu.some((ns) => ns > 0)) return cs[argmax(gpu)]!;
  const hostMsOf = new Map<string, number>();
  for (const f of report.functions) {
    const ms = f.calls * f.msPerCall;
    // A function's host time is not split among its compilations: the latest one is shown.
    const latest = f.compilations[f.compilations.length - 1];
    if (latest !== undefined) hostMsOf.set(latest, ms);
  }
  return cs[argmax(cs.map((c) => hostMsOf.get(c.id) ?? 0))]!;
}

/** The first index of the largest value. */
function argmax(xs: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! > xs[best]!) best = i;
  return best;
}
