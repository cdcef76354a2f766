// Report → line heat: the after-line text and a tint bucket per line. A handful of buckets means
// a handful of decoration types (one per bucket), never one per line.

import { formatNs, formatShare } from "@jitscope/contract";
import type { ReportIndex } from "./reportIndex.js";
import { lineDiffNotes } from "./diffText.js";
import type { ReportDiff } from "@jitscope/contract";

/** Lower bounds of each bucket's share of total GPU time; bucket i is share ≥ HEAT_THRESHOLDS[i]. */
export const HEAT_THRESHOLDS = [0, 0.02, 0.08, 0.2, 0.4] as const;
export const HEAT_BUCKETS = HEAT_THRESHOLDS.length;

export interface HeatItem {
  /** 1-based line. */
  line: number;
  bucket: number;
  text: string;
}

export function heatBucket(share: number): number {
  let bucket = 0;
  for (let i = 0; i < HEAT_THRESHOLDS.length; i++) if (share >= HEAT_THRESHOLDS[i]) bucket = i;
  return bucket;
}

/** Heat for every line of `file` that has GPU time, in line order; with a diff, a changed line's
 *  text ends with what changed against the baseline ("Δ −0.120 ms/call, kernel split"). */
export function lineHeat(index: ReportIndex, file: string, diff: ReportDiff | null = null): HeatItem[] {
  const items: HeatItem[] = [];
  const notes = diff ? lineDiffNotes(diff, file) : new Map<number, string>();
  for (const entry of index.linesOf(file).values()) {
    if (entry.kernels.length === 0 && entry.gpuNs <= 0) continue;
    const note = notes.get(entry.line);
    items.push({
      line: entry.line,
      bucket: heatBucket(entry.share),
      text: `${formatNs(entry.gpuNs)} · ${formatShare(entry.share)}${note ? ` · ${note}` : ""}`,
    });
  }
  return items.sort((a, b) => a.line - b.line);
}
