// Number and location formatting shared by every view: short, unit-bearing, locale-free so
// tests and screenshots read the same everywhere.

import type { SourceLocation } from "../../../runtime/src/profile/report.js";

/** Nanoseconds as "812 ns", "38.2 µs", "1.25 ms", "2.40 s". */
export function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return "–";
  const a = Math.abs(ns);
  if (a < 1e3) return `${Math.round(ns)} ns`;
  if (a < 1e6) return `${trim(ns / 1e3)} µs`;
  if (a < 1e9) return `${trim(ns / 1e6)} ms`;
  return `${trim(ns / 1e9)} s`;
}

export function formatMs(ms: number): string {
  return formatNs(ms * 1e6);
}

/** Three significant digits, at most two decimals. */
function trim(v: number): string {
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${trim(bytes / 1024)} KiB`;
  if (bytes < 1024 ** 3) return `${trim(bytes / 1024 ** 2)} MiB`;
  return `${trim(bytes / 1024 ** 3)} GiB`;
}

export function formatRate(v: number, unit: string): string {
  return Number.isFinite(v) ? `${trim(v)} ${unit}` : "–";
}

export function baseName(file: string): string {
  const i = Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\"));
  return i >= 0 ? file.slice(i + 1) : file;
}

export function formatLocation(l: SourceLocation | null): string {
  return l ? `${baseName(l.file)}:${l.line}:${l.column}` : "no location";
}

export function formatShape(dtype: string, shape: readonly number[]): string {
  return `${dtype}[${shape.join(",")}]`;
}
