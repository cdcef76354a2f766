// The diff against the baseline as the editor shows it: a CodeLens suffix per jitted function and
// an after-line note per changed line, worded by the diff's own formatter (diffFormat.ts) so they
// read as the CLI and the panel do. No vscode import.

import { briefFunction, briefLine, NO_CHANGE, type FunctionDiffEntry, type ReportDiff, type SourceLocation } from "@jitscope/contract";
import { sameFile } from "./paths.js";

/** "vs previous run: −0.800 ms/call (−12%), −3 kernels". */
export function lensDiffSuffix(diff: ReportDiff, fn: { name: string; location: SourceLocation | null }, baselineLabel: string): string | null {
  const entry = functionEntry(diff, fn);
  if (!entry) return null;
  return `vs ${baselineLabel}: ${briefFunction(entry)}`;
}

export function functionEntry(diff: ReportDiff, fn: { name: string; location: SourceLocation | null }): FunctionDiffEntry | undefined {
  return diff.functions.find((f) => f.name === fn.name && (f.newLocation === null || fn.location === null || (sameFile(f.newLocation.file, fn.location.file) && f.newLocation.line === fn.location.line)));
}

/** The changed lines of one file (by their line in the new run) and what changed on each. */
export function lineDiffNotes(diff: ReportDiff, file: string): Map<number, string> {
  const notes = new Map<number, string>();
  for (const l of diff.lines) {
    if (!l.significant || l.newLine === null || !sameFile(l.file, file)) continue;
    const text = briefLine(l);
    if (text !== NO_CHANGE) notes.set(l.newLine, `Δ ${text}`);
  }
  return notes;
}
