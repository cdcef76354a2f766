// The diff against the baseline as the editor shows it: a CodeLens suffix per jitted function and
// an after-line note per changed line, worded by the diff's own formatter (diffFormat.ts) so they
// read as the CLI and the panel do. No vscode import.

import {
  briefFunction,
  briefKernel,
  briefLine,
  NO_CHANGE,
  type FunctionDiffEntry,
  type ReportDiff,
  type SourceLocation,
} from "@jitscope/contract";
import { sameFile } from "./paths.js";

/** "vs previous run: −0.800 ms/call (−12%), −3 kernels". */
export function lensDiffSuffix(
  diff: ReportDiff,
  fn: { name: string; location: SourceLocation | null },
  baselineLabel: string,
): string | null {
  const entry = functionEntry(diff, fn);
  if (!entry) return null;
  return `vs ${baselineLabel}: ${briefFunction(entry)}`;
}

export function functionEntry(
  diff: ReportDiff,
  fn: { name: string; location: SourceLocation | null },
): FunctionDiffEntry | undefined {
  return diff.functions.find(
    (f) =>
      f.name === fn.name &&
      (f.newLocation === null ||
        fn.location === null ||
        (sameFile(f.newLocation.file, fn.location.file) && f.newLocation.line === fn.location.line)),
  );
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

/** The hover's block for one line: what changed there against the baseline, kernel by kernel. */
export function hoverDiffLines(diff: ReportDiff, file: string, line: number, baselineLabel: string): string[] {
  const entry = diff.lines.find((l) => l.newLine === line && sameFile(l.file, file));
  const kernels = diff.kernels.filter(
    (k) => k.change !== "same" && k.file !== null && sameFile(k.file, file) && k.lines.includes(line),
  );
  const fns = diff.functions.filter(
    (f) => f.newLocation !== null && f.newLocation.line === line && sameFile(f.newLocation.file, file),
  );
  if (!entry && kernels.length === 0 && fns.length === 0) return [];
  const out = [`**vs ${baselineLabel}** — ${entry ? briefLine(entry) : NO_CHANGE}`, ""];
  for (const f of fns) out.push(`- jit · ${f.name}: ${briefFunction(f)}`);
  for (const k of kernels) out.push(`- ${briefKernel(k)}`);
  if (fns.length + kernels.length > 0) out.push("");
  return out;
}
