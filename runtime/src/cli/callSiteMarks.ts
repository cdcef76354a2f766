// Marks every call in the user's code, in the bundle a profile runs, so that a profiled eager op
// knows its line without capturing the stack (ir/markedSites.ts says how the marks work and why).
// The bundle is plain JS once esbuild has built it, whatever the user wrote it in, so it is
// parsed (acorn) and edited in place: `f(a, b)` becomes
//   __jsr$(__jss$(), f(a, __jsm$(id, b)))      and a call with no arguments f(...__jsm0$(id)),
// with id naming the call's position in the user's source as V8 reports it in a stack (the
// callee's name, a method's property, or else the parenthesis), found through the bundle's source
// map. Only calls that map into the user's files are marked: a library's calls into the runtime
// keep the user call that entered the library, as a stack's first user frame does. The edits
// never add a line, so the source map stays exact by shifting columns after each insertion.

import { resolve } from "node:path";
import { parse, type Node } from "acorn";
import { decode, encode, type SourceMapMappings } from "@jridgewell/sourcemap-codec";

export interface RawSourceMap {
  version: number;
  sources: string[];
  names: string[];
  mappings: string;
  sourceRoot?: string;
  sourcesContent?: (string | null)[];
}

/** The names the edits use: imported from the runtime under these, so none can clash (checked). */
const NAMES = { sites: "__jsx$", mark: "__jsm$", mark0: "__jsm0$", saved: "__jss$", restore: "__jsr$" };

interface Edit {
  readonly at: number;
  readonly text: string;
  /** Order among edits at one position: closers (all ")", negative) before openers. */
  readonly order: number;
}

type AnyNode = Node & Record<string, unknown>;

/** Line start offsets of `code`. */
function lineStarts(code: string): number[] {
  const starts = [0];
  for (let i = 0; i < code.length; i++) if (code.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The source position a generated one maps to, as Node's `findEntry` finds it: the closest
 *  mapping at or before it. */
function originalOf(
  mappings: SourceMapMappings,
  line: number,
  column: number,
): { source: number; line: number; column: number } | null {
  for (let l = line; l >= 0; l--) {
    const segs = mappings[l];
    if (!segs) continue;
    for (let i = segs.length - 1; i >= 0; i--) {
      const s = segs[i]!;
      if (l === line && s[0] > column) continue;
      return s.length >= 4 ? { source: s[1]!, line: s[2]!, column: s[3]! } : null;
    }
  }
  return null;
}

/** Where V8 puts a call in a stack trace: a plain callee's name, a method's property name, else
 *  the parenthesis that opens the arguments. */
function reportedPosition(code: string, call: AnyNode): number {
  const callee = call.callee as AnyNode;
  if (callee.type === "Identifier") return callee.start;
  if (callee.type === "MemberExpression" && !callee.computed && !call.optional && !callee.optional)
    return (callee.property as AnyNode).start;
  return openParenAfter(code, callee.end);
}

/** The first `(` at or after `from` outside comments (past the callee's own closing parens). */
function openParenAfter(code: string, from: number): number {
  for (let i = from; i < code.length; i++) {
    const c = code[i];
    if (c === "(") return i;
    if (c === "/" && code[i + 1] === "*") i = code.indexOf("*/", i + 2) + 1;
    else if (c === "/" && code[i + 1] === "/") i = code.indexOf("\n", i);
    if (i <= 0) break;
  }
  return from;
}

export interface MarkedBundle {
  readonly code: string;
  readonly map: RawSourceMap;
  readonly marked: number;
}

/**
 * Marks the calls of a bundle that map into the user's files. `bundleDir` resolves the map's
 * sources; `runtimeHref` is the runtime the marks are imported from. Null when the bundle cannot
 * be marked (it does not parse as a module, or already uses one of the names): it then runs as
 * it is, and eager ops find their lines from the stack.
 */
export function markCallSites(
  code: string,
  map: RawSourceMap,
  bundleDir: string,
  runtimeHref: string,
): MarkedBundle | null {
  if (Object.values(NAMES).some((n) => code.includes(n))) return null;
  let program: Node;
  try {
    program = parse(code, { ecmaVersion: "latest", sourceType: "module", allowHashBang: true });
  } catch {
    return null;
  }
  const mappings = decode(map.mappings);
  const root = resolve(bundleDir, map.sourceRoot ?? "");
  const sourcePaths = map.sources.map((s) => resolve(root, s));
  const userSource = sourcePaths.map((p) => !/[\\/]node_modules[\\/]/.test(p) && !p.includes("<"));
  const starts = lineStarts(code);

  const files: string[] = [];
  const fileIndex = new Map<number, number>();
  const flat: number[] = [];
  const edits: Edit[] = [];

  // An optional chain can only be wrapped whole (wrapping one of its links would break the
  // short-circuit): its top call is wrapped, a call inside it keeps its mark but not the restore.
  type Role = "none" | "top" | "link";
  const visit = (node: AnyNode, depth: number, role: Role): void => {
    if (node.type === "CallExpression" && (node.callee as AnyNode).type !== "Super")
      markCall(node, depth, role !== "link");
    const chained = role !== "none" && (node.type === "CallExpression" || node.type === "MemberExpression");
    for (const key of Object.keys(node)) {
      const childRole: Role =
        node.type === "ChainExpression" ? "top" : chained && (key === "callee" || key === "object") ? "link" : "none";
      const v = node[key];
      const children = Array.isArray(v) ? v : [v];
      for (const c of children)
        if (c && typeof c === "object" && typeof (c as AnyNode).type === "string")
          visit(c as AnyNode, depth + 1, childRole);
    }
  };

  const markCall = (call: AnyNode, depth: number, wrap: boolean): void => {
    const at = reportedPosition(code, call);
    const line = lineOf(starts, at);
    const orig = originalOf(mappings, line, at - starts[line]!);
    if (!orig || !userSource[orig.source]) return;
    let f = fileIndex.get(orig.source);
    if (f === undefined) {
      f = files.push(sourcePaths[orig.source]!) - 1;
      fileIndex.set(orig.source, f);
    }
    flat.push(f, orig.line + 1, orig.column + 1);
    const id = flat.length / 3;
    // Openers: a call's restore (2·depth) before its mark (2·depth + 1) before any deeper call's
    // (a call that is the last argument of another starts where that one's mark does).
    const args = call.arguments as AnyNode[];
    const last = args[args.length - 1];
    if (last) {
      const arg = last.type === "SpreadElement" ? (last.argument as AnyNode) : last;
      edits.push({ at: arg.start, text: `${NAMES.mark}(${id}, `, order: 2 * depth + 1 });
      edits.push({ at: arg.end, text: ")", order: -1 });
    } else {
      edits.push({ at: call.end - 1, text: `...${NAMES.mark0}(${id})`, order: 2 * depth + 1 });
    }
    if (wrap) {
      edits.push({ at: call.start, text: `${NAMES.restore}(${NAMES.saved}(), `, order: 2 * depth });
      edits.push({ at: call.end, text: ")", order: -1 });
    }
  };
  visit(program as AnyNode, 0, "none");
  if (flat.length === 0) return null;

  edits.sort((a, b) => a.at - b.at || a.order - b.order);
  const shifted = shiftMappings(mappings, edits, starts);
  let out = "";
  let pos = 0;
  for (const e of edits) {
    out += code.slice(pos, e.at) + e.text;
    pos = e.at;
  }
  out += code.slice(pos);

  // The prologue goes on a line of its own, first (after a hashbang): its import is hoisted
  // anyway, and the sites are registered before any of the bundle's code runs.
  const prologue =
    `import { __jitscopeSites as ${NAMES.sites}, __jitscopeMark as ${NAMES.mark}, __jitscopeMark0 as ${NAMES.mark0}, ` +
    `__jitscopeSaved as ${NAMES.saved}, __jitscopeRestore as ${NAMES.restore} } from ${JSON.stringify(runtimeHref)}; ` +
    `${NAMES.sites}(${JSON.stringify(files)}, [${flat.join(",")}]);`;
  const afterHashBang = out.startsWith("#!") ? out.indexOf("\n") + 1 : 0;
  const atLine = afterHashBang === 0 ? 0 : 1;
  out = `${out.slice(0, afterHashBang)}${prologue}\n${out.slice(afterHashBang)}`;
  shifted.splice(atLine, 0, []);
  return { code: out, map: { ...map, mappings: encode(shifted) }, marked: flat.length / 3 };
}

/** The mappings once the edits are made: every segment moves right by what was inserted before it
 *  on its line (an insertion at a segment's own column goes before it). */
function shiftMappings(
  mappings: SourceMapMappings,
  edits: readonly Edit[],
  starts: readonly number[],
): SourceMapMappings {
  const byLine = new Map<number, { col: number; len: number }[]>();
  for (const e of edits) {
    const line = lineOf(starts, e.at);
    let list = byLine.get(line);
    if (!list) byLine.set(line, (list = []));
    list.push({ col: e.at - starts[line]!, len: e.text.length });
  }
  return mappings.map((segs, line) => {
    const ins = byLine.get(line);
    if (!ins) return segs;
    return segs.map((s) => {
      let shift = 0;
      for (const i of ins) if (i.col <= s[0]) shift += i.len;
      const moved = [...s] as typeof s;
      moved[0] = s[0] + shift;
      return moved;
    });
  });
}
