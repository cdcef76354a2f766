// After a native crash (Dawn abort, V8 out of memory) Node prints a JavaScript stack of the
// *bundle* (no source maps at that point). We map its frames back to the user's file through the
// bundle's inline source map, to say on which line of theirs the crash happened.

import { readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import type { SourceLocation } from "@jitscope/contract";
import { dirname, isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const INLINE_MAP = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;

/** The first frame in `stderr` that points into `bundle`, mapped to the user's source. */
export function crashLocation(stderr: string, bundle: string): SourceLocation | null {
  const frame = new RegExp(`${escapeRegExp(bundle)}:(\\d+):(\\d+)`).exec(stderr);
  if (!frame) return null;
  let map: SourceMap;
  try {
    const m = INLINE_MAP.exec(readFileSync(bundle, "utf8"));
    if (!m) return null;
    map = new SourceMap(JSON.parse(Buffer.from(m[1]!, "base64").toString("utf8")));
  } catch {
    return null;
  }
  const entry = map.findEntry(Number(frame[1]) - 1, Number(frame[2]) - 1) as {
    originalSource?: string;
    originalLine?: number;
    originalColumn?: number;
  };
  if (!entry.originalSource || entry.originalLine === undefined) return null;
  const src = entry.originalSource;
  const file = src.startsWith("file:") ? fileURLToPath(src) : isAbsolute(src) ? src : resolve(dirname(bundle), src);
  return { file, line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
