// A kernel's WGSL as the user reads it: each line that computes one of their ops ends in a
// comment naming the op and their line (`// exp · mlp.ts:25`), as Compiler Explorer pairs source
// with assembly. One text for the editor's WGSL document and the panel's, with where each
// `mlp.ts:25` sits so the editor can link it to the source.

import type { KernelReport, SourceLocation } from "./report.js";

export interface WgslSourceLink {
  /** 1-based line of the annotated text. */
  line: number;
  /** 0-based columns of `file.ts:25` on that line, end exclusive. */
  start: number;
  end: number;
  location: SourceLocation;
}

const baseName = (file: string): string => file.slice(Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\")) + 1);

/** Comments start at one column, past the longest annotated line up to this width. */
const COMMENT_COLUMN_MAX = 64;

export function wgslWithSources(k: Pick<KernelReport, "wgsl" | "wgslSources">): {
  text: string;
  links: WgslSourceLink[];
} {
  const lines = k.wgsl.split("\n");
  const marks = (k.wgslSources ?? [])
    .flatMap((s) => s.lines.map((line) => ({ line, s })))
    .sort((a, b) => a.line - b.line);
  const width = Math.min(
    COMMENT_COLUMN_MAX,
    marks.reduce((w, m) => Math.max(w, (lines[m.line - 1] ?? "").trimEnd().length), 0),
  );
  const links: WgslSourceLink[] = [];
  for (const { line, s } of marks) {
    const code = (lines[line - 1] ?? "").trimEnd();
    if (code.length === 0) continue;
    const lead = `${code.padEnd(width)}  // ${s.op} · `;
    const where = `${baseName(s.location.file)}:${s.location.line}`;
    lines[line - 1] = lead + where;
    links.push({ line, start: lead.length, end: lead.length + where.length, location: s.location });
  }
  return { text: lines.join("\n"), links };
}

/** The WGSL lines (1-based) that compute ops called at `file:line`, ascending. */
export function wgslLinesOf(k: Pick<KernelReport, "wgslSources">, file: string, line: number): number[] {
  return (k.wgslSources ?? [])
    .filter((s) => s.location.file === file && s.location.line === line)
    .flatMap((s) => s.lines)
    .sort((a, b) => a - b);
}
