// The second half of fuse: puts the chosen kernels in dispatch order, names them k0, k1, …,
// says what each one is ("reduction (reduce_sum) with prologue (4 ops)") and explains every
// edge that crosses a kernel boundary ("reduction result is broadcast back over axis 1").

import type { FusionGroup, KernelKind, ScheduledProgram } from "../codegen/kernelPlan.js";
import type { FusionBoundary } from "@jitscope/contract";
import type { Eqn, Primitive, ScanParams, Var, WhileParams } from "../ir/types.js";
import { sortsBitonic } from "../codegen/lowerSort.js";
import { oneThreadPerMatrix } from "../codegen/lowerLinalg.js";
import { recurrenceMode } from "../codegen/recurrence.js";
import { FIRST_CHUNK, MAX_CHUNK } from "../codegen/whileControl.js";
import { opNodeId } from "@jitscope/contract";
import { formatShape as shapeText } from "@jitscope/contract";
import { avalBytes, sameShape } from "../ir/types.js";
import type { ProgramFacts, Why } from "./fuseFacts.js";

/** How the sort kernel sorts (codegen/lowerSort.ts decides by the same function). */
function sortReason(sort: Eqn): string {
  return sortsBitonic(sort) ? "sort (a bitonic network, a workgroup per row)" : "sort (rank by counting along the row)";
}

const INDEXING: ReadonlySet<Primitive> = new Set(["gather", "scatter", "scatter_sorted"]);

/** A kernel as fuse decided it: equation indices, its anchor, and what it reads and writes. */
export interface PlannedKernel {
  readonly eqns: ReadonlySet<number>;
  readonly kind: KernelKind;
  /** Index of the reduction/matmul equation, or -1. */
  readonly anchor: number;
  readonly prologue: number;
  readonly epilogue: number;
  readonly inputs: readonly number[]; // var ids read from memory
  readonly outputs: readonly number[]; // var ids written to memory
}

export function scheduleKernels(
  facts: ProgramFacts,
  kernels: readonly PlannedKernel[],
  materialized: ReadonlyMap<number, Why>,
): ScheduledProgram {
  const { program, eqns, producer, consumers, vars, cat, outputIds } = facts;
  const writer = new Map<number, PlannedKernel>();
  for (const k of kernels) for (const id of k.outputs) writer.set(id, k);
  const depsOf = (k: PlannedKernel): PlannedKernel[] =>
    k.inputs.flatMap((id) => {
      const w = writer.get(id);
      return w && w !== k ? [w] : [];
    });

  // Topological order; among ready kernels, the one whose first op comes first in the program
  // (a ready list kept sorted by first op, instead of rescanning every kernel for each pick).
  const first = new Map(kernels.map((k) => [k, minOf(k.eqns)]));
  const byFirst = [...kernels].sort((a, b) => first.get(a)! - first.get(b)!);
  const rank = new Map(byFirst.map((k, n) => [k, n]));
  const waiting = new Map<PlannedKernel, number>(); // unplaced dependencies
  const dependents = new Map<PlannedKernel, PlannedKernel[]>();
  for (const k of kernels) {
    const deps = new Set(depsOf(k));
    waiting.set(k, deps.size);
    for (const d of deps) {
      const list = dependents.get(d);
      if (list) list.push(k);
      else dependents.set(d, [k]);
    }
  }
  const ready = new MinHeap<PlannedKernel>((a, b) => rank.get(a)! - rank.get(b)!);
  for (const k of kernels) if (waiting.get(k) === 0) ready.push(k);
  const order: PlannedKernel[] = [];
  const placed = new Set<PlannedKernel>();
  let next = 0; // the first unplaced kernel by first op: taken when none is ready (a cycle)
  while (order.length < kernels.length) {
    let k = ready.pop();
    if (!k) {
      while (placed.has(byFirst[next]!)) next++;
      k = byFirst[next]!;
    }
    if (placed.has(k)) continue;
    order.push(k);
    placed.add(k);
    for (const d of dependents.get(k) ?? []) {
      const n = waiting.get(d)! - 1;
      waiting.set(d, n);
      if (n === 0 && !placed.has(d)) ready.push(d);
    }
  }

  // An op shared by several kernels is computed by the first and recomputed by the later ones.
  const computedBy = new Set<number>();
  const recomputed = new Map<PlannedKernel, number[]>();
  for (const k of order) {
    const again: number[] = [];
    for (const i of [...k.eqns].sort((a, b) => a - b)) {
      if (computedBy.has(i)) again.push(i);
      else computedBy.add(i);
    }
    recomputed.set(k, again);
  }

  const groups: FusionGroup[] = order.map((k, n) => ({
    id: `k${n}`,
    kind: k.kind,
    eqns: [...k.eqns].sort((a, b) => a - b).map((i) => eqns[i]!),
    inputs: k.inputs.map((id) => vars.get(id)!),
    outputs: k.outputs.map((id) => vars.get(id)!),
    reason: groupReason(k, recomputed.get(k)!),
  }));
  const groupOf = new Map(order.map((k, n) => [k, groups[n]!]));
  const readCount = new Map<number, number>(); // var id → kernels reading it from memory
  for (const g of groups) for (const v of new Set(g.inputs)) readCount.set(v.id, (readCount.get(v.id) ?? 0) + 1);

  function groupReason(k: PlannedKernel, again: readonly number[]): string {
    const rec = again.length
      ? `; recomputes ${[...new Set(again.map((i) => eqns[i]!.prim))].join(", ")} instead of reading it from memory`
      : "";
    if (k.kind === "layout") {
      const moves = [...new Set([...k.eqns].sort((a, b) => a - b).map((i) => eqns[i]!.prim))];
      return `${moves.join(", ")} (layout change)${rec}`;
    }
    if (k.kind === "elementwise") {
      const n = [...k.eqns].filter((i) => cat[i] === "ew").length;
      const outs = k.outputs.length;
      // Indexing reads and writes by computed positions: the kernel's cost is theirs, so say so.
      const indexing = [
        ...new Set(
          [...k.eqns]
            .sort((a, b) => a - b)
            .map((i) => eqns[i]!.prim)
            .filter((p) => INDEXING.has(p)),
        ),
      ];
      const through = indexing.length ? `, indexed by ${indexing.join(" and ")}` : "";
      return `elementwise chain of ${n} op${n === 1 ? "" : "s"}${through}${outs > 1 ? ` with ${outs} outputs` : ""}${rec}`;
    }
    const anchor = eqns[k.anchor]!.prim;
    if (k.kind === "loop") return loopReason(eqns[k.anchor]!);
    if (k.kind === "recurrence") return recurrenceReason(eqns[k.anchor]!);
    const parts: string[] = [];
    if (k.prologue) parts.push(`prologue (${k.prologue} op${k.prologue === 1 ? "" : "s"})`);
    if (k.epilogue) parts.push(`epilogue (${k.epilogue} op${k.epilogue === 1 ? "" : "s"})`);
    const base =
      k.kind === "matmul" || k.kind === "conv"
        ? anchor
        : k.kind === "sort"
          ? sortReason(eqns[k.anchor]!)
          : k.kind === "linalg"
            ? `${anchor} (one ${oneThreadPerMatrix(eqns[k.anchor]!) ? "thread" : "workgroup"} per matrix)`
            : `reduction (${anchor})`;
    return `${base}${parts.length ? ` with ${parts.join(" and ")}` : ""}${rec}`;
  }

  const boundaries: FusionBoundary[] = [];
  order.forEach((k, n) => {
    const g = groups[n]!;
    for (const v of g.inputs) {
      const p = producer.get(v.id);
      const w = writer.get(v.id);
      if (p === undefined || !w) continue;
      for (const c of [...k.eqns].sort((a, b) => a - b)) {
        if (!eqns[c]!.inputs.some((a) => a.kind === "var" && a.id === v.id)) continue;
        const why = boundaryWhy(v, p, c);
        boundaries.push({
          from: opNodeId(eqns[p]!.id),
          to: opNodeId(eqns[c]!.id),
          fromKernel: groupOf.get(w)!.id,
          toKernel: g.id,
          rule: why.rule,
          reason: why.reason,
          // The producer writes the tensor and the consumer reads it back (README "boundary cost").
          bytes: 2 * avalBytes(v.aval),
        });
      }
    }
  });

  function boundaryWhy(v: Var, p: number, c: number): Why {
    const pc = cat[p];
    if (pc !== "reduce" && pc !== "matmul") {
      const stored = materialized.get(v.id) ?? { rule: "other", reason: "written to memory" };
      // The value is stored for a matmul elsewhere; this edge is another reader of that copy.
      if (stored.rule === "matmul-operand" && cat[c] !== "matmul") {
        return {
          rule: stored.rule,
          reason: `written to memory as a matmul operand; ${eqns[c]!.prim} reads it back from there`,
        };
      }
      return stored;
    }
    const consumer = eqns[c]!;
    const what = pc === "reduce" ? "reduction" : eqns[p]!.prim;
    if (cat[c] === "view") {
      const axes = broadcastAxes(c);
      if (axes.length)
        return { rule: `${what}-broadcast`, reason: `${what} result is broadcast back over axis ${axes.join(", ")}` };
    }
    if (outputIds.has(v.id))
      return {
        rule: "output",
        reason: `program output: the ${eqns[p]!.prim} result is written to memory and read back by ${consumer.prim}`,
      };
    const kernelsReading = readCount.get(v.id) ?? 0;
    if (kernelsReading > 1)
      return { rule: "multi-consumer", reason: `${eqns[p]!.prim} result is needed by ${kernelsReading} kernels` };
    if (cat[c] === "reduce" || cat[c] === "matmul" || cat[c] === "loop") {
      return {
        rule: "anchor-input",
        reason: `${eqns[p]!.prim} result feeds a ${consumer.prim}, which starts its own kernel`,
      };
    }
    const outShape = consumer.outputs[0]!.aval.shape;
    if (sameShape(outShape, v.aval.shape)) {
      return {
        rule: "multi-consumer",
        reason: `${eqns[p]!.prim} result is also read by ${consumer.prim} in another kernel, so it is written to memory`,
      };
    }
    return {
      rule: "shape",
      reason: `${eqns[p]!.prim} result ${shapeText(v.aval.shape)} is used at shape ${shapeText(outShape)}`,
    };
  }

  /** The output axes a view chain starting at eqn `c` broadcasts over (following reshapes). */
  function broadcastAxes(c: number): number[] {
    let i = c;
    for (let hops = 0; hops < 4; hops++) {
      const e = eqns[i]!;
      if (e.prim === "broadcast") {
        const { shape, dims } = e.params as { shape: number[]; dims: number[] };
        const inShape = e.inputs[0]!.aval.shape;
        return shape
          .map((_, ax) => ax)
          .filter((ax) => {
            const j = dims.indexOf(ax);
            return j < 0 || (inShape[j] === 1 && shape[ax]! > 1);
          });
      }
      const next = consumers.get(e.outputs[0]!.id);
      if (e.prim !== "reshape" || !next || next.length !== 1) return [];
      i = next[0]!;
    }
    return [];
  }

  return { program, groups, boundaries };
}

/** A recurrence kernel's group (codegen/recurrence.ts): why one kernel runs every step. */
function recurrenceReason(e: Eqn): string {
  const p = e.params as ScanParams;
  const mode = recurrenceMode(e);
  const how =
    mode?.kind === "unrolled"
      ? `its state is small, so one invocation runs every step with the body unrolled (${mode.work} scalar ops a step) in registers`
      : `its body (${p.body.eqns.length} ops) is elementwise, so each of ${mode?.lanes ?? 0} invocation${mode?.lanes === 1 ? "" : "s"} carries its element through every step in registers`;
  return `scan × ${p.length} as one recurrence kernel: ${how} (one dispatch, not ${p.length})`;
}

/** A loop's group: what runs per iteration, in words. */
function loopReason(e: Eqn): string {
  if (e.prim === "scan") {
    const p = e.params as ScanParams;
    return `scan × ${p.length}: its body (${p.body.eqns.length} ops) is compiled to kernels once and run on every iteration`;
  }
  const p = e.params as WhileParams;
  // How backend/webgpuWhile.ts runs it (the CPU backend simply loops): why no readback per step.
  return (
    `while_loop: condition (${p.cond.eqns.length} ops) and body (${p.body.eqns.length} ops) compiled to kernels once; ` +
    `on WebGPU the condition runs on the device, the body is dispatched indirectly, flag read every K iterations ` +
    `(K = ${FIRST_CHUNK}, doubling to ${MAX_CHUNK}): a jitted call returns before the trip count is known, so the device ` +
    `decides each step and the host reads one flag per chunk instead of one per iteration`
  );
}

function minOf(set: ReadonlySet<number>): number {
  let m = Infinity;
  for (const x of set) if (x < m) m = x;
  return m;
}

/** A binary min-heap. */
class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => number) {}

  push(x: T): void {
    const a = this.items;
    a.push(x);
    for (let i = a.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (this.less(a[i]!, a[p]!) >= 0) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }

  pop(): T | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length) {
      a[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1,
          r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!) < 0) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!) < 0) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}
