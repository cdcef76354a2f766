// Report → CodeLens titles over `jit(` sites: "3 kernels · 0.41 ms/call · 4.2× vs eager".

import {
  firstRunMark,
  callCostOf,
  compiledTimesText,
  dispatchesPerCallPhrase,
  formatMs,
  formatSpeedup,
  type ComparedFunction,
  type FunctionReport,
  type Report,
  type ReportDiff,
  type SourceLocation,
} from "@jitscope/contract";
import type { JitSite } from "./jitSites.js";
import { sameFile } from "./paths.js";
import { lensDiffSuffix } from "./diffText.js";

export interface JitLens {
  site: JitSite;
  title: string;
  /** The function's most recent compilation, for opening the panel on it. */
  compilation: string | null;
  functionName: string;
}

/**
 * Which located item belongs to a site: same file and line; with several on a line, the nearest
 * column. `jit(` locations from the runtime point at the call, which may be at `jit` or at `(`.
 */
function atSite<T extends { location: SourceLocation | null }>(
  items: readonly T[],
  file: string,
  site: JitSite,
): T | undefined {
  let best: T | undefined;
  let bestDistance = Infinity;
  for (const item of items) {
    const loc = item.location;
    if (!loc || loc.line !== site.line || !sameFile(loc.file, file)) continue;
    const d = Math.abs(loc.column - site.column);
    if (d < bestDistance) [best, bestDistance] = [item, d];
  }
  return best;
}

/** The cost of a call (until its results are ready on the device), the same figure as the hover,
 *  Compare, CLI and HTML; the speedup from that cost in both modes, or "≈ eager" within noise. */
export function lensTitle(fn: FunctionReport, compared: ComparedFunction | undefined): string {
  const cost = callCostOf(fn);
  const parts = [dispatchesPerCallPhrase(fn.kernelsPerCall), `${formatMs(cost.ms)}/call${firstRunMark(cost)}`];
  if (compared)
    parts.push(
      compared.significant === false ? "≈ eager (within noise)" : `${formatSpeedup(compared.speedup)} vs eager`,
    );
  const compiled = compiledTimesText(fn);
  if (compiled) parts.push(compiled);
  return parts.join(" · ");
}

/** One lens per `jit(` site the report has a function for (sites the run never called get none);
 *  with a diff, each title ends with the change against the baseline. */
export function jitLenses(
  report: Report,
  file: string,
  sites: readonly JitSite[],
  diff: ReportDiff | null = null,
  baselineLabel = "previous run",
): JitLens[] {
  const lenses: JitLens[] = [];
  for (const site of sites) {
    const fn = atSite(report.functions, file, site);
    if (!fn) continue;
    const compared = report.comparison ? atSite(report.comparison.functions, file, site) : undefined;
    lenses.push({
      site,
      title: [lensTitle(fn, compared), diff ? lensDiffSuffix(diff, fn, baselineLabel) : null]
        .filter((t) => t !== null)
        .join(" · "),
      compilation: fn.compilations.at(-1) ?? null,
      functionName: fn.name,
    });
  }
  return lenses;
}
