// Provenance of a kernel: the (file, line, op) of every op it runs, read from its compilation's
// `fuse` graph (eager kernels: their one call site). This is what a diff matches kernels by, never
// their generated names.

import type { Compilation, GraphNode, KernelReport, Report } from "@jitscope/contract";

export interface Atom {
  file: string;
  line: number;
  op: string;
}

/** Reads the provenance of a report's kernels; the old run's script path is renamed to `script`. */
export class Provenance {
  private readonly nodes = new Map<string, Map<string, GraphNode>>();

  constructor(
    readonly report: Report,
    /** The file name the other run's script goes by (so a copied script still matches). */
    private readonly script: string = report.script,
  ) {
    for (const c of report.compilations) this.nodes.set(c.id, fuseNodes(c));
  }

  file(f: string): string {
    return f === this.report.script ? this.script : f;
  }

  atoms(k: KernelReport): Atom[] {
    const graph = k.compilation ? this.nodes.get(k.compilation) : undefined;
    const out: Atom[] = [];
    // A loop body's kernel names only its loop's node: its own ops' lines are in its locations.
    if (graph && k.opIds.length > 0 && !k.loop) {
      k.opIds.forEach((id, i) => {
        const n = graph.get(id);
        const loc = n?.location ?? k.locations[0];
        if (loc) out.push({ file: this.file(loc.file), line: loc.line, op: n?.label ?? k.ops[i] ?? "?" });
      });
      return out;
    }
    // Eager (one op, one call site), a loop body's or one without node ids: every op at every location.
    for (const loc of k.locations) for (const op of k.ops) out.push({ file: this.file(loc.file), line: loc.line, op });
    return out;
  }

  /** Each file's lines that carry ops or a `jit(` site, with the distinct things they carry, sorted. */
  lineSignatures(): Map<string, Map<number, string[]>> {
    const files = new Map<string, Map<number, string[]>>();
    const add = (file: string, line: number, what: string) => {
      let lines = files.get(file);
      if (!lines) files.set(file, (lines = new Map()));
      let l = lines.get(line);
      if (!l) lines.set(line, (l = []));
      if (!l.includes(what)) l.push(what);
    };
    for (const k of this.report.kernels) for (const a of this.atoms(k)) add(a.file, a.line, a.op);
    for (const f of this.report.functions)
      if (f.location) add(this.file(f.location.file), f.location.line, `jit:${f.name}`);
    for (const lines of files.values()) for (const l of lines.values()) l.sort();
    return files;
  }
}

function fuseNodes(c: Compilation): Map<string, GraphNode> {
  const byId = new Map<string, GraphNode>();
  const fuse = c.passes.find((p) => p.name === "fuse");
  for (const p of fuse ? [fuse] : c.passes) for (const n of p.graph.nodes) byId.set(n.id, n);
  return byId;
}
