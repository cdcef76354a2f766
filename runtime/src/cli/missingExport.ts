// `import { debug } from "jitscope"` of a name the runtime does not export fails when Node links
// the script, before any of it runs: a SyntaxError whose stack holds no line of the script, so
// the report said "unknown location". This finds the import in the script's source, names what
// the runtime exports, and the export most likely meant.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { SourceLocation } from "@jitscope/contract";
import { likelyMeant } from "../apiOptions.js";

const MISSING = /The requested module '([^']+)' does not provide an export named '([^']+)'/;

export interface MissingExport {
  readonly hint: string;
  /** Where the script imports the name (null when its source cannot be read). */
  readonly location: SourceLocation | null;
}

/** For the link error of a name the runtime does not export: what to say, and where. */
export function missingExportOf(err: unknown, script: string | undefined): MissingExport | null {
  if (!(err instanceof SyntaxError)) return null;
  const m = MISSING.exec(err.message);
  if (!m || !/[\\/]runtime\.mjs$/.test(m[1]!)) return null;
  const name = m[2]!;
  const exported = runtimeExports(m[1]!);
  const guess = exported.length > 0 ? likelyMeant(name, exported) : undefined;
  const listed = exported.length > 0 ? ` (it exports ${exported.join(", ")})` : "";
  return {
    hint: `"jitscope" has no export \`${name}\`${guess ? `: did you mean \`${guess}\`?` : ""}${listed}`,
    location: script ? importSite(script, name) : null,
  };
}

/** The public names of dist/runtime.mjs, from the export list esbuild writes at its end. */
export function runtimeExports(moduleUrl: string): string[] {
  let text: string;
  try {
    text = readFileSync(moduleUrl.startsWith("file:") ? fileURLToPath(moduleUrl) : moduleUrl, "utf8");
  } catch {
    return [];
  }
  const block = /export\s*\{([^}]*)\};?\s*(?:\/\/[^\n]*\s*)*$/.exec(text);
  if (!block) return [];
  return block[1]!
    .split(",")
    .map((s) =>
      s
        .trim()
        .split(/\s+as\s+/)
        .pop()!,
    )
    .filter((n) => n !== "" && !n.startsWith("__"))
    .sort();
}

/** The line and column of `name` in the script's `import { … } from "jitscope"`. */
export function importSite(script: string, name: string): SourceLocation | null {
  let source: string;
  try {
    source = readFileSync(script, "utf8");
  } catch {
    return null;
  }
  const imports = /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*["']jitscope["']/g;
  for (let m = imports.exec(source); m; m = imports.exec(source)) {
    const escaped = name.replace(/[$]/g, "\\$&");
    const inner = new RegExp(`(^|[\\s,{])(${escaped})(?=\\s*(,|as\\b|$))`, "m").exec(m[1]!);
    if (!inner) continue;
    const offset = m.index + m[0].indexOf("{") + 1 + inner.index + inner[1]!.length;
    const before = source.slice(0, offset).split("\n");
    return { file: script, line: before.length, column: before[before.length - 1]!.length + 1 };
  }
  return null;
}
