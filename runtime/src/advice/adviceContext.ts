// What every detector of runtime/src/advice/ reads: the finished report (without hints), the
// device's peaks when calibrated, and the runtime facts the report does not keep (readbacks at
// their source lines, dispatches at their host enqueue times).

import type {
  Compilation,
  DevicePeaks,
  FunctionReport,
  GraphEdge,
  GraphNode,
  Hint,
  KernelReport,
  PassGraph,
  Report,
} from "@jitscope/contract";
import type { HostSync } from "./hostSync.js";
import { roofTimeMs } from "./roofline.js";
import type { CallPair, FeedBackFact } from "./runtimeFacts.js";

export interface AdviceFacts {
  /** The host waiting on the device, at the user's line. */
  syncs: readonly HostSync[];
  /** Every dispatch at its host enqueue time (ms since the run's start), in queue order. */
  dispatches: readonly { kernel: string; start: number }[];
  /** Compiled calls back to back on shared arrays (runtimeFacts.ts). */
  callPairs: readonly CallPair[];
  /** Compiled functions fed their own results, with their bind groups' cost (runtimeFacts.ts). */
  feedBacks?: readonly FeedBackFact[];
  /** The driver's compile of each kernel's pipeline at its first dispatch, ns, by kernel id
   *  (Report.driverCompile's parts). */
  driverCompileNs?: ReadonlyMap<string, number>;
}

export const NO_FACTS: AdviceFacts = { syncs: [], dispatches: [], callPairs: [] };

/** A hint is shown only when it would save at least this much… */
export const MIN_SAVING_MS = 0.05;
/** …and at least this share of what it is about (a call's cost, or the run's wall time). */
export const MIN_SHARE = 0.05;

export function worthShowing(savingMs: number, ofMs: number): boolean {
  return savingMs >= MIN_SAVING_MS && savingMs >= MIN_SHARE * ofMs;
}

export type Detector = (ctx: AdviceContext) => Hint[];

/** The report indexed the ways detectors look things up. */
export class AdviceContext {
  readonly kernels: ReadonlyMap<string, KernelReport>;
  constructor(
    readonly report: Report,
    readonly peaks: DevicePeaks | undefined,
    readonly facts: AdviceFacts,
  ) {
    this.kernels = new Map(report.kernels.map((k) => [k.id, k]));
  }

  /** The GPU time of one dispatch: the kernel's robust total over its dispatches, ms. */
  dispatchMs(k: KernelReport): number {
    return k.dispatches > 0 ? k.totalNs / k.dispatches / 1e6 : k.medianNs / 1e6;
  }

  /** A jit kernel's GPU time per call of its function (a loop body's kernel runs many times). */
  callMs(k: KernelReport): number {
    return this.dispatchMs(k) * (k.loop?.runsPerCall ?? 1);
  }

  /** Bytes per ms to price memory traffic with: the peak bandwidth, or without peaks the best
   *  bandwidth a kernel of this run reached (a measured lower bound of the peak). */
  bytesPerMs(): number {
    if (this.peaks) return this.peaks.gbPerS * 1e6;
    const best = Math.max(0, ...this.report.kernels.filter((k) => k.totalNs > 0).map((k) => k.gbPerS));
    return best * 1e6;
  }

  /** Time to move `bytes` at `bytesPerMs()`, ms; and what to append to a message saying so. */
  bytesMs(bytes: number): number {
    const rate = this.bytesPerMs();
    return rate > 0 ? bytes / rate : 0;
  }

  get pricedNote(): string {
    return this.peaks ? "" : " (no device peaks: bytes priced at the best bandwidth a kernel reached in this run)";
  }

  /** Host time from the first to the last enqueue of these kernels' dispatches, ms: the stretch
   *  of the run they were spread over, including whatever ran between them. */
  dispatchSpanMs(kernels: ReadonlySet<string>): number {
    let first = Infinity;
    let last = -Infinity;
    for (const d of this.facts.dispatches) {
      if (!kernels.has(d.kernel)) continue;
      first = Math.min(first, d.start);
      last = Math.max(last, d.start);
    }
    return last > first ? last - first : 0;
  }

  /** What the host spent per dispatch of these kernels, ms: the median time from one of their
   *  enqueues to the next enqueue of any kernel. A median, so a pause between two loops (host
   *  work that dispatched nothing) is not counted as dispatching; null without such intervals. */
  hostMsPerDispatch(kernels: ReadonlySet<string>): number | null {
    const gaps: number[] = [];
    const ds = this.facts.dispatches;
    for (let i = 0; i + 1 < ds.length; i++) {
      if (kernels.has(ds[i]!.kernel)) gaps.push(Math.max(0, ds[i + 1]!.start - ds[i]!.start));
    }
    if (gaps.length === 0) return null;
    gaps.sort((a, b) => a - b);
    const mid = gaps.length >> 1;
    return gaps.length % 2 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2;
  }

  /** The least time the roofline allows a kernel per dispatch (without peaks: its bytes at the
   *  best measured bandwidth), ms. */
  roofMs(k: KernelReport): number {
    return this.peaks ? roofTimeMs(k, this.peaks) : this.bytesMs(k.bytesRead + k.bytesWritten);
  }

  /** The roofline's time for one call of a compilation: its kernels' roofs summed, ms. A model,
   *  not a measurement: gating on it keeps timing noise from deciding whether a hint shows. */
  modelCallMs(c: Compilation): number {
    let ms = 0;
    for (const id of c.kernels) {
      const k = this.kernels.get(id);
      if (k) ms += this.roofMs(k) * (k.loop?.runsPerCall ?? 1);
    }
    return ms;
  }

  /** The function a compilation belongs to. */
  functionOf(c: Compilation): FunctionReport | undefined {
    return this.report.functions.find((f) => f.compilations.includes(c.id));
  }

  /** The cost of one call of the compilation's function, ms (its GPU part when no cost). */
  callCostMs(c: Compilation): number {
    const f = this.functionOf(c);
    return f?.cost?.ms ?? f?.gpuMsPerCall ?? 0;
  }
}

/** The `fuse` snapshot's graph, indexed: node by id, edges into and out of a node. */
export class FusedGraph {
  readonly nodes = new Map<string, GraphNode>();
  private readonly into = new Map<string, GraphEdge[]>();
  private readonly outOf = new Map<string, GraphEdge[]>();

  constructor(readonly graph: PassGraph) {
    for (const n of graph.nodes) this.nodes.set(n.id, n);
    for (const e of graph.edges) {
      push(this.into, e.target, e);
      push(this.outOf, e.source, e);
    }
  }

  static of(c: Compilation): FusedGraph | null {
    const snap = c.passes.find((p) => p.name === "fuse");
    return snap ? new FusedGraph(snap.graph) : null;
  }

  inputs(id: string): GraphEdge[] {
    return this.into.get(id) ?? [];
  }

  outputs(id: string): GraphEdge[] {
    return this.outOf.get(id) ?? [];
  }

  /** Whether autodiff's transpose rules wrote the node (the backward pass): the user's line did
   *  not ask for its layout, so advice about it would name nothing they can change. */
  isDerived(n: GraphNode): boolean {
    return n.nameStack.includes("transpose");
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

export const shapeText = (shape: readonly number[]): string => `[${shape.join(",")}]`;
export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
