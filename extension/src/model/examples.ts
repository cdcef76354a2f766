// The example scripts the extension ships (its examples/ folder): what the "Open Example…" picker
// lists, and where a copy lands in the workspace without overwriting the person's files.

import * as path from "node:path";

export interface ExampleInfo {
  /** File name, e.g. "mlp_train.ts". */
  file: string;
  /** The first sentence of the file's opening comment. */
  description: string;
}

/** The example's own description: its leading `//` comment, first sentence, up to 160 chars. */
export function exampleDescription(source: string): string {
  const lines: string[] = [];
  for (const line of source.split("\n")) {
    const m = /^\s*\/\/\s?(.*)$/.exec(line);
    if (!m) break;
    lines.push(m[1]!.trim());
  }
  const text = lines.join(" ").trim();
  const sentence = /^(.*?[.:])(\s|$)/.exec(text)?.[1] ?? text;
  return sentence.length > 160 ? `${sentence.slice(0, 159)}…` : sentence;
}

/** Example files in a listing, scripts only, sorted by name. */
export function exampleFiles(names: readonly string[]): string[] {
  return names.filter((n) => /^[\w-]+\.(ts|mts|js|mjs)$/.test(n)).sort();
}

/**
 * Where to copy `file` inside `folder`: `examples/file`, or `examples/name-2.ts`, `-3`, … when
 * the person already has a file of that name (never overwrite their work).
 */
export function exampleDestination(
  folder: string,
  file: string,
  exists: (p: string) => boolean,
  join = path.join,
): string {
  const ext = path.extname(file);
  const base = file.slice(0, file.length - ext.length);
  for (let i = 1; ; i++) {
    const candidate = join(folder, "examples", i === 1 ? file : `${base}-${i}${ext}`);
    if (!exists(candidate)) return candidate;
  }
}
