// The `jitscope:` virtual documents: IR after a pass and kernel WGSL. Paths name what they show
// (the editor tab shows the last segment), and parse back to what to look up.

import type { KernelReport, Report, SourceLocation } from "@jitscope/contract";
import { wgslLinesOf, wgslWithSources } from "@jitscope/contract";

export const VIRTUAL_SCHEME = "jitscope";
/** The language id package.json contributes for `.wgsl` (grammar: media/syntaxes/wgsl.tmLanguage.json). */
export const WGSL_LANGUAGE = "wgsl";

export type VirtualDoc = { kind: "ir"; compilation: string; pass: string } | { kind: "wgsl"; kernel: string };

const safe = (s: string) => s.replace(/[^\w.-]+/g, "_");

/** e.g. `/ir/c1/fuse/step after fuse.jaxpr` (the tab reads "step after fuse.jaxpr"). */
export function virtualDocPath(report: Report, doc: VirtualDoc): string {
  if (doc.kind === "ir") {
    const comp = report.compilations.find((c) => c.id === doc.compilation);
    const title = `${safe(comp?.functionName ?? "function")} after ${safe(doc.pass)}.jaxpr`;
    return `/ir/${encodeURIComponent(doc.compilation)}/${encodeURIComponent(doc.pass)}/${title}`;
  }
  const kernel = report.kernels.find((k) => k.id === doc.kernel);
  return `/wgsl/${encodeURIComponent(doc.kernel)}/${safe(kernel?.name ?? "kernel")}.wgsl`;
}

export function parseVirtualDocPath(path: string): VirtualDoc | null {
  const parts = path.split("/").filter(Boolean);
  try {
    if (parts[0] === "ir" && parts.length >= 3) {
      return { kind: "ir", compilation: decodeURIComponent(parts[1]!), pass: decodeURIComponent(parts[2]!) };
    }
    if (parts[0] === "wgsl" && parts.length >= 2) return { kind: "wgsl", kernel: decodeURIComponent(parts[1]!) };
  } catch {
    return null; // malformed percent-encoding
  }
  return null;
}

/** The text of a virtual document, or null when the report has no such thing. */
export function virtualDocContent(report: Report, doc: VirtualDoc): string | null {
  if (doc.kind === "ir") {
    const comp = report.compilations.find((c) => c.id === doc.compilation);
    const pass = comp?.passes.find((p) => p.name === doc.pass);
    if (!comp || !pass) return null;
    // Only what is the same after every pass goes in the header, so a pass diff shows the IR's
    // changes alone (the pass names are in the tab and diff titles).
    return `// ${comp.functionName} ${comp.signature}\n${pass.text}`;
  }
  return wgslDocument(report, doc.kernel)?.text ?? null;
}

/** A link in a virtual document to a line of the user's source: in a kernel's WGSL, the line a
 *  WGSL line computes; in the IR, the line that made an equation. */
export interface SourceDocLink {
  /** 0-based line and columns in the document. */
  line: number;
  start: number;
  end: number;
  location: SourceLocation;
}

/** The links of a virtual document to the user's source, or [] when it has none. */
export function sourceDocLinks(report: Report, doc: VirtualDoc): SourceDocLink[] {
  return doc.kind === "wgsl"
    ? (wgslDocument(report, doc.kernel)?.links ?? [])
    : irLinksOf(report, doc.compilation, doc.pass);
}

/**
 * The IR printer ends an equation's line in its location, `# mlp.ts:25` (runtime's
 * ir/printer.ts), by the file's base name: each becomes a link when exactly one file of the run
 * has that base name. Kernel headers and footers end otherwise and stay plain.
 */
export function irDocLinks(report: Report, text: string): SourceDocLink[] {
  const byBase = new Map<string, string | null>();
  const files = [
    report.script,
    ...Object.values(report.lines).map((l) => l.file),
    ...report.kernels.flatMap((k) => k.locations.map((l) => l.file)),
  ];
  for (const file of files) {
    const base = file.split(/[\\/]/).pop() ?? file;
    const known = byBase.get(base);
    byBase.set(base, known === undefined || known === file ? file : null);
  }
  return text.split("\n").flatMap((lineText, line) => {
    const m = /\s# ([^\s#:]+):(\d+)$/.exec(lineText);
    const file = m ? byBase.get(m[1]!) : undefined;
    if (!m || !file) return [];
    const start = m.index + 3;
    return [{ line, start, end: lineText.length, location: { file, line: Number(m[2]), column: 1 } }];
  });
}

function wgslHeader(kernel: KernelReport): string {
  return (
    `// ${kernel.name} (${kernel.mode}) — ops: ${kernel.ops.join(", ")}\n` +
    `// workgroup_size ${kernel.workgroupSize.join("×")}, dispatch ${kernel.dispatch.join("×")}, ` +
    `${kernel.bytesRead + kernel.bytesWritten} bytes, ${kernel.flops} FLOPs\n`
  );
}
/** Lines above the WGSL in its document: the header's. */
const headerLines = (kernel: KernelReport): number => wgslHeader(kernel).split("\n").length - 1;

/** A kernel's WGSL document: a header, then its WGSL with each line's source (`// exp · mlp.ts:25`). */
export function wgslDocument(report: Report, kernelId: string): { text: string; links: SourceDocLink[] } | null {
  const kernel = report.kernels.find((k) => k.id === kernelId);
  if (!kernel) return null;
  const { text, links } = wgslWithSources(kernel);
  const above = headerLines(kernel);
  return {
    text: wgslHeader(kernel) + text,
    links: links.map((l) => ({ line: above + l.line - 1, start: l.start, end: l.end, location: l.location })),
  };
}

/** Each IR document's links, read once per loaded report: every hover on a line, and the editor
 *  on every redraw of the document, asks again. */
const irLinksCache = new WeakMap<Report, Map<string, SourceDocLink[]>>();

function irLinksOf(report: Report, compilation: string, pass: string): SourceDocLink[] {
  const cache = irLinksCache.get(report) ?? new Map<string, SourceDocLink[]>();
  irLinksCache.set(report, cache);
  const key = JSON.stringify([compilation, pass]);
  let links = cache.get(key);
  if (!links) {
    const text = virtualDocContent(report, { kind: "ir", compilation, pass });
    links = text === null ? [] : irDocLinks(report, text);
    cache.set(key, links);
  }
  return links;
}

/** The document lines (0-based) of the IR after `pass` that are equations made at `file:line`. */
export function irDocLinesOf(report: Report, compilation: string, pass: string, file: string, line: number): number[] {
  return irLinksOf(report, compilation, pass)
    .filter((l) => l.location.file === file && l.location.line === line)
    .map((l) => l.line);
}

/** The document lines (0-based) of a kernel's WGSL that compute ops called at `file:line`. */
export function wgslDocLinesOf(report: Report, kernelId: string, file: string, line: number): number[] {
  const kernel = report.kernels.find((k) => k.id === kernelId);
  return kernel ? wgslLinesOf(kernel, file, line).map((l) => headerLines(kernel) + l - 1) : [];
}

/** The pass before `pass` in a compilation, for a one-argument diff; null for the first pass. */
export function previousPass(report: Report, compilation: string, pass: string): string | null {
  const passes = report.compilations.find((c) => c.id === compilation)?.passes ?? [];
  const at = passes.findIndex((p) => p.name === pass);
  return at > 0 ? passes[at - 1]!.name : null;
}
