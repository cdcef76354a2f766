// Report hints → what the editor shows: information diagnostics at their lines (Problems panel)
// and lines in that line's hover. The saving reads as every view writes it (format.ts).

import { formatSaving, hintKindTitle, type Hint, type HintKind, type Report } from "@jitscope/contract";
import { sameFile } from "./paths.js";

export interface HintProblem {
  file: string;
  /** 0-based, as editors count. */
  line: number;
  column: number;
  message: string;
  kind: HintKind;
}

/** One sentence for the Problems panel: kind, what to change, the estimated saving. */
export function hintText(h: Hint): string {
  return `${hintKindTitle(h.kind)}: ${h.message} (estimated ${formatSaving(h)})`;
}

/** Every located hint as a problem on its 0-based line. */
export function reportHintProblems(report: Report): HintProblem[] {
  return (report.hints ?? []).flatMap((h) =>
    h.location
      ? [
          {
            file: h.location.file,
            line: Math.max(0, h.location.line - 1),
            column: Math.max(0, h.location.column - 1),
            message: hintText(h),
            kind: h.kind,
          },
        ]
      : [],
  );
}

/** The hints at `line` (1-based) of `file`, largest saving first (the report's order). */
export function hintsAt(report: Report, file: string, line: number): Hint[] {
  return (report.hints ?? []).filter((h) => h.location && h.location.line === line && sameFile(h.location.file, file));
}

/** Hover lines for a line's hints: "**Hint** (dense lookup, −1.25 ms per call): …". */
export function hintHoverLines(hints: readonly Hint[]): string[] {
  return hints.flatMap((h) => [`**Hint** (${hintKindTitle(h.kind)}, ${formatSaving(h)}): ${h.message}`, ""]);
}
