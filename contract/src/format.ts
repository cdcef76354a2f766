// How every number, size, place and array type reads, wherever it is shown (CLI, hover, CodeLens,
// panel, HTML page): one definition per quantity, short, unit-bearing and locale-free, so tests
// and screenshots read the same everywhere. Sizes are powers of two (KiB, MiB, GiB).

import type { Hint, HintKind } from "./advice.js";
import type { Compilation } from "./compilation.js";
import type { Report, SourceLocation } from "./report.js";

/** Nanoseconds as "812 ns", "38.2 µs", "1.25 ms", "2.40 s". */
export function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return "–";
  // The unit is chosen after rounding to three digits, so 999,970 ns reads "1.00 ms", not "1000 µs".
  const a = Math.abs(Number(ns.toPrecision(3)));
  if (a < 1e3) return `${Math.round(ns)} ns`;
  if (a < 1e6) return `${trim(ns / 1e3)} µs`;
  if (a < 1e9) return `${trim(ns / 1e6)} ms`;
  return `${trim(ns / 1e9)} s`;
}

/** Milliseconds, read as `formatNs` reads them. */
export function formatMs(ms: number): string {
  return formatNs(ms * 1e6);
}

/** Three significant digits, at most two decimals. */
function trim(raw: number): string {
  const v = Math.abs(raw) < 1000 ? Number(raw.toPrecision(3)) : raw; // 99.96 reads "100", not "100.0"
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/** What a hint's saving is counted per: a call of its jitted function, or the whole run (loops
 *  of eager code and readbacks are not inside a call). */
export function hintSavingUnit(kind: HintKind): "call" | "run" {
  return kind === "dispatch-bound" || kind === "host-sync-in-loop" ? "run" : "call";
}

/** A hint's estimated saving, the one way every view writes it: "−1.25 ms per call". */
export function formatSaving(h: Pick<Hint, "kind" | "estimatedSavingMs">): string {
  return `−${formatMs(h.estimatedSavingMs)} per ${hintSavingUnit(h.kind)}`;
}

/** A hint kind as a heading: "dense lookup", "host sync in loop". */
export function hintKindTitle(kind: HintKind): string {
  return kind.replace(/-/g, " ");
}

/** Bytes as "512 B", "1.50 KiB", "12.0 MiB", "2.00 GiB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${trim(bytes / 1024)} KiB`;
  if (bytes < 1024 ** 3) return `${trim(bytes / 1024 ** 2)} MiB`;
  return `${trim(bytes / 1024 ** 3)} GiB`;
}

/** A rate with its unit: "12.3 GB/s", "0.84 GFLOP/s"; "<0.01 GB/s" for a rate above zero that
 *  two decimals would write as 0.00 (a kernel moving 4 bytes is not one moving none). */
export function formatRate(v: number, unit: string): string {
  if (!Number.isFinite(v)) return "–";
  return v > 0 && v < 0.005 ? `<0.01 ${unit}` : `${trim(v)} ${unit}`;
}

/** A 0..1 share as a percentage: "42%", "3.1%", "<0.1%". */
export function formatShare(share: number): string {
  const p = share * 100;
  if (p <= 0) return "0%";
  if (p < 0.1) return "<0.1%";
  if (p < 10) return `${p.toFixed(1)}%`;
  return `${Math.round(p)}%`;
}

/** A speedup factor: "4.2×". */
export function formatSpeedup(x: number): string {
  if (!Number.isFinite(x) || x <= 0) return "–";
  return `${x < 10 ? x.toFixed(1) : Math.round(x)}×`;
}

/** "1 kernel", "3 kernels". */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** The file name without its folders (either separator). */
export function baseName(file: string): string {
  const i = Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\"));
  return i >= 0 ? file.slice(i + 1) : file;
}

/** A place in full, as error messages and logs give it: "/a/b/model.ts:12:5". */
export function formatLocation(l: SourceLocation | null): string {
  return l ? `${l.file}:${l.line}:${l.column}` : "unknown location";
}

/** A place by its file's name only, as views with little room give it: "model.ts:12:5". */
export function formatShortLocation(l: SourceLocation | null): string {
  return l ? `${baseName(l.file)}:${l.line}:${l.column}` : "no location";
}

/** A line by its file's name: "model.ts:12" (kernel tables, hovers listing lines). */
export function formatLineRef(file: string, line: number): string {
  return `${baseName(file)}:${line}`;
}

/** A shape: "[128,784]". */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}

/** An array type: "float32[128,784]" (or "f32[128,784]" with the IR's short dtype names). */
export function formatAval(dtype: string, shape: readonly number[]): string {
  return `${dtype}${formatShape(shape)}`;
}

/** "46.2 s driver compile (146 pipelines)": the driver's compiles at first dispatch
 *  (Report.driverCompile), or null where none was timed. */
export function driverCompileText(r: Pick<Report, "driverCompile">): string | null {
  const d = r.driverCompile;
  return d ? `${formatNs(d.totalNs)} driver compile (${plural(d.pipelines, "pipeline")})` : null;
}

/** A compilation's cost as "999 ms", or "999 ms + 51.5 s driver compile" where the driver's
 *  compile of its pipelines was timed (Compilation.driverCompileMs). */
export function compileText(c: Pick<Compilation, "compileMs" | "driverCompileMs">): string {
  const d = c.driverCompileMs;
  return d ? `${formatMs(c.compileMs.total)} + ${formatMs(d)} driver compile` : formatMs(c.compileMs.total);
}
