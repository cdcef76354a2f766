// The loaded results: the current report, its index, and one line tracker per annotated file.
// Every editor feature reads from here and re-renders on `onChange`. No vscode import.

import type { Report, ReportDiff } from "@jitscope/contract";
import { LineTracker, type TextEdit } from "./editTracking.js";
import { fileKey } from "./paths.js";
import { indexReport, type ReportIndex } from "./reportIndex.js";

export interface LoadedResults {
  report: Report;
  /** This report against its baseline (the script's previous run, or a picked report). */
  diff: ReportDiff | null;
  /** What the baseline is, for labels: "previous run" or a file name. */
  baselineLabel: string;
  index: ReportIndex;
  /** Where the report JSON lives on disk (for re-export), if anywhere. */
  reportPath: string | null;
}

/** What changed: a report was loaded or cleared (everything redraws), or lines moved (editor only). */
export type ResultsChange = "loaded" | "cleared" | "edited" | "compared";

export class ResultsStore {
  private loaded: LoadedResults | null = null;
  private readonly trackers = new Map<string, LineTracker>();
  private readonly listeners = new Set<(change: ResultsChange) => void>();

  get current(): LoadedResults | null {
    return this.loaded;
  }

  onChange(listener: (change: ResultsChange) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private emit(change: ResultsChange): void {
    for (const l of [...this.listeners]) l(change);
  }

  load(
    report: Report,
    reportPath: string | null,
    diff: ReportDiff | null = null,
    baselineLabel = "previous run",
  ): void {
    this.loaded = { report, index: indexReport(report), reportPath, diff, baselineLabel };
    this.trackers.clear();
    this.emit("loaded");
  }

  /** Sets (or drops) the current report's diff against a baseline. */
  setDiff(diff: ReportDiff | null, baselineLabel = "previous run"): void {
    if (!this.loaded) return;
    this.loaded = { ...this.loaded, diff, baselineLabel };
    this.emit("compared");
  }

  clear(): void {
    this.loaded = null;
    this.trackers.clear();
    this.emit("cleared");
  }

  /** The tracker of a file the report annotates (created on first use), or null. */
  tracker(file: string): LineTracker | null {
    if (!this.loaded) return null;
    const key = fileKey(file);
    let t = this.trackers.get(key);
    if (!t) {
      const reportLines = new Set<number>(this.loaded.index.linesOf(file).keys());
      for (const f of this.loaded.report.functions)
        if (f.location && fileKey(f.location.file) === key) reportLines.add(f.location.line);
      for (const e of this.loaded.report.errors)
        if (e.location && fileKey(e.location.file) === key) reportLines.add(e.location.line);
      for (const h of this.loaded.report.hints ?? [])
        if (h.location && fileKey(h.location.file) === key) reportLines.add(h.location.line);
      if (reportLines.size === 0) return null;
      this.trackers.set(key, (t = new LineTracker(reportLines)));
    }
    return t;
  }

  /** Feeds a document change; re-renders only when it touched an annotated file. */
  applyEdits(file: string, edits: readonly TextEdit[]): void {
    const t = this.tracker(file);
    if (!t || edits.length === 0) return;
    t.applyEdits(edits);
    this.emit("edited");
  }
}
