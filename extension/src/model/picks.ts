// Report → quick pick items for the IR, pass diff and WGSL commands (plain data; the command code
// turns them into vscode.QuickPickItem).

import * as path from "node:path";
import type { Compilation, Report } from "@jitscope/contract";
import {
  compileText,
  formatMs,
  isUntimed,
  kernelMedianCell,
  kernelTotalText,
  NOT_TIMED,
  plural,
} from "@jitscope/contract";

export interface PickItem {
  /** What the pick returns. */
  id: string;
  label: string;
  description: string;
  detail?: string;
}

export function compilationItems(report: Report): PickItem[] {
  return report.compilations.map((c) => ({
    id: c.id,
    label: c.functionName,
    description: c.signature,
    detail: [
      c.location ? `${path.basename(c.location.file)}:${c.location.line}` : null,
      c.reason,
      plural(c.kernels.length, "kernel"),
      `compiled in ${compileText(c)}`,
    ]
      .filter((s): s is string => s !== null)
      .join(" · "),
  }));
}

export function passItems(comp: Compilation): PickItem[] {
  return comp.passes.map((p, i) => ({
    id: p.name,
    label: `${i + 1}. ${p.name}`,
    description: `${p.changed ? "changed" : "unchanged"} · ${formatMs(p.ms)}`,
  }));
}

/**
 * Kernels for the WGSL picker: grouped by the function they belong to (the function with most GPU
 * time first, eager kernels last), each group by GPU time, most first: what a person looks for.
 */
export function kernelItems(report: Report): PickItem[] {
  const comps = new Map(report.compilations.map((c) => [c.id, c]));
  const groupOf = (k: Report["kernels"][number]): string => (k.mode === "jit" ? (k.compilation ?? "?") : "");
  const groupNs = new Map<string, number>();
  for (const k of report.kernels) groupNs.set(groupOf(k), (groupNs.get(groupOf(k)) ?? 0) + k.totalNs);
  const sorted = [...report.kernels].sort((a, b) => {
    const ga = groupOf(a);
    const gb = groupOf(b);
    if (ga !== gb) {
      if (ga === "") return 1; // eager last
      if (gb === "") return -1;
      return (groupNs.get(gb) ?? 0) - (groupNs.get(ga) ?? 0);
    }
    return b.totalNs - a.totalNs;
  });
  return sorted.map((k) => ({
    id: k.id,
    label: k.name,
    description: `${k.mode === "jit" ? `jit · ${comps.get(k.compilation ?? "")?.functionName ?? "?"}` : "eager"} · ${isUntimed(k) ? NOT_TIMED : `${kernelTotalText(k)} total · ${kernelMedianCell(k, report.device)} median`}`,
    detail: k.ops.join(", "),
  }));
}
