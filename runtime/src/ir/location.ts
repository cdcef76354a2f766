// Finding the user's source line: the first stack frame that is not inside the runtime.
// User scripts run with --enable-source-maps (the CLI bundles them with esbuild), so V8 already
// maps frames back to the user's .ts; we only have to skip our own frames.

import type { SourceLocation } from "./types.js";

// Frames from these files are ours (source tree under tsx, or the built bundle) or Node's.
const INTERNAL = [/[\\/]runtime[\\/]src[\\/]/, /[\\/]dist[\\/]runtime\.mjs/, /^node:/, /[\\/]node_modules[\\/]/, /^internal[\\/]/];

// "    at fn (file:///a/b.ts:12:5)" or "    at /a/b.ts:12:5"
const FRAME = /\(?((?:file:\/\/)?[^()\s]+?):(\d+):(\d+)\)?\s*$/;

function toPath(file: string): string {
  if (!file.startsWith("file://")) return file;
  try {
    return decodeURIComponent(new URL(file).pathname);
  } catch {
    return file;
  }
}

/** Parses a V8 stack and returns the first frame outside the runtime, or null. */
export function userFrameFromStack(stack: string | undefined): SourceLocation | null {
  if (!stack) return null;
  for (const raw of stack.split("\n").slice(1)) {
    const m = FRAME.exec(raw.trim());
    if (!m) continue;
    const file = toPath(m[1]!);
    if (INTERNAL.some((re) => re.test(file))) continue;
    return { file, line: Number(m[2]), column: Number(m[3]) };
  }
  return null;
}

/** The caller's location in user code. Costs one stack capture (a few µs). */
export function captureUserLocation(): SourceLocation | null {
  const holder: { stack?: string } = {};
  const prevLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  Error.captureStackTrace(holder, captureUserLocation);
  Error.stackTraceLimit = prevLimit;
  return userFrameFromStack(holder.stack);
}

export function formatLocation(loc: SourceLocation | null): string {
  return loc ? `${loc.file}:${loc.line}:${loc.column}` : "unknown location";
}
