// The names the user gave a function's parameters, where bundling renamed them. esbuild renames
// a parameter that shadows a name of the module's top level (`jit((p, state) => …)` beside
// `let p` and `let state` becomes `(p2, state2) =>`), and the graph labelled the user's inputs
// p2.w1 and state2[1]. The bundle's source map keeps each renamed identifier's original name;
// the CLI's child names its bundle in JITSCOPE_BUNDLE, and a function's parameters are looked up
// there by where the function's text sits in the bundle. Without a bundle (a script run directly,
// the tests) nothing was renamed and nothing changes.

import { readFileSync } from "node:fs";
import { findSourceMap } from "node:module";
import { pathToFileURL } from "node:url";

interface Bundle {
  readonly text: string;
  /** Offset of each line's first character. */
  readonly lineStarts: readonly number[];
  readonly map: ReturnType<typeof findSourceMap>;
}

let loaded: Bundle | null | undefined;

function bundle(): Bundle | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  const path = typeof process !== "undefined" ? process.env.JITSCOPE_BUNDLE : undefined;
  if (!path) return loaded;
  try {
    const map = findSourceMap(path) ?? findSourceMap(pathToFileURL(path).href);
    if (!map) return loaded;
    const text = readFileSync(path, "utf8");
    const lineStarts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
    loaded = { text, lineStarts, map };
  } catch {
    loaded = null;
  }
  return loaded;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The original name of the identifier starting at `offset` in the bundle, if the map has one. */
function nameAt(b: Bundle, offset: number): string | null {
  let lo = 0;
  let hi = b.lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (b.lineStarts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  const column = offset - b.lineStarts[lo]!;
  const entry = b.map!.findEntry(lo, column) as { generatedLine?: number; generatedColumn?: number; name?: string };
  if (entry.generatedLine !== lo || entry.generatedColumn !== column) return null;
  return entry.name && IDENTIFIER.test(entry.name) ? entry.name : null;
}

/** Offsets in `source` of each name in `params` (null for those not simple names), in order. */
function paramOffsets(source: string, params: readonly (string | null)[]): (number | null)[] {
  const open = source.indexOf("(");
  const single = /^\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(source);
  let cursor = single ? source.indexOf(single[1]!) : open + 1;
  return params.map((p) => {
    if (p === null || cursor < 0) return null;
    const re = new RegExp(`(?<![\\w$])${p.replace(/\$/g, "\\$")}(?![\\w$])`, "g");
    re.lastIndex = cursor;
    const m = re.exec(source);
    if (!m) return null;
    cursor = m.index + p.length;
    return m.index;
  });
}

/**
 * `params` (a function's simple parameter names as `source`, its text, declares them; null for
 * a pattern) with each one bundling renamed given back its original name. The function's text
 * must sit in the bundle: where it sits more than once, every place must agree.
 */
export function originalParamNames(source: string, params: readonly (string | null)[]): (string | null)[] {
  const b = bundle();
  if (!b || source.length === 0) return [...params];
  const offsets = paramOffsets(source, params);
  let result: (string | null)[] | null = null;
  for (let at = b.text.indexOf(source); at >= 0; at = b.text.indexOf(source, at + 1)) {
    const names = params.map((p, i) => {
      const o = offsets[i];
      return p === null || o === null || o === undefined ? p : (nameAt(b, at + o) ?? p);
    });
    if (result && names.some((n, i) => n !== result![i])) return [...params];
    result = names;
  }
  return result ?? [...params];
}
