// A light structural check of a report before the panel draws it. The extension validates
// reports fully (reportSchema.ts); the standalone page's embedded JSON may be hand-edited, and
// a clear message beats a blank panel.

import type { HostToPanel, PanelView } from "../../runtime/src/profile/panelMessages.js";
import { REPORT_VERSION, type Report } from "../../runtime/src/profile/report.js";
import { REPORT_DIFF_VERSION } from "../../runtime/src/profile/reportDiff.js";
import { VIEWS } from "./state.js";

/** Null when the value can be drawn, else what is wrong with it. */
export function reportProblem(v: unknown): string | null {
  if (typeof v !== "object" || v === null) return "not a JSON object";
  const r = v as Record<string, unknown>;
  if (r.tool !== "jitscope") return "not a JIT Scope report (tool is not \"jitscope\")";
  if (r.version !== REPORT_VERSION) return `unsupported report version ${String(r.version)} (this panel reads version ${REPORT_VERSION})`;
  for (const k of ["compilations", "kernels", "functions", "errors", "console"]) if (!Array.isArray(r[k])) return `report.${k} is missing`;
  const t = r.timeline as Record<string, unknown> | undefined;
  if (!t || !Array.isArray(t.spans) || !Array.isArray(t.dispatches)) return "report.timeline is missing";
  if (typeof r.device !== "object" || r.device === null) return "report.device is missing";
  for (const c of r.compilations as unknown[]) {
    const cc = c as Record<string, unknown>;
    if (typeof cc?.id !== "string" || !Array.isArray(cc.passes) || typeof cc.fusion !== "object") return "a compilation is malformed";
  }
  return null;
}

/** The message if it is a HostToPanel the panel understands, else null. */
export function parseHostMessage(m: unknown): HostToPanel | null {
  if (typeof m !== "object" || m === null) return null;
  const r = m as Record<string, unknown>;
  switch (r.type) {
    case "report":
      if (reportProblem(r.report) !== null) return null;
      // A diff that is not one is dropped, not fatal: the report still draws.
      if (r.diff !== undefined && r.diff !== null && diffProblem(r.diff) !== null) return { ...(r as unknown as HostToPanel), diff: null } as HostToPanel;
      return r as unknown as HostToPanel;
    case "showView":
      return VIEWS.includes(r.view as PanelView) ? (r as unknown as HostToPanel) : null;
    case "reveal":
    case "clear":
      return r as unknown as HostToPanel;
    default:
      return null;
  }
}

/** Null when a ReportDiff can be drawn, else what is wrong with it. */
export function diffProblem(v: unknown): string | null {
  if (typeof v !== "object" || v === null) return "not a JSON object";
  const d = v as Record<string, unknown>;
  if (d.tool !== "jitscope-diff") return "not a JIT Scope diff";
  if (d.version !== REPORT_DIFF_VERSION) return `unsupported diff version ${String(d.version)}`;
  for (const k of ["functions", "kernels", "lines"]) if (!Array.isArray(d[k])) return `diff.${k} is missing`;
  return null;
}

export function asReport(v: unknown): Report {
  return v as Report;
}
