// Report → the short texts after a run: the notification ("12 kernels · 3.4 ms GPU · 2 compiled
// functions", with the driver compile where it was timed, as the CLI's run line gives it) and the
// status bar item ("$(pulse) llvmpipe · 3.40 ms GPU").

import type { Report } from "@jitscope/contract";
import { driverCompileText, formatNs, plural } from "@jitscope/contract";

export function runSummary(report: Report): string {
  const compiled = report.functions.filter((f) => f.compilations.length > 0).length;
  const driver = driverCompileText(report);
  const parts = [
    plural(report.kernels.length, "kernel"),
    `${formatNs(report.totalGpuNs)} ${report.device.backend === "cpu" ? "on CPU" : "GPU"}`,
    ...(driver ? [driver] : []),
    plural(compiled, "compiled function"),
  ];
  if (report.comparison && report.comparison.functions.length) {
    // Only speedups outside the noise: "no significant difference" is not a speedup.
    const best = Math.max(...report.comparison.functions.filter((f) => f.significant !== false).map((f) => f.speedup));
    if (Number.isFinite(best) && best > 0)
      parts.push(`up to ${best < 10 ? best.toFixed(1) : Math.round(best)}× vs eager`);
  }
  return parts.join(" · ");
}

/** Why a run did not complete, in one line, or null when it completed. */
export function failureSummary(report: Report): string | null {
  if (report.status === "completed") return null;
  const first = report.errors[0];
  const where = first?.location ? ` (line ${first.location.line})` : "";
  const what = first ? `${first.message}${where}` : "no error recorded";
  return `Run ${report.status}: ${what}`;
}

/** Device name without the driver details, for the status bar. */
export function shortDevice(report: Report): string {
  if (report.device.backend === "cpu") return "CPU";
  const adapter = report.device.adapter.split(/[·(]/)[0]?.trim();
  return adapter || "WebGPU";
}

export function statusBarText(report: Report): string {
  // On the CPU backend the kernel times are CPU times: say so rather than "GPU".
  return `$(pulse) ${shortDevice(report)} · ${formatNs(report.totalGpuNs)}${report.device.backend === "cpu" ? "" : " GPU"}`;
}

export function statusBarTooltip(report: Report): string {
  const lines = [
    `JIT Scope — ${report.script}`,
    `Device: ${report.device.adapter} (${report.device.backend}${report.device.timestampQuery ? ", GPU timestamps" : ", host timing"})`,
    runSummary(report),
    ...report.device.notes,
  ];
  const failure = failureSummary(report);
  if (failure) lines.push(failure);
  return lines.join("\n");
}

/** Whether a report from a stopped run has anything to show (kernels, or an error with a place). */
export function partialWorthShowing(report: Report): boolean {
  return report.kernels.length > 0 || report.errors.some((e) => e.location !== null && e.kind !== "cancelled");
}
