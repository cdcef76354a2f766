// Lookups over one report that the hover, CodeLens, heat and command code all need: by kernel id,
// by compilation id, and the line entries of one file (keys normalised so paths compare safely).

import { kernelScopes, type Compilation, type KernelReport, type LineEntry, type Report } from "@jitscope/contract";
import { fileKey } from "./paths.js";

export interface ReportIndex {
  report: Report;
  kernel(id: string): KernelReport | undefined;
  compilation(id: string): Compilation | undefined;
  /** Entries of one file by 1-based line. */
  linesOf(file: string): Map<number, LineEntry>;
  /** A jit kernel's scope among the user's functions and where it was called (as the panel's
   *  Kernels table names it); undefined at a function's top level and for eager kernels. */
  scope(kernelId: string): { label: string; site: string | null } | undefined;
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
  let scopes: ReturnType<typeof kernelScopes> | null = null; // built on the first hover that asks
  return {
    report,
    scope: (id) => (scopes ??= kernelScopes(report)).get(id),
    kernel: (id) => kernels.get(id),
    compilation: (id) => compilations.get(id),
    linesOf: (file) => byFile.get(fileKey(file)) ?? new Map(),
  };
}
