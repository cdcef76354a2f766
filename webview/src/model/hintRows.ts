// Report hints → the rows of the panel's Hints list: largest saving first (the report's order),
// each with its saving as every view writes it and its place as file:line.

import { formatLineRef, formatSaving, hintKindTitle, type Hint, type Report } from "@jitscope/contract";

export interface HintRow {
  index: number;
  kind: string;
  saving: string;
  /** "gpt.ts:43", or "–" when the hint has no location. */
  where: string;
  message: string;
  details: readonly string[];
  hint: Hint;
  /** 0..1 of the largest saving, for the bar. */
  bar: number;
}

export function hintRows(report: Report): HintRow[] {
  const hints = report.hints ?? [];
  const top = Math.max(0, ...hints.map((h) => h.estimatedSavingMs));
  return hints.map((h, index) => ({
    index,
    kind: hintKindTitle(h.kind),
    saving: formatSaving(h),
    where: h.location ? formatLineRef(h.location.file, h.location.line) : "–",
    message: h.message,
    details: h.details ?? [],
    hint: h,
    bar: top > 0 ? h.estimatedSavingMs / top : 0,
  }));
}
