// fuse: decides kernel boundaries, and records why each one exists.
//
// The model: some values are *materialized* (written to global memory); every other value lives
// in registers inside the kernel that computes it. A kernel is either
//   - the *cone* of a materialized value: every elementwise, broadcast/reshape and data-movement
//     op (transpose, slice, pad, concatenate) reachable backwards from it without crossing
//     another materialized value, or
//   - an anchor (reduction, matmul) with, for reductions, the cone of its input as a prologue,
//     and for both, elementwise consumers at the anchor's output shape as an epilogue (bias add,
//     relu, scale).
// What is materialized: program outputs; anchor outputs (unless taken in as an epilogue); matmul
// operands; computed values (larger than one element) whose shape a broadcast/reshape/move
// changes; values shared by several kernels when recomputing them would cost more than storing
// them; values split off to respect the storage buffer limit. Cheap shared values are recomputed
// instead (row softmax recomputes `exp(x - max)` in its last kernel rather than storing it).
// Kernels of one shape that share ops, feed each other or read the same buffer are merged (one
// kernel, several outputs). Every materialized value carries its reason; fuseSchedule.ts orders
// the kernels and turns every edge crossing a boundary into a FusionBoundary.

import type { KernelKind, ScheduledProgram } from "../codegen/kernelPlan.js";
import { sameShape, sizeOf, type Eqn, type Program, type Var } from "../ir/types.js";
import { formatBytes, formatShape as shapeText } from "@jitscope/contract";
import { category, MOVED, programFacts, varBytes, type Why } from "./fuseFacts.js";
import { scheduleKernels } from "./fuseSchedule.js";
import type { Pass } from "./pass.js";
import { passDisabled } from "./ablation.js";

/** maxStorageBuffersPerShaderStage on lavapipe (and the WebGPU default): inputs + outputs. */
export const STORAGE_BUFFER_LIMIT = 8;
/** Recompute a shared value when (extra copies × ops in its cone) stays at or below this. */
export const RECOMPUTE_MAX_OPS = 8;
/** Whether matmul kernels read transposed/reshaped operands in place instead of after a copy
 *  kernel. Off: in place costs the matmul its vec4 fast path; measured on lavapipe, the MLP
 *  training step (784-256-10, batch 128) ran 61-70 ms/step in place vs 28-30 ms with copies. */
export const MATMUL_READS_MOVED_OPERANDS = false;

/** What a kernel reads (in first-use order, and as a set) and writes. */
interface KernelIO {
  inputs: number[];
  inputSet: ReadonlySet<number>;
  outputs: number[];
}

const someOf = <T>(items: Iterable<T>, pred: (x: T) => boolean): boolean => {
  for (const x of items) if (pred(x)) return true;
  return false;
};

/** A kernel while fuse is still deciding (fuseSchedule.ts orders and explains the final ones). */
interface Kernel {
  eqns: Set<number>; // indices into program.eqns
  kind: KernelKind;
  /** Index of the anchor equation (reduction/matmul), or -1 for elementwise/layout kernels. */
  anchor: number;
  roots: number[]; // var ids this kernel exists to produce
  prologue: number;
  epilogue: number;
}

/** `fuse: false` (--ablate fuse): every op in a kernel of its own, every value written to memory. */
export function fuseProgram(program: Program, opts: { fuse: boolean } = { fuse: true }): ScheduledProgram {
  const facts = programFacts(program);
  const { eqns, producer, vars, consumers, cat, outputIds } = facts;
  const fusable = (i: number): boolean => cat[i] === "ew" || cat[i] === "view" || cat[i] === "move";

  const hasCumulative = eqns.some((e) => e.prim === "cumulative");

  // --- what must be materialized regardless of grouping
  const materialized = new Map<number, Why>();
  const mark = (id: number, why: Why): void => {
    if (!materialized.has(id)) materialized.set(id, why);
  };
  for (const id of outputIds)
    if (producer.has(id)) mark(id, { rule: "output", reason: "program output: written to memory" });
  eqns.forEach((e, i) => {
    const c = cat[i];
    if (c === "reduce" || c === "matmul" || c === "sort" || c === "loop")
      for (const o of e.outputs) mark(o.id, anchorOutputWhy(e));
    for (const a of e.inputs) {
      if (a.kind !== "var" || !producer.has(a.id)) continue;
      const p = producer.get(a.id)!;
      if (!fusable(p)) continue;
      if (c === "matmul") continue; // decided below, once every other mark is known
      if (c === "sort")
        mark(a.id, { rule: "sort-operand", reason: "sort operand: the sort kernel reads whole rows from memory" });
      if (c === "loop") {
        mark(a.id, {
          rule: "loop-operand",
          reason: `${e.prim} operand: the loop reads it from memory on every iteration`,
        });
        continue;
      }
      // A computed single value (shape [] or [1,1]) is cheap to recompute per element, so only
      // larger computed values are written out before a broadcast/reshape changes their shape.
      else if (
        (c === "view" || c === "move") &&
        cat[p] === "ew" &&
        sizeOf(a.aval.shape) > 1 &&
        !readsInPlace(e, a, consumers, cat)
      ) {
        const out = e.outputs[0]!;
        mark(a.id, {
          rule: "shape",
          reason: `value of shape ${shapeText(a.aval.shape)} is ${MOVED[e.prim] ?? e.prim} to ${shapeText(out.aval.shape)}: computed once in its own kernel`,
        });
      }
    }
  });

  // Matmul operands: anything computed is written out first, since every output tile would
  // recompute it; data movement over values in memory (w.T) could be read in place (see
  // MATMUL_READS_MOVED_OPERANDS).
  const movementOnly = (id: number): boolean => {
    const stack = [id];
    while (stack.length) {
      const v = stack.pop()!;
      if (materialized.has(v)) continue;
      const p = producer.get(v);
      if (p === undefined || !fusable(p)) continue;
      if (cat[p] === "ew") return false;
      for (const a of eqns[p]!.inputs) if (a.kind === "var") stack.push(a.id);
    }
    return true;
  };
  eqns.forEach((e, i) => {
    if (cat[i] !== "matmul") return;
    for (const a of e.inputs) {
      if (a.kind !== "var" || !producer.has(a.id) || !fusable(producer.get(a.id)!)) continue;
      if (MATMUL_READS_MOVED_OPERANDS && movementOnly(a.id)) continue;
      mark(a.id, {
        rule: "matmul-operand",
        reason: `${e.prim} operand: the ${e.prim} kernel reads its operands from memory`,
      });
    }
  });

  if (!opts.fuse)
    for (const e of eqns)
      for (const o of e.outputs)
        mark(o.id, { rule: "ablated", reason: "fusion turned off (--ablate fuse): every op is its own kernel" });

  // The elementwise cone of var `id`: fusable eqns reachable backwards without crossing M.
  const coneOf = (id: number, into = new Set<number>()): Set<number> => {
    const stack = [producer.get(id)!];
    while (stack.length) {
      const i = stack.pop()!;
      if (into.has(i)) continue;
      into.add(i);
      for (const a of eqns[i]!.inputs) {
        if (a.kind !== "var" || materialized.has(a.id)) continue;
        const p = producer.get(a.id);
        if (p !== undefined && fusable(p)) stack.push(p);
      }
    }
    return into;
  };

  /** Whether coneOf(id) has more than `max` ops (stops walking once it does). */
  const coneExceeds = (id: number, max: number): boolean => {
    const seen = new Set<number>();
    const stack = [producer.get(id)!];
    while (stack.length) {
      const i = stack.pop()!;
      if (seen.has(i)) continue;
      seen.add(i);
      if (seen.size > max) return true;
      for (const a of eqns[i]!.inputs) {
        if (a.kind !== "var" || materialized.has(a.id)) continue;
        const p = producer.get(a.id);
        if (p !== undefined && fusable(p)) stack.push(p);
      }
    }
    return false;
  };
  /** Whether any op of coneOf(id) is in a kernel of `touched` (stops at the first). */
  const coneTouches = (
    id: number,
    owners: ReadonlyMap<number, readonly Kernel[]>,
    touched: ReadonlySet<Kernel>,
  ): boolean => {
    const seen = new Set<number>();
    const stack = [producer.get(id)!];
    while (stack.length) {
      const i = stack.pop()!;
      if (seen.has(i)) continue;
      seen.add(i);
      if (owners.get(i)?.some((k) => touched.has(k))) return true;
      for (const a of eqns[i]!.inputs) {
        if (a.kind !== "var" || materialized.has(a.id)) continue;
        const p = producer.get(a.id);
        if (p !== undefined && fusable(p)) stack.push(p);
      }
    }
    return false;
  };

  // Anchor outputs taken in as an epilogue in the current round: they stay in registers.
  let absorbed = new Set<number>();
  const isStored = (id: number): boolean => (materialized.has(id) && !absorbed.has(id)) || outputIds.has(id);

  // Per-round caches (what is stored does not change within a round): a kernel's reads and
  // writes, and which kernel writes each value. Merges invalidate them.
  let ioCache = new Map<Kernel, KernelIO>();
  let writers: Map<number, Kernel> | null = null;
  // Valid while `writers` is (until the next merge).
  let depsCache = new Map<Kernel, Set<Kernel>>();
  let ancestorCache = new Map<Kernel, Set<Kernel>>();
  let descendantCache = new Map<Kernel, Set<Kernel>>();
  let dependents: Map<Kernel, Kernel[]> | null = null;
  let kernels: Kernel[] = [];
  for (let round = 0; round < eqns.length + 8; round++) {
    kernels = buildKernels();
    const splits = needsSplit(kernels);
    if (splits.length === 0) break;
    for (const s of splits) mark(s.id, s.why);
  }

  function buildKernels(): Kernel[] {
    const ks: Kernel[] = [];
    absorbed = new Set();
    ioCache = new Map();
    writers = null;
    const anchorKernel = new Map<number, Kernel>(); // anchor output var id → kernel
    eqns.forEach((e, i) => {
      const c = cat[i];
      if (fusable(i)) return;
      const k: Kernel = {
        eqns: new Set([i]),
        kind:
          c === "reduce"
            ? "reduction"
            : c === "sort"
              ? "sort"
              : c === "loop"
                ? "loop"
                : e.prim === "conv"
                  ? "conv"
                  : "matmul",
        anchor: i,
        roots: e.outputs.map((o) => o.id),
        prologue: 0,
        epilogue: 0,
      };
      const input = e.inputs[0];
      // Prologues: a reduction's computed input; a matmul's operands moved in place.
      for (const x of c === "reduce" ? [input] : c === "loop" ? [] : e.inputs) {
        if (x?.kind !== "var" || materialized.has(x.id) || !producer.has(x.id) || !fusable(producer.get(x.id)!))
          continue;
        const cone = coneOf(x.id);
        k.prologue += cone.size;
        for (const j of cone) k.eqns.add(j);
      }
      ks.push(k);
      if ((c === "reduce" || c === "matmul") && e.outputs.length === 1) anchorKernel.set(e.outputs[0]!.id, k);
    });
    // Elementwise roots: materialized values computed by fusable ops.
    const rootCones: { id: number; cone: Set<number> }[] = [];
    for (const id of materialized.keys()) {
      const p = producer.get(id);
      if (p !== undefined && fusable(p)) rootCones.push({ id, cone: coneOf(id) });
    }
    rootCones.sort((a, b) => producer.get(a.id)! - producer.get(b.id)!);
    // How many kernels compute each op: an anchor's result can stay in registers only when every
    // op reading it is computed by the epilogue alone (a copy recomputed elsewhere would need it).
    const copies = new Map<number, number>();
    for (const set of [...ks.map((k) => k.eqns), ...rootCones.map((r) => r.cone)]) {
      for (const i of set) copies.set(i, (copies.get(i) ?? 0) + 1);
    }
    for (const { id, cone } of rootCones) {
      const host = opts.fuse ? epilogueHost(id, cone, anchorKernel, copies) : null;
      if (host) {
        for (const j of cone) host.eqns.add(j);
        host.epilogue += cone.size;
        host.roots = [id];
        continue;
      }
      ks.push({ eqns: cone, kind: "elementwise", anchor: -1, roots: [id], prologue: 0, epilogue: 0 });
    }
    if (opts.fuse) mergeElementwise(ks);
    // A kernel that only moves data (transpose, slice, pad, concatenate) is a layout kernel.
    for (const k of ks) {
      if (k.anchor >= 0) continue;
      const eqnList = [...k.eqns];
      k.kind =
        eqnList.some((i) => cat[i] === "move") && !eqnList.some((i) => cat[i] === "ew") ? "layout" : "elementwise";
    }
    return ks;
  }

  /** The reduction/matmul kernel that can take `cone` (ending at root `id`) as its epilogue. */
  function epilogueHost(
    id: number,
    cone: Set<number>,
    anchorKernel: Map<number, Kernel>,
    copies: Map<number, number>,
  ): Kernel | null {
    const root = vars.get(id)!;
    // Only an anchor whose result the cone reads can host it (earliest anchor first).
    const leaves = coneLeaves(cone);
    const candidates = leaves.filter((l) => anchorKernel.has(l)).sort((a, b) => producer.get(a)! - producer.get(b)!);
    for (const oid of candidates) {
      const k = anchorKernel.get(oid)!;
      const o = vars.get(oid)!;
      if (outputIds.has(oid) || k.epilogue > 0 || !sameShape(o.aval.shape, root.aval.shape)) continue;
      const uses = consumers.get(oid) ?? [];
      if (uses.length === 0 || !uses.every((u) => cone.has(u) && cat[u] === "ew" && copies.get(u) === 1)) continue;
      if ([...cone].some((i) => cat[i] === "move")) continue; // epilogues index by output only
      if (refuseViewedResult(oid, cone)) continue;
      // No other input of the cone may depend on the anchor through another kernel (a cycle).
      if (leaves.some((leaf) => leaf !== oid && dependsOn(leaf, oid))) continue;
      absorbed.add(oid);
      return k;
    }
    return null;
  }

  /**
   * Whether ops of `set` reshape, broadcast or move the anchor result `oid` (or a value computed
   * from it) before using it. An epilogue computes each result element from the registers of that
   * element alone, so it cannot read the result at other coordinates (a 1-D matmul's [M,1]
   * product reshaped to [M] and broadcast back, say): the result is stored instead, and the
   * schedule's boundary names the reshape or broadcast.
   */
  function refuseViewedResult(oid: number, set: ReadonlySet<number>): boolean {
    const derived = new Set([oid]);
    for (const i of [...set].sort((a, b) => a - b)) {
      if (!eqns[i]!.inputs.some((x) => x.kind === "var" && derived.has(x.id))) continue;
      if (cat[i] === "view" || cat[i] === "move") return true;
      for (const o of eqns[i]!.outputs) derived.add(o.id);
    }
    return false;
  }

  function coneLeaves(cone: Set<number>): number[] {
    const leaves: number[] = [];
    for (const i of cone)
      for (const a of eqns[i]!.inputs) {
        if (a.kind === "var" && !(producer.has(a.id) && cone.has(producer.get(a.id)!)) && !leaves.includes(a.id))
          leaves.push(a.id);
      }
    return leaves;
  }

  function dependsOn(id: number, target: number, seen = new Set<number>()): boolean {
    if (id === target) return true;
    if (seen.has(id)) return false;
    seen.add(id);
    const p = producer.get(id);
    if (p === undefined) return false;
    return eqns[p]!.inputs.some((a) => a.kind === "var" && dependsOn(a.id, target, seen));
  }

  function invalidate(...ks: Kernel[]): void {
    for (const k of ks) ioCache.delete(k);
    writers = null;
  }

  function kernelIO(k: Kernel): KernelIO {
    const cached = ioCache.get(k);
    if (cached) return cached;
    const io = computeIO(k);
    ioCache.set(k, io);
    return io;
  }

  function computeIO(k: Kernel): KernelIO {
    const inputs: number[] = [];
    const inputSet = new Set<number>();
    const outputs: number[] = [];
    const sorted = [...k.eqns].sort((a, b) => a - b);
    for (const i of sorted) {
      for (const a of eqns[i]!.inputs) {
        if (a.kind !== "var" || inputSet.has(a.id)) continue;
        const p = producer.get(a.id);
        if (p === undefined || !k.eqns.has(p)) {
          inputs.push(a.id);
          inputSet.add(a.id);
        }
      }
      for (const o of eqns[i]!.outputs) if (isStored(o.id)) outputs.push(o.id);
    }
    return { inputs, inputSet, outputs };
  }

  function kernelDeps(k: Kernel, all: Kernel[]): Set<Kernel> {
    if (!writers) {
      writers = new Map();
      depsCache = new Map();
      ancestorCache = new Map();
      descendantCache = new Map();
      dependents = null;
      for (const other of all) {
        for (const id of [...other.roots, ...kernelIO(other).outputs]) {
          const p = producer.get(id);
          if (p !== undefined && other.eqns.has(p)) writers.set(id, other);
        }
      }
    }
    const cached = depsCache.get(k);
    if (cached) return cached;
    const deps = new Set<Kernel>();
    for (const id of kernelIO(k).inputs) {
      const w = writers.get(id);
      if (w && w !== k) deps.add(w);
    }
    depsCache.set(k, deps);
    return deps;
  }

  /** Whether kernel b reads a value kernel a writes. Checked on b's inputs computed inside a
   *  first, so unrelated pairs never build the writer map (rebuilt after every merge). */
  function feeds(a: Kernel, b: Kernel, ks: Kernel[]): boolean {
    if (
      !kernelIO(b).inputs.some((id) => {
        const p = producer.get(id);
        return p !== undefined && a.eqns.has(p);
      })
    )
      return false;
    return kernelDeps(b, ks).has(a);
  }

  /** Whether `to` depends on `from` through kernels (optionally ignoring the direct edge). */
  function reaches(from: Kernel, to: Kernel, all: Kernel[], skipDirect: boolean): boolean {
    if (!skipDirect) return ancestors(to, all).has(from);
    const below = descendants(from, all);
    return someOf(kernelDeps(to, all), (d) => d !== from && below.has(d));
  }

  /** Kernels `k` depends on, transitively (cached until the next merge). */
  function ancestors(k: Kernel, all: Kernel[]): ReadonlySet<Kernel> {
    kernelDeps(k, all); // rebuilds the writer map (and drops these caches) after a merge
    let set = ancestorCache.get(k);
    if (set) return set;
    set = walk(k, (x) => kernelDeps(x, all));
    ancestorCache.set(k, set);
    return set;
  }

  /** Kernels that depend on `k`, transitively (cached until the next merge). */
  function descendants(k: Kernel, all: Kernel[]): ReadonlySet<Kernel> {
    kernelDeps(k, all);
    let set = descendantCache.get(k);
    if (set) return set;
    if (!dependents) {
      dependents = new Map();
      for (const x of all)
        for (const d of kernelDeps(x, all)) {
          const list = dependents.get(d);
          if (list) list.push(x);
          else dependents.set(d, [x]);
        }
    }
    const rev = dependents;
    set = walk(k, (x) => rev.get(x) ?? []);
    descendantCache.set(k, set);
    return set;
  }

  function walk(k: Kernel, next: (x: Kernel) => Iterable<Kernel>): Set<Kernel> {
    const seen = new Set<Kernel>();
    const stack = [...next(k)];
    while (stack.length) {
      const x = stack.pop()!;
      if (seen.has(x)) continue;
      seen.add(x);
      for (const d of next(x)) if (!seen.has(d)) stack.push(d);
    }
    return seen;
  }

  function mergeElementwise(ks: Kernel[]): void {
    // An anchor kernel only takes in kernels that read a value it computes (mergeIntoEpilogue),
    // so for an anchor only the readers of its values are tried (same order, same result).
    const readers = new Map<number, Set<Kernel>>(); // var id → kernels reading it (or a superset)
    for (const k of ks)
      for (const id of kernelIO(k).inputs) {
        const set = readers.get(id);
        if (set) set.add(k);
        else readers.set(id, new Set([k]));
      }
    const isAnchor = (k: Kernel): boolean => k.kind === "matmul" || k.kind === "conv" || k.kind === "reduction";
    const readersOf = (a: Kernel): Set<Kernel> | null => {
      if (!isAnchor(a)) return null;
      const set = new Set<Kernel>();
      for (const i of a.eqns) for (const o of eqns[i]!.outputs) for (const k of readers.get(o.id) ?? []) set.add(k);
      return set;
    };
    // Scan pairs; after a merge, rescan for the grown kernel (its new outputs/inputs may enable more).
    let merged = true;
    while (merged) {
      merged = false;
      for (let ai = 0; ai < ks.length; ai++) {
        const a = ks[ai]!;
        let close = readersOf(a);
        for (let bi = 0; bi < ks.length; bi++) {
          const b = ks[bi]!;
          if (b === a || (close && !close.has(b)) || !tryMerge(a, b, ks)) continue;
          ks.splice(bi, 1);
          invalidate(a, b);
          for (const id of kernelIO(b).inputs) {
            const set = readers.get(id)!;
            set.delete(b);
            set.add(a);
          }
          close = readersOf(a);
          if (bi < ai) ai--;
          bi = -1;
          merged = true;
        }
      }
    }
  }

  /** Merges b into a when they may share a kernel (see the header); false when they may not. */
  function tryMerge(a: Kernel, b: Kernel, ks: Kernel[]): boolean {
    if (a.kind === "matmul" || a.kind === "conv" || a.kind === "reduction")
      return b.kind === "elementwise" && mergeIntoEpilogue(a, b, ks);
    if ((a.kind !== "elementwise" && a.kind !== "layout") || (b.kind !== "elementwise" && b.kind !== "layout"))
      return false;
    if (!sameShape(vars.get(a.roots[0]!)!.aval.shape, vars.get(b.roots[0]!)!.aval.shape)) return false;
    // A scan loops over its input's row: merged with the input's kernel it would recompute the
    // input once per step instead of reading the stored copy.
    if (scanReads(a, b) || scanReads(b, a)) return false;
    const overlap = someOf(b.eqns, (i) => a.eqns.has(i));
    // Independent kernels of one shape reading the same buffer: one pass over it.
    const readsA = kernelIO(a).inputSet;
    const sharesInput = kernelIO(b).inputs.some((id) => readsA.has(id));
    if (!overlap && !sharesInput && !feeds(a, b, ks)) return false;
    if (reaches(a, b, ks, true) || reaches(b, a, ks, false)) return false;
    const union: Kernel = { ...a, eqns: new Set([...a.eqns, ...b.eqns]), roots: [...a.roots, ...b.roots] };
    const io = kernelIO(union);
    if (io.inputs.length + io.outputs.length > STORAGE_BUFFER_LIMIT) return false;
    for (const i of b.eqns) a.eqns.add(i);
    a.roots.push(...b.roots);
    return true;
  }

  /** Whether a scan (cumsum/cumprod) in kernel `k` reads a value computed by kernel `from`. */
  function scanReads(k: Kernel, from: Kernel): boolean {
    if (!hasCumulative) return false;
    for (const i of k.eqns) {
      const x = eqns[i]!.prim === "cumulative" ? eqns[i]!.inputs[0] : undefined;
      if (
        x?.kind === "var" &&
        producer.has(x.id) &&
        from.eqns.has(producer.get(x.id)!) &&
        !k.eqns.has(producer.get(x.id)!)
      )
        return true;
    }
    return false;
  }

  /** Takes elementwise kernel `b` into anchor kernel `a`'s epilogue when b only reads a's
   *  results at the anchor's output shape (b's ops then run on the values still in registers). */
  function mergeIntoEpilogue(a: Kernel, b: Kernel, ks: Kernel[]): boolean {
    const anchorOut = eqns[a.anchor]!.outputs[0]!;
    if (eqns[a.anchor]!.outputs.length !== 1 || !sameShape(vars.get(b.roots[0]!)!.aval.shape, anchorOut.aval.shape))
      return false;
    if (!feeds(a, b, ks) || [...b.eqns].some((i) => a.eqns.has(i) || cat[i] === "move")) return false;
    const fromA = kernelIO(b).inputs.filter((id) => producer.has(id) && a.eqns.has(producer.get(id)!));
    if (!fromA.every((id) => sameShape(vars.get(id)!.aval.shape, anchorOut.aval.shape))) return false;
    if (reaches(a, b, ks, true) || refuseViewedResult(anchorOut.id, b.eqns)) return false;
    const union: Kernel = { ...a, eqns: new Set([...a.eqns, ...b.eqns]), roots: [...a.roots, ...b.roots] };
    const io = kernelIO(union);
    if (io.inputs.length + io.outputs.length > STORAGE_BUFFER_LIMIT) return false;
    for (const i of b.eqns) a.eqns.add(i);
    a.roots.push(...b.roots);
    a.epilogue += b.eqns.size;
    return true;
  }

  /** A value to materialize next (shared and costly, or over the buffer limit), or null. */
  function needsSplit(ks: Kernel[]): { id: number; why: Why }[] {
    // Shared values: the outermost shared op whose cone is too costly to recompute.
    const owners = new Map<number, Kernel[]>();
    for (const k of ks)
      for (const i of k.eqns) {
        const list = owners.get(i);
        if (list) list.push(k);
        else owners.set(i, [k]);
      }
    // An anchor result read by an op that several kernels recompute would have to be stored;
    // storing that op's result instead keeps the anchor's result in registers (its epilogue).
    const epilogueSplits: { id: number; why: Why }[] = [];
    const touchedByEpilogue = new Set<Kernel>();
    for (const k of ks) {
      if ((k.kind !== "matmul" && k.kind !== "conv" && k.kind !== "reduction") || k.epilogue > 0) continue;
      const o = eqns[k.anchor]!.outputs[0]!;
      if (outputIds.has(o.id)) continue;
      const uses = consumers.get(o.id) ?? [];
      if (!uses.every((u) => cat[u] === "ew" && sameShape(eqns[u]!.outputs[0]!.aval.shape, o.aval.shape))) continue;
      const shared = uses.find((u) => (owners.get(u)?.length ?? 0) > 1 && !materialized.has(eqns[u]!.outputs[0]!.id));
      if (shared === undefined) continue;
      const v = eqns[shared]!.outputs[0]!;
      // Each anchor's split is taken in the same round: storing one such value only shortens the
      // other anchors' consumers' cones, never makes their value unshared (a residual stream
      // through n blocks needs n of these; one round each would rebuild every kernel n times).
      if (touchedByEpilogue.has(k)) continue;
      touchedByEpilogue.add(k);
      epilogueSplits.push({
        id: v.id,
        why: {
          rule: "multi-consumer",
          reason: `needed by ${owners.get(shared)!.length} kernels; storing it lets the ${eqns[k.anchor]!.prim} keep it as its epilogue`,
        },
      });
    }
    if (epilogueSplits.length) return epilogueSplits;
    // Reduction prologues index by the reduction's input: data movement goes in its own kernel.
    for (const k of ks) {
      if (k.kind !== "reduction" || k.prologue === 0) continue;
      const moves = [...k.eqns].filter((i) => cat[i] === "move");
      if (moves.length === 0) continue;
      const input = eqns[k.anchor]!.inputs[0] as Var;
      return [
        {
          id: input.id,
          why: {
            rule: "shape",
            reason: `reduction input is computed through ${eqns[moves[0]!]!.prim}: written to memory first`,
          },
        },
      ];
    }
    // Shared values too costly to recompute: the outermost one, and with it every other one whose
    // kernels it does not touch (its decision cannot depend on the first split), so a large
    // program needs a few rounds instead of one per split (each round rebuilds every kernel).
    const shared = [...owners.entries()]
      .filter(([, o]) => o.length > 1)
      .map(([i]) => i)
      .sort((a, b) => b - a);
    const found: { id: number; why: Why }[] = [];
    const touched = new Set<Kernel>();
    for (const i of shared) {
      const v = eqns[i]!.outputs[0]!;
      const copies = owners.get(i)!.length;
      // Cheap rejections first, each walking only as much of the cone as it needs.
      if (!coneExceeds(v.id, Math.floor(RECOMPUTE_MAX_OPS / (copies - 1)))) continue;
      if (touched.size && coneTouches(v.id, owners, touched)) continue;
      const cone = coneOf(v.id);
      const ops = cone.size;
      const mine = new Set<Kernel>();
      for (const j of cone) for (const k of owners.get(j) ?? []) mine.add(k);
      for (const k of mine) touched.add(k);
      found.push({
        id: v.id,
        why: {
          rule: "multi-consumer",
          reason: `needed by ${copies} kernels; recomputing ${ops} ops costs more than storing ${formatBytes(varBytes(v))}`,
        },
      });
    }
    if (found.length) return found;
    for (const k of ks) {
      const io = kernelIO(k);
      const n = io.inputs.length + io.outputs.length;
      if (n <= STORAGE_BUFFER_LIMIT) continue;
      // Split off the fusable op whose cone reads the most buffers while still fitting in one
      // kernel (leaves + its own output), else the largest cone that reads fewer than all.
      let best: { id: number; leaves: number; fits: boolean } | null = null;
      for (const i of k.eqns) {
        if (!fusable(i) || i === k.anchor) continue;
        const id = eqns[i]!.outputs[0]!.id;
        if (materialized.has(id)) continue;
        const leaves = coneLeaves(coneOf(id)).length;
        const fits = leaves + 1 <= STORAGE_BUFFER_LIMIT;
        if (leaves < 2 || leaves >= io.inputs.length) continue;
        if (!best || (fits && !best.fits) || (fits === best.fits && leaves > best.leaves)) best = { id, leaves, fits };
      }
      if (best) {
        return [
          {
            id: best.id,
            why: {
              rule: "buffer-limit",
              reason: `storage buffer limit ${STORAGE_BUFFER_LIMIT}: the kernel would bind ${n} buffers`,
            },
          },
        ];
      }
    }
    return [];
  }

  return scheduleKernels(
    facts,
    kernels.map((k) => ({ ...k, ...kernelIO(k) })),
    materialized,
  );
}

/** Operands a move op reads at most once per output element, so a computed value there can
 *  stay in registers (computed where it is read, never twice): the input of a pad that only
 *  elementwise ops read (the box `x.at("1:-1", "1:-1").set(stencil)` puts back; a pad read by
 *  overlapping slices, as pooling makes, would recompute it per window), a gather's indices,
 *  everything a scatter reads (the array at the output's own coordinates, the indices and
 *  updates once per candidate). */
function readsInPlace(
  e: Eqn,
  a: Var,
  consumers: ReadonlyMap<number, readonly number[]>,
  cat: readonly string[],
): boolean {
  if (e.prim === "scatter") return true;
  if (e.prim === "pad") return (consumers.get(e.outputs[0]!.id) ?? []).every((c) => cat[c] === "ew");
  return e.prim === "gather" && e.inputs[1] === a;
}

function anchorOutputWhy(e: Eqn): Why {
  return { rule: `${category(e.prim)}-output`, reason: `${e.prim} result is written to memory` };
}

export const fusePass: Pass = {
  name: "fuse",
  run(state) {
    const schedule = fuseProgram(state.program, { fuse: !passDisabled("fuse") });
    const fused = schedule.groups.filter((g) => g.eqns.length > 1).length;
    return {
      state: { ...state, schedule },
      changed: true,
      counts: { kernels: schedule.groups.length, "multi-op kernels": fused, boundaries: schedule.boundaries.length },
      ...(passDisabled("fuse") ? { notes: ["turned off (--ablate fuse): every op is its own kernel"] } : {}),
    };
  },
};
