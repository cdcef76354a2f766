// Names from the user's code for a jitted function's inputs and outputs: the argument paths of
// each array leaf (`params.w1`, `opt.m[2]`, `x`), read from the function's own parameter list,
// and `result…` paths for its outputs. The graph labels its input and output nodes with them.

import { originalParamNames } from "../ir/renamedParams.js";
import { keyText, leafKeyPaths, type TreeDef } from "./pytree.js";
import type { CallSignature } from "./jitSignature.js";

/** The declared parameter names of `f` (`arg0`… where a parameter is destructured or unreadable),
 *  as the user wrote them where bundling renamed them (ir/renamedParams.ts). */
export function paramNames(f: (...args: never[]) => unknown, count: number): string[] {
  const simple = declaredParams(f).map((p) => (p && /^[A-Za-z_$][\w$]*$/.test(p) ? p : null));
  const list = originalParamNames(sourceOf(f), simple);
  return Array.from({ length: count }, (_, i) => list[i] ?? `arg${i}`);
}

function sourceOf(f: (...args: never[]) => unknown): string {
  try {
    return Function.prototype.toString.call(f);
  } catch {
    return "";
  }
}

/** `f`'s parameter list as written, one entry per parameter: a name, or the text of a
 *  destructuring pattern (defaults, types and `...` removed). */
export function declaredParams(f: (...args: never[]) => unknown): string[] {
  const src = sourceOf(f);
  // `function name(a, b)`, `(a, b) =>`, `async (a) =>`, `a =>`, methods `name(a, b) {`.
  const single = /^\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(src);
  const open = src.indexOf("(");
  const list = single
    ? [single[1]!]
    : open >= 0
      ? splitParams(src, open + 1).map((p) =>
          p
            .trim()
            .replace(/[:=][^]*$/, "")
            .replace(/^\.\.\./, "")
            .trim(),
        )
      : [];
  return list;
}

/** The top-level comma-separated parameters after `start`, up to the matching ")". */
function splitParams(src: string, start: number): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (let i = start; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === "(" || ch === "{" || ch === "[") depth++;
    else if (ch === "}" || ch === "]") depth--;
    else if (ch === ")") {
      if (depth === 0) break;
      depth--;
    } else if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
      continue;
    }
    cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out;
}

/** The path of every leaf of `t` (arrays and numbers), in flatten's order, as JS writes it:
 *  `root.w[0]`, `root["a b"]`. */
export function leafPaths(t: TreeDef, root: string): string[] {
  return leafKeyPaths(t).map((keys) => root + keys.map(keyText).join(""));
}

/** Argument paths of the traced (array) leaves of a call, in the program's input order. */
export function inputPaths(f: (...args: never[]) => unknown, sig: CallSignature): string[] {
  const names = paramNames(f, sig.args.length);
  const out: string[] = [];
  sig.args.forEach((a, i) => {
    if (a.static) return;
    const paths = leafPaths(a.treedef, names[i]!);
    a.numbers.forEach((n, j) => {
      if (n === null) out.push(paths[j] ?? `${names[i]}#${j}`);
    });
  });
  return out;
}

/** Input and output nodes of each pass graph (`in${i}`, `out${i}`) take those names. */
export function labelGraphEnds(
  graphs: readonly { nodes: { id: string; kind: string; label: string }[] }[],
  inputs: readonly string[],
  outputs: readonly string[],
): void {
  for (const g of graphs) {
    for (const n of g.nodes) {
      const m = /^(in|out)(\d+)$/.exec(n.id);
      if (!m) continue;
      const name = (m[1] === "in" ? inputs : outputs)[Number(m[2])];
      if (name && (n.kind === "input" || n.kind === "output")) n.label = name;
    }
  }
}
