// Reports for the Roofline and Memory views' render tests: real programs profiled by the CLI, with
// `device.peaks` (and each kernel's bound and efficiency, from advice/roofline.ts) filled in by hand
// where the run had no calibration, as a calibrated run on lavapipe would have them.
import assert from "node:assert/strict";
import { join } from "node:path";
import { existsSync, readFileSync } from "node:fs";
import { validateReport, type DevicePeaks, type Report } from "@jitscope/contract";
import { classifyKernel } from "../../../runtime/src/advice/roofline.js";
import { REPO, runCli } from "../cli/runCli.js";

/** Of the order lavapipe reaches on this machine's hand benchmarks (STYLE.md: ~12 GFLOP/s). */
export const LAVAPIPE_PEAKS: DevicePeaks = {
  gbPerS: 9.5,
  gflopPerS: 14,
  dispatchUs: 45,
  timestampTickNs: 65_536,
  source: "measured",
  measuredAt: "2026-11-30T06:00:00.000Z",
};

/** The report with `peaks` as its device's, and every timed kernel classified against them. */
export function withPeaks(report: Report, fallback: DevicePeaks = LAVAPIPE_PEAKS): Report {
  const r = structuredClone(report);
  // A run that calibrated keeps its own peaks.
  const peaks = (r.device.peaks ??= { ...fallback });
  for (const k of r.kernels) {
    if (!(k.medianNs > 0)) continue;
    const c = classifyKernel(k, k.medianNs, peaks);
    k.bound = c.bound;
    k.efficiency = c.efficiency;
  }
  return r;
}

/** The report without the advice fields: as an older JIT Scope wrote it. */
export function withoutPeaks(report: Report): Report {
  const r = structuredClone(report);
  delete r.device.peaks;
  for (const k of r.kernels) {
    delete k.bound;
    delete k.efficiency;
  }
  return r;
}

export const PROGRAMS = {
  gpt_step: "test/fixtures/programs/gpt_step.ts",
  mlp_adam: "test/fixtures/programs/mlp_adam.ts",
  cnn: "examples/cnn.ts",
} as const;

/** The CLI's report of `path`. JITSCOPE_TEST_REPORTS names a folder of reports profiled earlier
 *  (`<name>.json`), for iterating on the views without profiling again. */
export function profileProgram(name: string, path: string, env: Record<string, string> = {}): Report {
  const cached = process.env.JITSCOPE_TEST_REPORTS;
  if (cached && existsSync(join(cached, `${name}.json`)))
    return validateReport(readFileSync(join(cached, `${name}.json`), "utf8"));
  const run = runCli(join(REPO, path), [], { timeoutMs: 300_000, env });
  assert.equal(run.code, 0, run.stderr);
  return run.report;
}
