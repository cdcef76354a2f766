// Report → hover markdown for one source line: which kernels the line landed in, what it was
// fused with, the kernels' GPU time and throughput, why an op was not fused, and eager vs jit.

import * as path from "node:path";
import {
  firstRunMark,
  batchText,
  boundaryCostText,
  boundText,
  breakEvenText,
  callCostOf,
  compiledTimesText,
  dispatchesPerCallPhrase,
  isUntimed,
  kernelTickNs,
  NOT_TIMED,
  outlierText,
  speedupText,
  wgslLinesOf,
  type KernelReport,
  type LineEntry,
  type ReportDiff,
  type SourceLocation,
} from "@jitscope/contract";
import { argumentStructure } from "./argStructure.js";
import { CommandIds, commandUri } from "./commandIds.js";
import {
  formatAutotune,
  formatAutotuneCandidates,
  compileText,
  formatMs,
  formatNs,
  formatRate,
  formatShare,
  formatSpeedup,
  plural,
} from "@jitscope/contract";
import { hoverDiffLines } from "./diffText.js";
import { hintHoverLines, hintsAt } from "./hints.js";
import { sameFile } from "./paths.js";
import { irDocLinesOf } from "./virtualDocuments.js";
import type { ReportIndex } from "./reportIndex.js";

/** Other lines a kernel's ops came from: "10, 11" in this file, "util.ts:4" elsewhere. */
export function fusedWithLines(kernel: KernelReport, file: string, line: number): string[] {
  const here = new Set<number>();
  const elsewhere = new Set<string>();
  for (const loc of kernel.locations) {
    if (sameFile(loc.file, file)) {
      if (loc.line !== line) here.add(loc.line);
    } else {
      elsewhere.add(`${path.basename(loc.file)}:${loc.line}`);
    }
  }
  return [...[...here].sort((a, b) => a - b).map(String), ...[...elsewhere].sort()];
}

/** Whether the kernel's compilation has a `fuse` pass with one before it, so a diff can show
 *  what fusion did. */
function hasFuseDiff(index: ReportIndex, compilation: string): boolean {
  return (index.compilation(compilation)?.passes.findIndex((p) => p.name === "fuse") ?? -1) > 0;
}

/** Kernel times are GPU times on WebGPU, CPU times on the CPU backend: name them truthfully. */
const timeUnit = (index: ReportIndex) => (index.report.device.backend === "cpu" ? "CPU" : "GPU");

/** "0.200 ms median (p10–p90 0.150–0.300 ms)"; below the timestamp tick "< 0.066 ms median". */
function medianWithSpread(index: ReportIndex, k: KernelReport): string {
  if (isUntimed(k)) return `${NOT_TIMED} (none of its dispatches was timed: its time is unknown)`;
  const tick = kernelTickNs(k, index.report.device);
  const t = (ns: number) =>
    tick !== undefined && tick > 0 && ns < tick
      ? `< ${formatNs(tick)}`
      : ns === 0
        ? "< timer resolution"
        : formatNs(ns);
  const spread =
    k.p10Ns !== undefined && k.p90Ns !== undefined && k.gpuTimesNs.length > 1 && !(tick !== undefined && k.p90Ns < tick)
      ? ` (p10–p90 ${t(k.p10Ns)}–${t(k.p90Ns)})`
      : "";
  return `${t(k.medianNs)} median${spread}`;
}

function kernelSection(index: ReportIndex, kernel: KernelReport, file: string, line: number): string[] {
  const total = index.report.totalGpuNs;
  const comp = kernel.compilation ? index.compilation(kernel.compilation) : undefined;
  const owner = kernel.mode === "jit" ? `jit · ${comp?.functionName ?? "?"}` : "eager";
  const fused = fusedWithLines(kernel, file, line);
  const out = [
    `**\`${kernel.name}\`** (${owner})` +
      (fused.length ? ` — fused with line${fused.length === 1 ? "" : "s"} ${fused.join(", ")}` : ""),
    "",
    ...scopeLine(index, kernel),
    [
      medianWithSpread(index, kernel),
      total > 0 && !isUntimed(kernel) ? `${formatShare(kernel.totalNs / total)} of ${timeUnit(index)} time` : null,
      isUntimed(kernel) ? null : formatRate(kernel.gbPerS, "GB/s"),
      isUntimed(kernel) ? null : formatRate(kernel.gflopPerS, "GFLOP/s"),
      boundText(kernel) || null,
      plural(kernel.dispatches, "dispatch", "dispatches") +
        (kernel.gpuTimesNs.length < kernel.dispatches ? ` (${kernel.gpuTimesNs.length} timed)` : ""),
      outlierText(kernel) || null,
      batchText(kernel) || null,
    ]
      .filter((s): s is string => s !== null)
      .join(" · "),
    "",
    ...loopLine(kernel),
    ...(kernel.autotune
      ? [
          `Autotuned: ${formatAutotune(kernel.autotune)}`,
          "",
          `Candidates (median time): ${formatAutotuneCandidates(kernel.autotune)}`,
          "",
        ]
      : []),
  ];
  const links = [
    `[Reveal in graph](${commandUri(CommandIds.revealKernel, [kernel.id])})`,
    wgslLink(kernel, file, line),
  ];
  if (kernel.compilation && hasFuseDiff(index, kernel.compilation)) {
    links.push(`[Pass diff (fuse)](${commandUri(CommandIds.openPassDiffAt, [kernel.compilation, "fuse"])})`);
  }
  out.push(links.join(" · "), "");
  return out;
}

/**
 * Once per compiled function the line's kernels belong to: its IR after fuse, with the equations
 * this line made selected (the kernels group them; a kernel's own link opens its WGSL).
 */
function irLinks(index: ReportIndex, kernels: readonly string[], file: string, line: number): string[] {
  const compilations = [...new Set(kernels.flatMap((id) => index.kernel(id)?.compilation ?? []))];
  const found = compilations
    .filter((c) => hasFuseDiff(index, c))
    .map((c) => ({ c, n: irDocLinesOf(index.report, c, "fuse", file, line).length }))
    .filter(({ n }) => n > 0);
  const links = found.map(({ c, n }) => {
    const name = found.length > 1 ? ` (${index.compilation(c)?.functionName ?? c})` : "";
    const label = `IR after fuse at this line's ${plural(n, "equation")}${name}`;
    return `[${label}](${commandUri(CommandIds.openPassIrAt, [c, "fuse", file, line])})`;
  });
  return links.length ? [links.join(" · "), ""] : [];
}

/** Opens the kernel's WGSL; where its code names this line's ops, at those statements, selected. */
function wgslLink(kernel: KernelReport, file: string, line: number): string {
  const n = wgslLinesOf(kernel, file, line).length;
  if (n === 0) return `[Open WGSL](${commandUri(CommandIds.openKernelWgslAt, [kernel.id])})`;
  return `[Open WGSL at this line's ${n} statement${n === 1 ? "" : "s"}](${commandUri(CommandIds.openKernelWgslAt, [kernel.id, file, line])})`;
}

/** "In `grad(loss) › forward › conv #4`, called at resnet.ts:81:28": which call of a helper the
 *  kernel belongs to (a line inside a helper lands in a kernel per call). */
function scopeLine(index: ReportIndex, kernel: KernelReport): string[] {
  const scope = index.scope(kernel.id);
  if (!scope) return [];
  return [`In \`${scope.label}\`${scope.site ? `, called at ${scope.site}` : ""}`, ""];
}

export interface HoverOptions {
  /** The file changed since the run (lines were remapped): say so. */
  edited?: boolean;
  /** The run against its baseline: what changed on the line. */
  diff?: { diff: ReportDiff; label: string } | null;
}

/** At a `jit(` site: calls, kernels and time per call, each compilation and why it happened. */
function jitSiteSection(index: ReportIndex, file: string, line: number): string[] {
  const out: string[] = [];
  const here = (loc: SourceLocation | null) => loc !== null && loc.line === line && sameFile(loc.file, file);
  for (const fn of index.report.functions.filter((f) => here(f.location))) {
    const cost = callCostOf(fn);
    const compiled = compiledTimesText(fn);
    out.push(
      `**jit · ${fn.name}** — ${plural(fn.calls, "call")} · ${dispatchesPerCallPhrase(fn.kernelsPerCall)} · ${formatMs(cost.ms)}/call${firstRunMark(cost)}` +
        (compiled ? ` · ${compiled}` : ""),
      "",
      `Cost of a call (until its results are ready on the device): p10–p90 ${formatMs(cost.p10)}–${formatMs(cost.p90)}; host ${formatMs(cost.hostMs)} + GPU ${formatMs(cost.gpuMs)}`,
      "",
    );
    for (const id of fn.compilations) {
      const comp = index.compilation(id);
      if (!comp) continue;
      const ir = comp.passes.at(-1)?.name;
      const link = ir ? ` · [IR](${commandUri(CommandIds.openPassIrAt, [comp.id, ir])})` : "";
      const args = argumentStructure(comp);
      if (!args) {
        out.push(`- \`${comp.signature}\` — ${comp.reason} · compiled in ${compileText(comp)}${link}`);
        continue;
      }
      // Arguments by their paths in the user's code, one per top-level argument, then the result.
      const result = comp.signature.split(" -> ")[1];
      out.push(`- ${comp.reason} · compiled in ${compileText(comp)}${link}`);
      for (const a of args) out.push(`  - \`${a}\``);
      if (result) out.push(`  - returns \`${result}\``);
    }
    const compared = index.report.comparison?.functions.find((c) => here(c.location));
    if (compared) {
      const runs = compared.jit.runs?.length ?? 1;
      out.push(
        "",
        `Eager ${formatMs(compared.eager.msPerCall)}${firstRunMark(compared.eager)} → jit ${formatMs(compared.jit.msPerCall)}${firstRunMark(compared.jit)} per call (${speedupText(compared)}${runs > 1 ? `, ${runs} runs each` : ""}) · ${breakEvenText(compared.breakEvenCalls)}`,
      );
    }
    out.push("");
  }
  return out;
}

/**
 * Markdown for the hover on `line` (1-based) of `file`: the line's kernels, and at a `jit(` site
 * the function's compilations; null when the line has neither.
 */
export function lineHoverMarkdown(
  index: ReportIndex,
  file: string,
  line: number,
  options: HoverOptions = {},
): string | null {
  const entry: LineEntry | undefined = index.linesOf(file).get(line);
  const site = jitSiteSection(index, file, line);
  const hints = hintsAt(index.report, file, line);
  if (!entry && site.length === 0 && hints.length === 0) return null;
  const total = index.report.totalGpuNs;
  const out: string[] = [
    entry
      ? `**JIT Scope** · ${formatNs(entry.gpuNs)} ${timeUnit(index)} on this line` +
        (total > 0 ? ` (${formatShare(entry.share)} of total)` : "")
      : "**JIT Scope**",
    "",
  ];
  if (options.edited) out.push("_The file was edited since this run; results may be out of date._", "");
  if (options.diff) out.push(...hoverDiffLines(options.diff.diff, file, line, options.diff.label));
  out.push(...hintHoverLines(hints));
  out.push(...site);
  if (!entry) return out.join("\n").trimEnd();
  out.push(...irLinks(index, entry.kernels, file, line));
  if (entry.kernels.length) out.push(`Landed in ${plural(entry.kernels.length, "kernel")}:`, "");
  for (const id of entry.kernels) {
    const kernel = index.kernel(id);
    if (kernel) out.push(...kernelSection(index, kernel, file, line));
  }
  for (const u of entry.unfused) {
    const cost = boundaryCostText(u);
    out.push(`Not fused: \`${u.op}\` — ${u.reason}${cost ? ` · ${cost}` : ""}`, "");
  }
  if (entry.eagerMs !== undefined && entry.jitMs !== undefined) {
    const speedup = entry.jitMs > 0 ? ` (${formatSpeedup(entry.eagerMs / entry.jitMs)})` : "";
    out.push(`Eager ${formatMs(entry.eagerMs)} → jit ${formatMs(entry.jitMs)} per call${speedup}`, "");
  }
  return out.join("\n").trimEnd();
}

/** For a kernel of a loop body: how often it runs per call, its time per iteration and per call. */
export function loopLine(kernel: KernelReport): string[] {
  const l = kernel.loop;
  if (!l) return [];
  const what = l.kind === "scan" ? "a scan body" : "a while_loop body";
  // A kernel with no timed sample has no time per iteration to multiply (not 0 ns).
  const ns = (v: number): string => (isUntimed(kernel) ? NOT_TIMED : formatNs(v));
  if (l.runsPerCall === null && l.lastCall) {
    // A while loop on WebGPU: the count its last call ran, measured on the device.
    const n = l.lastCall.iterations;
    return [
      `In ${what}: runs a data-dependent number of times per call (${plural(n, "time")} in the last call, read from the device once per chunk: ${plural(l.lastCall.chunks, "chunk")}) · ${ns(kernel.medianNs)} per iteration · ${ns(kernel.medianNs * n)} in the last call · ${ns(kernel.totalNs)} in total`,
      "",
    ];
  }
  if (l.runsPerCall === null) {
    return [
      `In ${what}: runs a data-dependent number of times per call · ${ns(kernel.medianNs)} per iteration · ${ns(kernel.totalNs)} in total`,
      "",
    ];
  }
  return [
    `In ${what} (× ${l.runsPerCall}): runs ${plural(l.runsPerCall, "time")} per call · ${ns(kernel.medianNs)} per iteration · ${ns(kernel.medianNs * l.runsPerCall)} per call · ${ns(kernel.totalNs)} in total`,
    "",
  ];
}
