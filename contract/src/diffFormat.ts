// How a diff reads in words, the same in the CLI, CodeLens, hover and panel: "−0.8 ms/call,
// −3 kernels", "no significant change". Pure, part of the contract: the CLI, the extension and the
// webview word a diff with it.

import { formatBytes, formatMs } from "./format.js";
import type {
  FunctionDiffEntry,
  KernelChange,
  KernelDiffEntry,
  LineDiffEntry,
  MeasuredDelta,
  ReportDiff,
} from "./reportDiff.js";

export const NO_CHANGE = "no significant change";

const MINUS = "−";

/** A signed duration, read as the contract's formatMs reads it: "+412 µs", "−3.40 ms". */
export function formatSignedMs(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  if (ms === 0) return "±0 ms";
  return `${ms < 0 ? MINUS : "+"}${formatMs(Math.abs(ms))}`;
}

/** "+3", "−1": a signed count. */
export function formatSignedCount(n: number): string {
  return n < 0 ? `${MINUS}${-n}` : `+${n}`;
}

/** "+12.5%" of a relative change, or "" when there is none to state. */
export function formatRelative(r: number | null): string {
  if (r === null || !Number.isFinite(r)) return "";
  const p = r * 100;
  return `${p < 0 ? MINUS : "+"}${Math.abs(p) < 10 ? Math.abs(p).toFixed(1) : Math.round(Math.abs(p))}%`;
}

/** "−0.800 ms/call (−12%)" when significant, else null. */
export function timeChange(d: MeasuredDelta, unit = "/call"): string | null {
  if (d.verdict !== "faster" && d.verdict !== "slower") return null;
  const rel = formatRelative(d.relative);
  return `${formatSignedMs(d.delta)}${unit}${rel ? ` (${rel})` : ""}`;
}

function count(n: number, word: string, many = `${word}s`): string | null {
  return n === 0 ? null : `${formatSignedCount(n)} ${Math.abs(n) === 1 ? word : many}`;
}

const STRUCTURAL: readonly KernelChange[] = ["changed", "split", "merged", "regrouped", "added", "removed"];

/** A function's change in one line: "−0.800 ms/call (−12%), −3 kernels, 1 kernel split", or NO_CHANGE. */
export function briefFunction(f: FunctionDiffEntry): string {
  if (f.status === "added") return "new since the baseline";
  if (f.status === "removed") return "gone since the baseline";
  const parts = [
    timeChange(f.cost),
    count(f.kernelsPerCall.delta, "dispatch/call", "dispatches/call"),
    count(f.compilations.delta, "compilation"),
    f.peakBytes.delta !== 0
      ? `peak ${f.peakBytes.delta < 0 ? MINUS : "+"}${formatBytes(Math.abs(f.peakBytes.delta))}`
      : null,
    ...STRUCTURAL.map((c) =>
      f.kernelChanges[c] > 0
        ? `${f.kernelChanges[c]} kernel${c === "regrouped" ? " group" : ""}${f.kernelChanges[c] === 1 ? "" : "s"} ${c}`
        : null,
    ),
  ].filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join(", ") : NO_CHANGE;
}

/** A line's change: "−0.120 ms/call, kernel split", or NO_CHANGE. */
export function briefLine(l: LineDiffEntry): string {
  if (l.newLine === null) return "no longer runs kernels";
  if (l.oldLine === null) return `new: ${l.kernels.new} ${l.kernels.new === 1 ? "kernel" : "kernels"}`;
  const parts = [
    timeChange(l.gpuMsPerCall),
    count(l.kernels.delta, "kernel"),
    ...l.changes.map((c) => `kernel ${c}`),
  ].filter((p): p is string => p !== null);
  return parts.length > 0 ? [...new Set(parts)].join(", ") : NO_CHANGE;
}

/** "changed: fused_tanh_mul_2 → fused_tanh_mul_add_2 (+add @ line 12)". */
export function briefKernel(k: KernelDiffEntry): string {
  const names = (refs: { name: string }[]) => refs.map((r) => r.name).join(" + ") || "—";
  const ops = [...k.opsAdded.map((o) => `+${o}`), ...k.opsRemoved.map((o) => `${MINUS}${o}`)];
  const time = timeChange(k.gpuMsPerCall) ?? (k.change === "same" ? NO_CHANGE : null);
  const what =
    k.change === "added" ? names(k.new) : k.change === "removed" ? names(k.old) : `${names(k.old)} → ${names(k.new)}`;
  return `${k.change}: ${what}${ops.length > 0 ? ` (${ops.join(", ")})` : ""}${time ? ` · ${time}` : ""}`;
}

/** One sentence for the whole diff. */
export function briefSummary(d: ReportDiff): string {
  const parts: string[] = [];
  // Jitted functions say their own kernel changes; eager ops' are counted here.
  for (const c of STRUCTURAL) {
    const n = d.kernels.filter((k) => k.function === null && k.change === c).length;
    if (n > 0) parts.push(`${n} eager ${c === "regrouped" ? "kernel group" : "kernel"}${n === 1 ? "" : "s"} ${c}`);
  }
  for (const f of d.functions) {
    const b = briefFunction(f);
    if (b !== NO_CHANGE) parts.push(`${f.name}: ${b}`);
  }
  const slower = d.kernels.filter((k) => k.change === "same" && k.gpuMsPerCall.verdict === "slower").length;
  const faster = d.kernels.filter((k) => k.change === "same" && k.gpuMsPerCall.verdict === "faster").length;
  if (slower) parts.push(`${slower} unchanged kernel${slower === 1 ? "" : "s"} slower`);
  if (faster) parts.push(`${faster} unchanged kernel${faster === 1 ? "" : "s"} faster`);
  return parts.length > 0 ? parts.join("; ") : NO_CHANGE;
}
