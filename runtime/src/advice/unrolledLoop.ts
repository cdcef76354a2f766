// unrolled-loop: a JS loop inside a jitted function runs at trace time, so its body is traced,
// simplified, fused and lowered once per iteration: an RNN over 32 steps is 32 copies of the
// cell in one program (1,262 ops for the fixture's training step, 857 ms to compile). Written as
// lax.scan (or fori_loop), the body compiles once. The trace records each iteration as an
// instance of the scope around it (`…/#1`, `…/#2`, …): a family of 8 or more instances of
// about the same size, each feeding the next, is such a loop. Saving: the compile cost (passes,
// driver, first runs: as `recompile` counts it) of all but one instance, by their share of the
// ops, spread over the function's calls in this run (one-time work: a longer run saves the same
// milliseconds once).

import type { Compilation, GraphNode, Hint } from "@jitscope/contract";
import { AdviceContext, worthShowing } from "./adviceContext.js";
import { compilationCostMs } from "./recompile.js";

/** Fewer iterations than this is a few layers written out, not a loop worth a scan. */
export const UNROLLED_MIN = 8;

export interface InstanceFamily {
  /** The scope path the instances sit in: "trainStep/grad(loss)". */
  scope: string;
  /** Ops of each instance, by instance number. */
  ops: Map<number, GraphNode[]>;
}

/** Op families by the first instance segment (`#k`) of their name stacks. */
export function instanceFamilies(nodes: readonly GraphNode[]): InstanceFamily[] {
  const families = new Map<string, InstanceFamily>();
  for (const n of nodes) {
    if (n.kind !== "op") continue;
    const at = n.nameStack.findIndex((s) => /^#\d+$/.test(s));
    if (at < 0) continue;
    const scope = n.nameStack.slice(0, at).join("/");
    const k = Number(n.nameStack[at]!.slice(1));
    const f = families.get(scope) ?? families.set(scope, { scope, ops: new Map() }).get(scope)!;
    (f.ops.get(k) ?? f.ops.set(k, []).get(k)!).push(n);
  }
  return [...families.values()];
}

/** Whether a family is an unrolled loop: enough instances, alike in size (the median's within
 *  a quarter for three in four), and most feeding the next one (a loop-carried value). */
export function isUnrolledLoop(f: InstanceFamily, edges: readonly { source: string; target: string }[]): boolean {
  const sizes = [...f.ops.values()].map((ops) => ops.length).sort((a, b) => a - b);
  if (sizes.length < UNROLLED_MIN) return false;
  const median = sizes[sizes.length >> 1]!;
  const alike = sizes.filter((s) => Math.abs(s - median) <= median / 4).length;
  if (alike < 0.75 * sizes.length) return false;
  const instanceOf = new Map<string, number>();
  for (const [k, ops] of f.ops) for (const o of ops) instanceOf.set(o.id, k);
  const carried = new Set<number>();
  for (const e of edges) {
    const a = instanceOf.get(e.source);
    const b = instanceOf.get(e.target);
    if (a !== undefined && b !== undefined && b === a + 1) carried.add(a);
  }
  return carried.size >= (f.ops.size - 1) / 2;
}

/** Whether fusion merged most of the loop's kernels across iterations: then the unrolled
 *  program runs fewer kernels than a scan's body would, a gain on every call that a scan gives
 *  up, and compile time alone does not decide (the heat fixture's 8 stencil steps: 8 of its 9
 *  kernels hold ops of two or more steps; the unrolled RNN: 47 of 353, where a step's matmuls
 *  stop fusion). */
export function fusesAcrossIterations(
  scope: string,
  fused: { nodes: readonly GraphNode[]; groups: readonly { nodes: readonly string[] }[] },
): boolean {
  const depth = scope === "" ? 0 : scope.split("/").length;
  const instance = new Map<string, string>();
  for (const n of fused.nodes) {
    const seg = n.nameStack[depth];
    if (n.kind !== "op" || seg === undefined || !/^#\d+$/.test(seg)) continue;
    if (n.nameStack.slice(0, depth).join("/") === scope) instance.set(n.id, seg);
  }
  let touching = 0;
  let spanning = 0;
  for (const g of fused.groups) {
    const seen = new Set(g.nodes.map((id) => instance.get(id)).filter((k) => k !== undefined));
    if (seen.size > 0) touching++;
    if (seen.size > 1) spanning++;
  }
  return spanning * 2 >= touching && touching > 0;
}

export function unrolledLoop(ctx: AdviceContext): Hint[] {
  const hints: Hint[] = [];
  const byId = new Map(ctx.report.compilations.map((c) => [c.id, c]));
  for (const f of ctx.report.functions) {
    if (f.calls === 0) continue;
    // The latest compilation: what the function runs now.
    const c = byId.get(f.compilations[f.compilations.length - 1] ?? "");
    if (!c || c.library === true) continue;
    const hint = hintFor(ctx, c, f.calls, f.cost?.ms ?? f.msPerCall);
    if (hint) hints.push(hint);
  }
  return hints;
}

function hintFor(ctx: AdviceContext, c: Compilation, calls: number, callMs: number): Hint | null {
  const traced = c.passes[0]?.graph;
  if (!traced) return null;
  const totalOps = traced.nodes.filter((n) => n.kind === "op").length;
  const fused = c.passes.find((p) => p.name === "fuse")?.graph;
  const loops = instanceFamilies(traced.nodes).filter(
    (f) => isUnrolledLoop(f, traced.edges) && !(fused && fusesAcrossIterations(f.scope, fused)),
  );
  if (loops.length === 0 || totalOps === 0) return null;
  // The biggest: the one whose copies cost the most compile time.
  const sizeOf = (f: InstanceFamily) => [...f.ops.values()].reduce((n, ops) => n + ops.length, 0);
  const loop = loops.sort((a, b) => sizeOf(b) - sizeOf(a))[0]!;
  const n = loop.ops.size;
  const inLoop = sizeOf(loop);
  // The compile passes, the driver's compile of the kernels' pipelines and their slower first
  // runs (recompile.ts), shared over the ops: lavapipe compiles each kernel of the copies anew
  // (their slices' offsets differ), and that was most of it (48 copies of a cell: 200 ms of
  // passes, 0.5 s a call of four on the whole).
  const compileMs = compilationCostMs(ctx, c);
  const avoidableMs = (compileMs * inLoop * (n - 1)) / n / totalOps;
  const saving = avoidableMs / calls;
  if (!worthShowing(saving, callMs)) return null;
  const first = Math.min(...loop.ops.keys());
  // A function called once an iteration (`h = cell(h, x)`): the line of its call, in the loop.
  // Under a transformation (`grad(loss)/#3`) no call site is the loop's: its first op's line.
  const site = /\(/.test(loop.scope.split("/").at(-1) ?? "") ? undefined : c.scopeSites?.[`${loop.scope}/#${first}`];
  const location = site ?? loop.ops.get(first)!.find((o) => o.location)?.location ?? c.location;
  const perIteration = Math.round(inLoop / n);
  return {
    kind: "unrolled-loop",
    message:
      `${c.functionName} unrolls a JS loop of ${n} iterations at trace time (${inLoop.toLocaleString("en-US")} of its ` +
      `${totalOps.toLocaleString("en-US")} ops; compiling took ${compileMs.toFixed(0)} ms): every iteration is traced, fused and ` +
      `compiled anew; write it as lax.scan (or lax.fori_loop) and its body compiles once`,
    location,
    estimatedSavingMs: saving,
    compilation: c.id,
    details: [
      `${n} iterations of about ${perIteration} ops each, in ${loop.scope || "the function"}`,
      `compiling (passes, the driver's pipelines, first runs): ${compileMs.toFixed(0)} ms for ${totalOps} ops; the ${n - 1} copies past the first are ${avoidableMs.toFixed(0)} ms of it`,
      `saving counted per call of this run's ${calls}: compiling is done once, so a longer run saves the same ${avoidableMs.toFixed(0)} ms once`,
    ],
  };
}
