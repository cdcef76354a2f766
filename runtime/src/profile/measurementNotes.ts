// The device notes a report adds about its own measurements: sub-tick batches, outliers, sampled
// timing, kernels never timed, samples that outrun the wall clock, a run that was mostly the
// driver compiling pipelines, and what the report dropped.
// Every view shows them beside the numbers they qualify (report.device.notes).

import {
  formatMs,
  formatNs,
  isUntimed,
  NOT_TIMED,
  plural,
  type BackendName,
  type DriverCompile,
  type KernelReport,
} from "@jitscope/contract";

/** Kernels named in the note on kernels with no timed dispatch. */
const UNTIMED_NAMED = 5;

export interface MeasurementFacts {
  readonly kernels: readonly KernelReport[];
  readonly backend: BackendName;
  readonly totalGpuNs: number;
  readonly wallMs: number;
  readonly consoleDropped: number;
  readonly consoleLimit: number;
  /** The timeline's limit where it dropped entries, else null. */
  readonly timelineLimit: number | null;
  readonly driverCompile?: DriverCompile;
}

/** A run whose driver compile is at least this share of its wall time gets a note saying so. */
export const DRIVER_COMPILE_NOTE_SHARE = 0.5;

export function measurementNotes(f: MeasurementFacts): string[] {
  const notes: string[] = [];
  const batched = f.kernels.filter((k) => k.batch);
  if (batched.length > 0) {
    // The size as the samples recorded it (backend/timingPolicy.ts BATCH).
    const size = Math.max(...batched.map((k) => k.batch!.size));
    notes.push(
      `${batched.length} kernel${batched.length === 1 ? " is" : "s are"} shorter than a timestamp tick: after 3 samples of at most one tick, each timed sample spans ${size} back-to-back dispatches, divided by ${size}`,
    );
  }
  const outliers = f.kernels.reduce((n, k) => n + (k.outliers?.length ?? 0), 0);
  // The CPU backend's samples are host times of the reference implementation, not GPU times.
  const sample = f.backend === "cpu" ? "time sample" : "GPU time sample";
  if (outliers > 0)
    notes.push(
      `${outliers} ${sample}${outliers === 1 ? "" : "s"} far above ${outliers === 1 ? "its" : "their"} kernel's others (beyond median + 5 robust deviations of its samples and those of kernels running the same pipeline on the same grid) ${outliers === 1 ? "is" : "are"} kept in the samples but left out of the totals`,
    );
  if (f.consoleDropped > 0)
    notes.push(`console keeps the first ${f.consoleLimit} lines (${f.consoleDropped} more were printed)`);
  const timedAll = f.kernels.reduce((n, k) => n + k.gpuTimesNs.length, 0);
  const dispatchedAll = f.kernels.reduce((n, k) => n + k.dispatches, 0);
  if (timedAll < dispatchedAll) {
    notes.push(
      `${timedAll} of ${dispatchedAll} dispatches were timed: a kernel too short for its timestamps to stay a small share of its time is timed on its first dispatches, then 1 in N; its total is its first sample plus the robust mean of the others × its other dispatches (--timing every times them all)`,
    );
  }
  // A kernel that ran with no timed sample has an unknown time, not 0: its 0 total is left out
  // of the kernel time and of its calls' GPU part, and every view reads it "not timed".
  const untimed = f.kernels.filter(isUntimed);
  if (untimed.length > 0) {
    const shown = untimed.slice(0, UNTIMED_NAMED).map((k) => k.name);
    const more = untimed.length > shown.length ? `, … ${untimed.length - shown.length} more` : "";
    const n = untimed.reduce((a, k) => a + k.dispatches, 0);
    notes.push(
      `${untimed.length} kernel${untimed.length === 1 ? "" : "s"} (${n} dispatch${n === 1 ? "" : "es"}) ran with no timed dispatch: ${untimed.length === 1 ? "its" : "their"} GPU time is unknown, shown as "${NOT_TIMED}" and left out of the kernel time and the GPU part of a call (${shown.join(", ")}${more})`,
    );
  }
  // One queue runs one kernel at a time: kernel time past the wall time means the samples lie.
  if (f.wallMs > 0 && f.totalGpuNs / 1e6 > f.wallMs)
    notes.push(
      `kernel time (${(f.totalGpuNs / 1e6).toFixed(1)} ms) exceeds the run's wall time (${f.wallMs.toFixed(1)} ms): some ${sample}s overstate their kernels`,
    );
  // A cold run on lavapipe is mostly the driver compiling: say so, and that a second run is not.
  const d = f.driverCompile;
  if (d && f.wallMs > 0 && d.totalNs / 1e6 >= DRIVER_COMPILE_NOTE_SHARE * f.wallMs)
    notes.push(
      `${formatNs(d.totalNs)} of this run's ${formatMs(f.wallMs)} was the driver compiling ${plural(d.pipelines, "pipeline")} at ${d.pipelines === 1 ? "its" : "their"} first dispatch (the timeline's driver lane); a driver that keeps compiled shaders on disk (Mesa does) compiles little in the next run of the same program`,
    );
  if (f.timelineLimit !== null)
    notes.push(`timeline keeps the first ${f.timelineLimit} spans and dispatches; kernel samples are complete`);
  return notes;
}
