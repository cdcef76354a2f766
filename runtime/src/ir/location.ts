// Finding the user's source line: the first stack frame that is not inside the runtime.
// User scripts run with --enable-source-maps (the CLI bundles them with esbuild). A formatted
// stack maps every frame through the source map, which costs tens of µs per op, and a profiled
// eager loop asks for a location per op; so a captured stack is read as V8's structured call
// sites, only the first user frame is mapped, and each mapped position is cached.

import { findSourceMap } from "node:module";
import type { SourceLocation } from "./types.js";

// Frames from these files are ours (source tree under tsx, or the built bundle) or Node's.
const INTERNAL = [
  /[\\/]runtime[\\/]src[\\/]/,
  /[\\/]dist[\\/]runtime\.mjs/,
  /^node:/,
  /[\\/]node_modules[\\/]/,
  /^internal[\\/]/,
];

// "at fn (file:///a/b.ts:12:5)", "at fn (C:\\a b\\c.ts:12:5)" or "at /a/b.ts:12:5"
const FRAME_IN_PARENS = /\(((?:file:\/\/)?[^()]+?):(\d+):(\d+)\)\s*$/;
const FRAME_BARE = /^at\s+((?:file:\/\/)?.+?):(\d+):(\d+)\s*$/;

/** A file:// URL as a path of `platform` ("file:///C:/a%20b/c.ts" is "C:\\a b\\c.ts" on Windows). */
export function toPath(file: string, platform: NodeJS.Platform = process.platform): string {
  if (!file.startsWith("file://")) return file;
  try {
    const url = new URL(file);
    const pathname = decodeURIComponent(url.pathname);
    if (platform !== "win32") return pathname;
    const local = /^\/[A-Za-z]:\//.test(pathname) ? pathname.slice(1) : pathname;
    const unc = url.hostname ? `//${url.hostname}${local}` : local;
    return unc.replace(/\//g, "\\");
  } catch {
    return file;
  }
}

const internalFiles = new Map<string, boolean>();
/** Cached per file: a profiled eager op walks several runtime frames to find the user's. */
const isInternal = (file: string): boolean => {
  let hit = internalFiles.get(file);
  if (hit === undefined) {
    hit = INTERNAL.some((re) => re.test(file));
    if (internalFiles.size < 4096) internalFiles.set(file, hit);
  }
  return hit;
};

interface CallSite {
  getFileName(): string | null | undefined;
  getLineNumber(): number | null;
  getColumnNumber(): number | null;
  getFunctionName(): string | null;
}

// The runtime's own frames (not Node's): the outermost one is where user code called into us
// (a jitted function's wrapper, `grad`'s driver); user frames inside it are the traced scopes.
const RUNTIME = INTERNAL.slice(0, 2);

/** A named user function on the stack, at the position of its call into the next frame in. */
export interface UserFrame {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Set on a named scope's frame (trace/scopeCalls.ts): which call of it, as it has no lines. */
  readonly call?: number;
  /** Where it was called: the position of the nearest user frame outside it, named or not. */
  readonly calledFrom?: SourceLocation;
}

/** V8 names an anonymous function after the profiled bundle's call-site marks around it
 *  (`__jsm$.donate_argnums` for `jit((p) => …, { donate_argnums })`; cli/callSiteMarks.ts): it
 *  is anonymous to the user. */
const MARK_NAME = /__js[a-z0-9]*\$/;

/** The call sites of a stack captured with `Error.captureStackTrace` and not yet read: V8 formats
 *  a stack lazily, with whichever `Error.prepareStackTrace` is set when it is first read. */
function callSitesOf(holder: { stack?: unknown }): readonly CallSite[] | string | undefined {
  const prev = Error.prepareStackTrace;
  Error.prepareStackTrace = (_err, sites) => sites;
  try {
    const stack = holder.stack;
    return Array.isArray(stack) ? (stack as CallSite[]) : typeof stack === "string" ? stack : undefined;
  } finally {
    Error.prepareStackTrace = prev;
  }
}

/** Per generated file, by line and column packed in one number (no key string per lookup); a
 *  column past the packing's range (a minified line) is keyed by its text. */
const mappedPositions = new Map<string, Map<number | string, SourceLocation | null>>();
const COLUMNS = 2 ** 21;

/** A generated position mapped to its source (as Node's own stack mapping does), cached: the same
 *  position gives the same object, so callers may key their own caches by it. */
function mapPosition(file: string, line: number, column: number): SourceLocation | null {
  let inFile = mappedPositions.get(file);
  if (!inFile) mappedPositions.set(file, (inFile = new Map()));
  const key = column < COLUMNS ? line * COLUMNS + column : `${line}:${column}`;
  const hit = inFile.get(key);
  if (hit !== undefined) return hit;
  let loc: SourceLocation | null = { file: toPath(file), line, column };
  let map: ReturnType<typeof findSourceMap> | undefined;
  try {
    map = findSourceMap(file);
  } catch {
    map = undefined;
  }
  if (map) {
    const entry = map.findEntry(line - 1, column - 1) as {
      originalSource?: string;
      originalLine?: number;
      originalColumn?: number;
    };
    if (entry.originalSource && entry.originalLine !== undefined && entry.originalColumn !== undefined) {
      loc = { file: toPath(entry.originalSource), line: entry.originalLine + 1, column: entry.originalColumn + 1 };
    }
  }
  // A user bundle may inline code from node_modules: internal once mapped.
  if (isInternal(loc.file)) loc = null;
  inFile.set(key, loc);
  return loc;
}

/** Where the last `userFrameOfCapture` found its frame: the index in the captured stack (-1:
 *  none, or the stack was a string). A module variable, not a field of a result object: the
 *  profiled eager path reads a location per op (see eagerCallSite.ts). */
let lastFoundAt = -1;
export function lastUserFrameIndex(): number {
  return lastFoundAt;
}

/** A stack frame's position in the user's source, or null for the runtime's own frames. */
function userLocationOfSite(site: CallSite): SourceLocation | null {
  const file = site.getFileName();
  // The patterns match a file:// URL as well as a path: no decoding for our own frames. The
  // runtime's frames are skipped on their file alone (each call-site getter costs a native call).
  if (!file || isInternal(file)) return null;
  const line = site.getLineNumber();
  const column = site.getColumnNumber();
  if (line === null || column === null) return null;
  return mapPosition(file, line, column);
}

/** The first user frame of a stack captured by `Error.captureStackTrace(holder, fn)`, read once. */
export function userFrameOfCapture(holder: { stack?: unknown }): SourceLocation | null {
  lastFoundAt = -1;
  const sites = callSitesOf(holder);
  if (typeof sites !== "object") return userFrameFromStack(sites);
  for (let i = 0; i < sites.length; i++) {
    const loc = userLocationOfSite(sites[i]!);
    if (loc) {
      lastFoundAt = i;
      return loc;
    }
  }
  return null;
}

/**
 * The named user functions a captured stack is inside, outermost first, counting only those
 * called from within the runtime (inside a jitted function, a `grad`, …): the frames that called
 * `jit(f)(x)` itself are the caller's context, not scopes of the traced program. Anonymous
 * functions are left out (they name nothing a person would look for).
 */
export function userFramesOfCapture(holder: { stack?: unknown }): UserFrame[] {
  const sites = callSitesOf(holder);
  if (typeof sites !== "object") return [];
  let outermostRuntime = -1;
  sites.forEach((site, i) => {
    const file = site.getFileName();
    if (file && RUNTIME.some((re) => re.test(file))) outermostRuntime = i;
  });
  const frames: UserFrame[] = [];
  for (let i = 0; i < outermostRuntime; i++) {
    const site = sites[i]!;
    const file = site.getFileName();
    const line = site.getLineNumber();
    const column = site.getColumnNumber();
    const name = site.getFunctionName();
    if (!file || !name || line === null || column === null || isInternal(file) || MARK_NAME.test(name)) continue;
    const loc = mapPosition(file, line, column);
    if (!loc) continue;
    const calledFrom = callerPosition(sites, i + 1, outermostRuntime);
    frames.push({ name, file: loc.file, line: loc.line, column: loc.column, ...(calledFrom ? { calledFrom } : {}) });
  }
  return frames.reverse();
}

/** The position of the first user frame in sites[from..to), named or not (an arrow passed to
 *  forEach or named_scope calls the function as much as a named caller does). */
function callerPosition(sites: readonly CallSite[], from: number, to: number): SourceLocation | null {
  for (let k = from; k < to; k++) {
    const site = sites[k]!;
    const file = site.getFileName();
    if (!file || isInternal(file)) continue;
    const line = site.getLineNumber();
    const column = site.getColumnNumber();
    if (line === null || column === null) continue;
    const loc = mapPosition(file, line, column);
    if (loc) return loc;
  }
  return null;
}

/** Parses a V8 stack and returns the first frame outside the runtime, or null. */
export function userFrameFromStack(stack: string | undefined): SourceLocation | null {
  if (!stack) return null;
  for (const raw of stack.split("\n").slice(1)) {
    const line = raw.trim();
    const m = FRAME_IN_PARENS.exec(line) ?? FRAME_BARE.exec(line);
    if (!m) continue;
    const file = toPath(m[1]!);
    if (isInternal(file)) continue;
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
  return userFrameOfCapture(holder);
}

/** The user frames on the caller's stack, innermost first, at most `max`: where the user's
 *  code was, and the calls that led there. One stack capture, each position mapped once. */
export function captureUserPath(max: number): SourceLocation[] {
  const holder: { stack?: string } = {};
  const prevLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  Error.captureStackTrace(holder, captureUserPath);
  Error.stackTraceLimit = prevLimit;
  const sites = callSitesOf(holder);
  if (typeof sites !== "object") return [];
  const path: SourceLocation[] = [];
  for (const site of sites) {
    if (path.length >= max) break;
    const loc = userLocationOfSite(site);
    if (loc) path.push(loc);
  }
  return path;
}
