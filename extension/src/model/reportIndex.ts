// Lookups over one report that the hover, CodeLens, heat and command code all need: by kernel id,
// by compilation id, and the line entries of one file (keys normalised so paths compare safely).

import type { Compilation, KernelReport, LineEntry, Report } from "@jitscope/contract";
import { fileKey } from "./paths.js";

export interface ReportIndex {
  report: Report;
  kernel(id: string): KernelReport | undefined;
  compilation(id: string): Compilation | undefined;
  /** Entries of one file by 1-based line. */
  linesOf(file: string): Map<number, LineEntry>;
}

export function indexReport(report: Report): ReportIndex {
  const kernels = new Map(report.kernels.map((k) => [k.id, k]));
  const compilations = new Map(report.compilations.map((c) => [c.id, c]));
  const byFile = new Map<string, Map<number, LineEntry>>();
  for (const entry of Object.values(report.lines)) {
    const key = fileKey(entry.file);
    let lines = byFile.get(key);
    if (!lines) byFile.set(key, (lines = new Map()));
    lines.set(entry.line, entry);
  }
  return {
    report,
    kernel: (id) => kernels.get(id),
    compilation: (id) => compilations.get(id),
    linesOf: (file) => byFile.get(fileKey(file)) ?? new Map(),
  };
}
