// The name of a jitted function when the function itself has none: `const accuracy = jit((…) =>
// …)` passes an anonymous arrow, so reports would say "anonymous". The jit call's own source line
// usually says what the person called it: the binding or property it is assigned to.

import { readFileSync } from "node:fs";
import type { SourceLocation } from "@jitscope/contract";

const linesByFile = new Map<string, readonly string[] | null>();

function sourceLines(file: string): readonly string[] | null {
  let lines = linesByFile.get(file);
  if (lines === undefined) {
    try {
      lines = readFileSync(file, "utf8").split("\n");
    } catch {
      lines = null; // not on disk (eval, a bundle without sources): no name from it
    }
    linesByFile.set(file, lines);
  }
  return lines;
}

// What stands before `jit(` when its result is bound to a name, innermost last:
// `const accuracy = `, `let f: Fn = `, `export const step = `, `obj.step = `, `step: ` (a property).
// The type annotation may hold "=>"; the binding's "=" is the last one and not part of "==" etc.
const BINDING = /(?:^|[^\w$])(?:(?:export\s+)?(?:const|let|var)\s+)?([A-Za-z_$][\w$]*)\s*(?::.*?)?(?<![=!<>])=\s*$/;
const PROPERTY = /(?:^|[{,\s])([A-Za-z_$][\w$]*)\s*:\s*$/;

/**
 * The name the text before a `jit(` call binds its result to, or null. `prefix` is the source
 * line up to the call (the location's column).
 */
export function bindingNameBefore(prefix: string): string | null {
  const text = prefix.replace(/\bjit\s*$/, "").replace(/\s+$/, " ");
  const m = BINDING.exec(text) ?? PROPERTY.exec(text);
  return m ? m[1]! : null;
}

/** The name a jit call's result is bound to at `loc` in the user's source, or null. */
export function jitNameAt(loc: SourceLocation | null): string | null {
  if (!loc) return null;
  const line = sourceLines(loc.file)?.[loc.line - 1];
  if (line === undefined) return null;
  const at = line.indexOf("jit(", Math.max(0, loc.column - 1));
  const prefix = line.slice(0, at >= 0 ? at : Math.max(0, loc.column - 1));
  return bindingNameBefore(prefix);
}
