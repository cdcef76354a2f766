// Merges kernels that may share one dispatch: kernels of one shape that share ops, feed each
// other or read the same buffer (one kernel, several outputs), and elementwise kernels an anchor
// takes in as its epilogue. Greedy, in build order: each kernel in turn takes in the first
// kernel it may merge with, then tries again from the first (its new reads and writes may allow
// more), until a whole pass merges nothing.
//
// Only kernels that could merge with `a` are tried: those that compute one of its ops, read one
// of its inputs or read a value it computes, found from per-op and per-value indices kept up to
// date as kernels merge (trying every pair made this quadratic in the number of kernels).

import { sameShape } from "../ir/types.js";
import { isAnchorKernel, type Kernel, type KernelIO, type Round } from "./fuseKernelModel.js";

/** A stored value read through data movement is computed again by a merged reader when its cone
 *  has at most this many ops (as fuse.ts's RECOMPUTE_MAX_OPS for shared values). */
const MOVED_RECOMPUTE_MAX_OPS = 8;

export function mergeKernels(round: Round, ks: readonly Kernel[], bufferLimit: number): Kernel[] {
  const g = new KernelGraph(round, ks);
  const { eqns, cat, producer, vars } = round.facts;
  const hasCumulative = eqns.some((e) => e.prim === "cumulative");
  const hasSliceStores = [...round.cones.materialized.values()].some((w) => w.rule === "multi-slice");
  const order = new Map(ks.map((k, n) => [k, n]));
  const alive = new Set(ks);
  // Indices: var id → kernels reading it (a superset: a merge may turn a read into an internal
  // value), eqn → kernels computing it.
  const readers = new Map<number, Set<Kernel>>();
  const owners: (Set<Kernel> | undefined)[] = new Array(eqns.length);
  for (const k of ks) {
    for (const id of g.io(k).inputs) {
      const set = readers.get(id);
      if (set) set.add(k);
      else readers.set(id, new Set([k]));
    }
    for (const i of k.eqns) (owners[i] ??= new Set()).add(k);
  }
  // What `candidates` looks at, per kernel (a kernel's ops are many, these few): the values its
  // ops compute that some kernel reads (readers' keys never change), and its ops other kernels
  // compute too (a merge only ever lowers how many kernels share an op).
  const readOut = new Map<Kernel, Set<number>>();
  const shared = new Map<Kernel, Set<number>>();
  for (const k of ks) {
    const out: number[] = [];
    const both: number[] = [];
    for (const i of k.eqns) {
      for (const o of eqns[i]!.outputs) if (readers.has(o.id)) out.push(o.id);
      if (owners[i]!.size > 1) both.push(i);
    }
    readOut.set(k, new Set(out));
    shared.set(k, new Set(both));
  }
  // A pair tryMerge refused stays refused while neither kernel takes in another (a merge only
  // adds paths between kernels; every other test reads the two kernels alone), so it is tried
  // again only once one has: the pass that finds nothing left to merge repeated every test.
  const version = new Map<Kernel, number>(ks.map((k) => [k, 0]));
  const refused = new Map<Kernel, Map<Kernel, number>>(); // a → b → b's version then

  /** Kernels `a` might merge with, in build order. */
  const candidates = (a: Kernel): Kernel[] => {
    const set = new Set<Kernel>();
    const readersOfOutputs = (): void => {
      for (const id of readOut.get(a)!) for (const k of readers.get(id)!) set.add(k);
    };
    if (isAnchorKernel(a)) readersOfOutputs();
    else if (a.kind === "elementwise" || a.kind === "layout") {
      readersOfOutputs();
      for (const i of shared.get(a)!) for (const k of owners[i]!) set.add(k);
      for (const id of g.io(a).inputs) for (const k of readers.get(id) ?? []) set.add(k);
    }
    set.delete(a);
    return [...set].filter((k) => alive.has(k)).sort((x, y) => order.get(x)! - order.get(y)!);
  };

  let merged = true;
  while (merged) {
    merged = false;
    for (const a of ks) {
      if (!alive.has(a)) continue;
      let again = true;
      while (again) {
        again = false;
        for (const b of candidates(a)) {
          if (refused.get(a)?.get(b) === version.get(b)) continue;
          if (!tryMerge(a, b)) {
            const no = refused.get(a);
            if (no) no.set(b, version.get(b)!);
            else refused.set(a, new Map([[b, version.get(b)!]]));
            continue;
          }
          version.set(a, version.get(a)! + 1);
          refused.delete(a);
          alive.delete(b);
          for (const id of g.io(b).inputs) {
            const set = readers.get(id)!;
            set.delete(b);
            set.add(a);
          }
          for (const i of b.eqns) {
            const set = owners[i]!;
            set.delete(b);
            set.add(a);
          }
          for (const id of readOut.get(b)!) readOut.get(a)!.add(id);
          for (const i of shared.get(b)!) shared.get(a)!.add(i);
          g.merged(a, b);
          again = merged = true;
          break;
        }
      }
    }
  }
  return ks.filter((k) => alive.has(k));

  /** Merges b into a when they may share a kernel (see the header); false when they may not. */
  function tryMerge(a: Kernel, b: Kernel): boolean {
    if (isAnchorKernel(a)) return b.kind === "elementwise" && mergeIntoEpilogue(a, b);
    if ((a.kind !== "elementwise" && a.kind !== "layout") || (b.kind !== "elementwise" && b.kind !== "layout"))
      return false;
    if (!sameShape(vars.get(a.roots[0]!)!.aval.shape, vars.get(b.roots[0]!)!.aval.shape)) return false;
    // A scan loops over its input's row: merged with the input's kernel it would recompute the
    // input once per step instead of reading the stored copy.
    if (scanReads(a, b) || scanReads(b, a)) return false;
    // A value stored because many slices read it (fuseSliceReads.ts): merged with the kernel
    // that computes it, every slice would compute it again.
    if (sliceReads(a, b) || sliceReads(b, a)) return false;
    // A stored value read through data movement (a slice, a concatenate, a pad): merged with the
    // kernel that computes it, the reader computes it again at every coordinate it reads. Fine
    // for a few elementwise ops; not for a cone that itself reads through data movement, where
    // chained steps (a stencil iterated in one call) multiply the copies step by step.
    if (movedReads(a, b) || movedReads(b, a)) return false;
    const overlap = someOf(b.eqns, (i) => a.eqns.has(i));
    // Independent kernels of one shape reading the same buffer: one pass over it.
    const readsA = g.io(a).inputSet;
    const sharesInput = g.io(b).inputs.some((id) => readsA.has(id));
    if (!overlap && !sharesInput && !g.feeds(a, b)) return false;
    // The buffer count before the cycle checks: it reads two kernels, they walk the graph.
    if (!fits(a, b) || g.reaches(a, b, true) || g.reaches(b, a, false)) return false;
    for (const i of b.eqns) a.eqns.add(i);
    a.roots.push(...b.roots);
    return true;
  }

  /** Takes elementwise kernel `b` into anchor kernel `a`'s epilogue when b only reads a's
   *  results at the anchor's output shape (b's ops then run on the values still in registers). */
  function mergeIntoEpilogue(a: Kernel, b: Kernel): boolean {
    const anchorOut = eqns[a.anchor]!.outputs[0]!;
    if (eqns[a.anchor]!.outputs.length !== 1 || !sameShape(vars.get(b.roots[0]!)!.aval.shape, anchorOut.aval.shape))
      return false;
    if (!g.feeds(a, b) || someOf(b.eqns, (i) => a.eqns.has(i) || cat[i] === "move")) return false;
    const fromA = g.io(b).inputs.filter((id) => producer.has(id) && a.eqns.has(producer.get(id)!));
    if (!fromA.every((id) => sameShape(vars.get(id)!.aval.shape, anchorOut.aval.shape))) return false;
    if (round.refuseViewedResult(anchorOut.id, b.eqns) || !fits(a, b) || g.reaches(a, b, true)) return false;
    for (const i of b.eqns) a.eqns.add(i);
    a.roots.push(...b.roots);
    a.epilogue += b.eqns.size;
    return true;
  }

  /** Whether a and b as one kernel bind at most `bufferLimit` buffers (the union of their cached
   *  reads and writes: a program of many small kernels tries thousands of pairs). */
  function fits(a: Kernel, b: Kernel): boolean {
    const ioA = g.io(a);
    const ioB = g.io(b);
    if (ioA.inputs.length + ioB.inputs.length + ioA.outputs.length + ioB.outputs.length <= bufferLimit) return true;
    const u = g.union(a, b);
    return u.inputs.length + u.outputs.length <= bufferLimit;
  }

  /** Whether a scan (cumsum/cumprod) in kernel `k` reads a value computed by kernel `from`. */
  function sliceReads(k: Kernel, from: Kernel): boolean {
    if (!hasSliceStores) return false;
    for (const i of k.eqns) {
      const x = eqns[i]!.prim === "slice" ? eqns[i]!.inputs[0] : undefined;
      if (x?.kind !== "var" || round.cones.materialized.get(x.id)?.rule !== "multi-slice") continue;
      const p = producer.get(x.id);
      if (p !== undefined && from.eqns.has(p) && !k.eqns.has(p)) return true;
    }
    return false;
  }

  /** Whether a data-movement op in kernel `k` reads a value stored by kernel `from` whose cone
   *  is costly to compute again: more than MOVED_RECOMPUTE_MAX_OPS ops, or data movement. */
  function movedReads(k: Kernel, from: Kernel): boolean {
    const { cones } = round;
    for (const i of k.eqns) {
      if (cat[i] !== "move") continue;
      for (const x of eqns[i]!.inputs) {
        if (x.kind !== "var" || !cones.materialized.has(x.id)) continue;
        const p = producer.get(x.id);
        if (p === undefined || !from.eqns.has(p) || k.eqns.has(p)) continue;
        if (cones.exceeds(x.id, MOVED_RECOMPUTE_MAX_OPS) || cones.touches(x.id, (j) => cat[j] === "move")) return true;
      }
    }
    return false;
  }

  function scanReads(k: Kernel, from: Kernel): boolean {
    if (!hasCumulative) return false;
    for (const i of k.eqns) {
      const x = eqns[i]!.prim === "cumulative" ? eqns[i]!.inputs[0] : undefined;
      if (x?.kind !== "var") continue;
      const p = producer.get(x.id);
      if (p !== undefined && from.eqns.has(p) && !k.eqns.has(p)) return true;
    }
    return false;
  }
}

const someOf = <T>(items: Iterable<T>, pred: (x: T) => boolean): boolean => {
  for (const x of items) if (pred(x)) return true;
  return false;
};

/**
 * Reads, writes and dependencies between the kernels being merged, kept up to date as they
 * merge: every stored value has one writer (a cone stops at stored values), so a merge only
 * renames b to a in the dependency edges. Whether one kernel reaches another is searched only
 * between the two in a topological order of the kernels, kept valid across merges as Pearce and
 * Kelly's dynamic topological sort does (a merge is allowed only when no other path joins the
 * two kernels, so what follows the first within the span moves after the merged kernel and what
 * precedes the second moves before it); without the order every check walked the whole graph.
 */
class KernelGraph {
  private readonly ioCache = new Map<Kernel, KernelIO>();
  /** Stored value id → the kernel that writes it. */
  private readonly writers = new Map<number, Kernel>();
  private readonly deps = new Map<Kernel, Set<Kernel>>();
  private readonly dependents = new Map<Kernel, Set<Kernel>>();
  /** Position in a topological order (null: the kernels have a cycle; then no bound). */
  private readonly ord: Map<Kernel, number> | null;

  constructor(
    private readonly round: Round,
    ks: readonly Kernel[],
  ) {
    for (const k of ks) this.addWrites(k);
    for (const k of ks) this.dependents.set(k, new Set());
    for (const k of ks) {
      const deps = new Set<Kernel>();
      for (const id of this.io(k).inputs) {
        const w = this.writers.get(id);
        if (w && w !== k) deps.add(w);
      }
      this.deps.set(k, deps);
      for (const d of deps) this.dependents.get(d)!.add(k);
    }
    this.ord = this.topologicalOrder(ks);
  }

  io(k: Kernel): KernelIO {
    let io = this.ioCache.get(k);
    if (!io) this.ioCache.set(k, (io = this.round.io(k.eqns)));
    return io;
  }

  /** b was merged into a (a's ops and roots already include b's). */
  merged(a: Kernel, b: Kernel): void {
    this.ioCache.set(a, this.union(a, b));
    this.ioCache.delete(b);
    this.addWrites(a);
    if (this.ord) this.reorder(a, b, this.ord);
    const rename = (edges: Map<Kernel, Set<Kernel>>, back: Map<Kernel, Set<Kernel>>): void => {
      const mine = edges.get(a)!;
      for (const x of edges.get(b)!) {
        const set = back.get(x)!;
        set.delete(b);
        if (x !== a) {
          set.add(a);
          mine.add(x);
        }
      }
      mine.delete(b);
      mine.delete(a);
      edges.delete(b);
    };
    rename(this.deps, this.dependents);
    rename(this.dependents, this.deps);
  }

  /** The io of a and b as one kernel, from their cached ios, before or after b merged into a
   *  (what round.io would give, its inputs in another order: nothing here reads the order; a
   *  kernel that takes in one op after another would otherwise recompute its io over all its
   *  ops at every merge). */
  union(a: Kernel, b: Kernel): KernelIO {
    const { producer } = this.round.facts;
    const ioA = this.io(a);
    const ioB = this.io(b);
    const inputs: number[] = [];
    const inputSet = new Set<number>();
    const add = (id: number): void => {
      const p = producer.get(id);
      if (inputSet.has(id) || (p !== undefined && (a.eqns.has(p) || b.eqns.has(p)))) return;
      inputs.push(id);
      inputSet.add(id);
    };
    ioA.inputs.forEach(add);
    ioB.inputs.forEach(add);
    const outputs = [...new Set([...ioA.outputs, ...ioB.outputs])];
    return { inputs, inputSet, outputs };
  }

  /** Whether kernel b reads a value kernel a writes. */
  feeds(a: Kernel, b: Kernel): boolean {
    const { producer } = this.round.facts;
    return this.io(b).inputs.some((id) => {
      const p = producer.get(id);
      return p !== undefined && a.eqns.has(p) && this.writers.get(id) === a;
    });
  }

  /** Whether `to` depends on `from` through kernels (optionally ignoring the direct edge). */
  reaches(from: Kernel, to: Kernel, skipDirect: boolean): boolean {
    const ord = this.ord;
    if (ord && ord.get(from)! >= ord.get(to)!) return false;
    const limit = ord ? ord.get(to)! : Infinity;
    const seen = new Set<Kernel>();
    const stack: Kernel[] = [];
    for (const x of this.dependents.get(from)!) {
      if (x === to) {
        if (!skipDirect) return true;
      } else if (!ord || ord.get(x)! < limit) stack.push(x);
    }
    while (stack.length) {
      const x = stack.pop()!;
      if (seen.has(x)) continue;
      seen.add(x);
      for (const y of this.dependents.get(x)!) {
        if (y === to) return true;
        if (!seen.has(y) && (!ord || ord.get(y)! < limit)) stack.push(y);
      }
    }
    return false;
  }

  private addWrites(k: Kernel): void {
    const { producer } = this.round.facts;
    for (const id of [...k.roots, ...this.io(k).outputs]) {
      const p = producer.get(id);
      if (p !== undefined && k.eqns.has(p)) this.writers.set(id, k);
    }
  }

  private topologicalOrder(ks: readonly Kernel[]): Map<Kernel, number> | null {
    const waiting = new Map(ks.map((k) => [k, this.deps.get(k)!.size]));
    const ready = ks.filter((k) => waiting.get(k) === 0);
    const ord = new Map<Kernel, number>();
    while (ready.length) {
      const k = ready.pop()!;
      ord.set(k, ord.size);
      for (const d of this.dependents.get(k)!) {
        const n = waiting.get(d)! - 1;
        waiting.set(d, n);
        if (n === 0) ready.push(d);
      }
    }
    return ord.size === ks.length ? ord : null;
  }

  /** Keeps `ord` topological once a and b are one kernel (see the class comment). */
  private reorder(a: Kernel, b: Kernel, ord: Map<Kernel, number>): void {
    const [u, w] = ord.get(a)! < ord.get(b)! ? [a, b] : [b, a];
    const lo = ord.get(u)!,
      hi = ord.get(w)!;
    const within = (edges: Map<Kernel, Set<Kernel>>, from: Kernel, skip: Kernel): Kernel[] => {
      const seen = new Set<Kernel>();
      const stack = [...edges.get(from)!].filter((x) => x !== skip && ord.get(x)! > lo && ord.get(x)! < hi);
      while (stack.length) {
        const x = stack.pop()!;
        if (seen.has(x)) continue;
        seen.add(x);
        for (const y of edges.get(x)!) if (!seen.has(y) && ord.get(y)! > lo && ord.get(y)! < hi) stack.push(y);
      }
      return [...seen].sort((x, y) => ord.get(x)! - ord.get(y)!);
    };
    const after = within(this.dependents, u, w); // reached from the first: after the merged kernel
    const before = within(this.deps, w, u); // reaching the second: before it
    const slots = [...before, u, w, ...after].map((k) => ord.get(k)!).sort((x, y) => x - y);
    before.forEach((k, n) => ord.set(k, slots[n]!));
    ord.set(a, slots[before.length]!);
    after.forEach((k, n) => ord.set(k, slots[slots.length - after.length + n]!));
    ord.delete(b);
  }
}
