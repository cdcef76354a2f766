// Report → quick pick items for the IR, pass diff and WGSL commands (plain data; the command code
// turns them into vscode.QuickPickItem).

import * as path from "node:path";
import type { Compilation, Report } from "@jitscope/contract";
import { formatMs, formatNs, plural } from "@jitscope/contract";

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
      `compiled in ${formatMs(c.compileMs.total)}`,
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

export function kernelItems(report: Report): PickItem[] {
  const comps = new Map(report.compilations.map((c) => [c.id, c]));
  return report.kernels.map((k) => ({
    id: k.id,
    label: k.name,
    description: `${k.mode === "jit" ? `jit · ${comps.get(k.compilation ?? "")?.functionName ?? "?"}` : "eager"} · ${formatNs(k.medianNs)} median`,
    detail: k.ops.join(", "),
  }));
}
