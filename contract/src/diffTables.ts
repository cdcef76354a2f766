// A diff as titled tables: one source for the CLI's text, the Markdown of `jitscope check` and the
// HTML page, so each figure reads the same in all three. Pure.

import {
  briefFunction,
  briefLine,
  formatRelative,
  formatSignedCount,
  formatSignedMs,
  NO_CHANGE,
} from "./diffFormat.js";
import { baseName, formatBytes } from "./format.js";
import type { Estimate, MeasuredDelta, ReportDiff } from "./reportDiff.js";

export interface DiffTable {
  /** Which entries the rows are, in order (with `all`, one row per entry of the diff). */
  kind: "functions" | "kernels" | "lines";
  title: string;
  head: string[];
  rows: string[][];
}

const base = baseName;

/** "0.412 [0.40–0.43]" in ms. */
export function formatEstimate(e: Estimate | null): string {
  if (!e) return "—";
  const f = (v: number) => (Math.abs(v) < 1 ? v.toFixed(3) : v < 100 ? v.toFixed(2) : v.toFixed(0));
  return `${f(e.median)} [${f(e.low)}–${f(e.high)}]`;
}

function change(d: MeasuredDelta): string {
  if (!d.old || !d.new) return "—";
  if (d.verdict === "faster" || d.verdict === "slower")
    return `${formatSignedMs(d.delta)} ${formatRelative(d.relative)} ${d.verdict}`.trim();
  return d.verdict;
}

/** Lines shown: those that changed (all of them when `all`). */
export function diffTables(d: ReportDiff, opts: { all?: boolean } = {}): DiffTable[] {
  const tables: DiffTable[] = [];
  if (d.functions.length > 0) {
    tables.push({
      kind: "functions",
      title: "jitted functions (cost of a call, host + GPU, ms: median [95% interval])",
      head: [
        "function",
        "old ms/call",
        "new ms/call",
        "change",
        "dispatches/call",
        "compilations",
        "compile ms",
        "peak bytes",
        "summary",
      ],
      rows: d.functions.map((f) => [
        f.name,
        formatEstimate(f.cost.old),
        formatEstimate(f.cost.new),
        change(f.cost),
        `${f.kernelsPerCall.old} → ${f.kernelsPerCall.new}`,
        `${f.compilations.old} → ${f.compilations.new}`,
        `${f.compileMs.old.toFixed(1)} → ${f.compileMs.new.toFixed(1)}`,
        f.peakBytes.delta === 0
          ? formatBytes(f.peakBytes.new)
          : `${formatBytes(f.peakBytes.old)} → ${formatBytes(f.peakBytes.new)}`,
        briefFunction(f),
      ]),
    });
  }
  const kernels = d.kernels.filter(
    (k) =>
      opts.all || k.change !== "same" || k.gpuMsPerCall.verdict === "faster" || k.gpuMsPerCall.verdict === "slower",
  );
  if (kernels.length > 0) {
    tables.push({
      kind: "kernels",
      title: "kernels matched by provenance (GPU ms per call: median [95% interval])",
      head: [
        "change",
        "function",
        "old kernels",
        "new kernels",
        "lines",
        "ops",
        "old GPU ms/call",
        "new GPU ms/call",
        "time",
        "dispatches/call",
      ],
      rows: kernels.map((k) => [
        k.change,
        k.function ?? "(eager)",
        k.old.map((r) => r.name).join(" + ") || "—",
        k.new.map((r) => r.name).join(" + ") || "—",
        k.lines.length > 0 ? `${k.file ? base(k.file) : ""}:${k.lines.join(",")}` : "—",
        [...k.opsAdded.map((o) => `+${o}`), ...k.opsRemoved.map((o) => `−${o}`)].join(", ") || "same ops",
        formatEstimate(k.gpuMsPerCall.old),
        formatEstimate(k.gpuMsPerCall.new),
        change(k.gpuMsPerCall),
        k.dispatchesPerCall.delta === 0
          ? String(round(k.dispatchesPerCall.new))
          : `${round(k.dispatchesPerCall.old)} → ${round(k.dispatchesPerCall.new)} (${formatSignedCount(round(k.dispatchesPerCall.delta))})`,
      ]),
    });
  }
  const lines = d.lines.filter((l) => opts.all || l.significant);
  if (lines.length > 0) {
    tables.push({
      kind: "lines",
      title: "source lines (GPU ms per call split among each kernel's lines)",
      head: ["line", "old line", "kernels", "old GPU ms/call", "new GPU ms/call", "change"],
      rows: lines.map((l) => [
        l.newLine === null ? "—" : `${base(l.file)}:${l.newLine}`,
        l.oldLine === null ? "—" : String(l.oldLine),
        `${l.kernels.old} → ${l.kernels.new}`,
        formatEstimate(l.gpuMsPerCall.old),
        formatEstimate(l.gpuMsPerCall.new),
        briefLine(l),
      ]),
    });
  }
  return tables;
}

const round = (v: number) => Math.round(v * 100) / 100;

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** The diff as the CLI prints it. */
export function formatDiffText(d: ReportDiff, opts: { all?: boolean } = {}): string {
  const out = [
    `old: ${d.old.script} (${d.old.createdAt}, ${d.old.adapter})`,
    `new: ${d.new.script} (${d.new.createdAt}, ${d.new.adapter})`,
    `method: ${d.method}`,
    "",
    `summary: ${d.summary.text}`,
  ];
  for (const t of diffTables(d, opts)) out.push("", t.title, pad([t.head, ...t.rows]));
  if (d.summary.text === NO_CHANGE)
    out.push("", "every kernel matched its baseline; no time moved outside both runs' intervals");
  return out.join("\n");
}

const mdCell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function markdownTable(t: DiffTable): string {
  return [
    `| ${t.head.map(mdCell).join(" | ")} |`,
    `|${t.head.map(() => "---").join("|")}|`,
    ...t.rows.map((r) => `| ${r.map(mdCell).join(" | ")} |`),
  ].join("\n");
}
