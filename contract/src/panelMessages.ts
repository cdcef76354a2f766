// Messages between the graph panel (webview) and the extension host, and how the standalone HTML
// page carries its report. Types plus a validator each way: the extension validates every message
// from the webview before acting on it (a webview is untrusted input), and the panel every message
// from the host (a report in one goes through the one report validator).

import type { Report, SourceLocation } from "./report.js";
import { REPORT_DIFF_VERSION, type ReportDiff } from "./reportDiff.js";
import { reportProblem } from "./validate.js";

export type PanelView = "graph" | "kernels" | "roofline" | "memory" | "hints" | "compare" | "timeline" | "diff";
export const PANEL_VIEWS: readonly PanelView[] = [
  "graph",
  "kernels",
  "roofline",
  "memory",
  "hints",
  "compare",
  "timeline",
  "diff",
];

/** Extension → webview. */
export type HostToPanel =
  /** `diff`: the report against its baseline (the previous run, or a report picked to compare). */
  | { type: "report"; report: Report; diff?: ReportDiff | null; view?: PanelView; compilation?: string }
  | { type: "showView"; view: PanelView; compilation?: string }
  /** Reveal the nodes of a kernel, or of a source line, in the graph. */
  | { type: "reveal"; kernel?: string; location?: { file: string; line: number } }
  /** The editor's cursor moved to a line: highlight its ops without changing the view. */
  | { type: "cursor"; location: { file: string; line: number } }
  | { type: "clear" };

/** Webview → extension. */
export type PanelToHost =
  | { type: "ready" }
  | { type: "revealLocation"; location: SourceLocation }
  | { type: "openWgsl"; kernel: string }
  | { type: "openPassIr"; compilation: string; pass: string }
  | { type: "openPassDiff"; compilation: string; pass: string };

/** The standalone HTML page embeds its report in `<script type="application/json" id=…>`. */
export const EMBEDDED_REPORT_ELEMENT_ID = "jitscope-report";
/** The element the panel renders into, in the webview and in the standalone page. */
export const PANEL_ROOT_ELEMENT_ID = "app";

const isStr = (v: unknown, max = 4096): v is string => typeof v === "string" && v.length > 0 && v.length <= max;
const isPosInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0 && v < 1e9;

/** Returns the message if it is a well-formed PanelToHost, else null. */
export function validatePanelMessage(m: unknown): PanelToHost | null {
  if (typeof m !== "object" || m === null) return null;
  const r = m as Record<string, unknown>;
  switch (r.type) {
    case "ready":
      return { type: "ready" };
    case "revealLocation": {
      const l = r.location as Record<string, unknown> | null | undefined;
      if (!l || typeof l !== "object" || !isStr(l.file) || !isPosInt(l.line) || !isPosInt(l.column)) return null;
      return { type: "revealLocation", location: { file: l.file, line: l.line, column: l.column } };
    }
    case "openWgsl":
      return isStr(r.kernel, 256) ? { type: "openWgsl", kernel: r.kernel } : null;
    case "openPassIr":
    case "openPassDiff":
      return isStr(r.compilation, 256) && isStr(r.pass, 64)
        ? { type: r.type, compilation: r.compilation, pass: r.pass }
        : null;
    default:
      return null;
  }
}

/** The message if it is a HostToPanel the panel understands, else null. */
export function parseHostMessage(m: unknown): HostToPanel | null {
  if (typeof m !== "object" || m === null) return null;
  const r = m as Record<string, unknown>;
  switch (r.type) {
    case "report":
      if (reportProblem(r.report) !== null) return null;
      // A diff that is not one is dropped, not fatal: the report still draws.
      if (r.diff !== undefined && r.diff !== null && diffProblem(r.diff) !== null)
        return { ...(r as unknown as HostToPanel), diff: null } as HostToPanel;
      return r as unknown as HostToPanel;
    case "showView":
      return PANEL_VIEWS.includes(r.view as PanelView) ? (r as unknown as HostToPanel) : null;
    case "reveal":
    case "clear":
      return r as unknown as HostToPanel;
    case "cursor": {
      const l = r.location as Record<string, unknown> | null | undefined;
      return l && typeof l === "object" && isStr(l.file) && isPosInt(l.line)
        ? { type: "cursor", location: { file: l.file, line: l.line } }
        : null;
    }
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
