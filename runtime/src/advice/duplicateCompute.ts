// duplicate-compute: two jitted functions called one after the other on the same arrays, each
// computing the same value in a kernel of its own. CSE merges equal ops inside one program, not
// across a jit boundary: `predict(w, x)` then `loss(w, x)` run the forward matmul twice. A kernel
// of the second call is a duplicate when a kernel of the first has the same WGSL and reads the
// same arrays (or the outputs of kernels already matched). Saving: the duplicate kernels' time,
// per call of the second function, times the share of its calls that followed such a call.

import type { Compilation, Hint, KernelReport } from "@jitscope/contract";
import { AdviceContext, FusedGraph, worthShowing } from "./adviceContext.js";
import type { CallInputs } from "./runtimeFacts.js";

export function duplicateCompute(ctx: AdviceContext): Hint[] {
  const byId = new Map(ctx.report.compilations.map((c) => [c.id, c]));
  // Pairs (first, second) of compilations called back to back on shared arrays: how often, and
  // which kernels of the second repeat the first.
  const pairs: { a: Compilation; b: Compilation; count: number; dups: KernelReport[] }[] = [];
  for (const { prev, cur, count } of ctx.facts.callPairs) {
    const a = byId.get(prev.compilation);
    const b = byId.get(cur.compilation);
    if (a && b) pairs.push({ a, b, count, dups: duplicateKernels(ctx, a, b, prev, cur) });
  }
  const hints: Hint[] = [];
  // f then g in a loop is also g then f: one hint per pair of functions, the direction seen most.
  const told = new Set<string>();
  for (const { a, b, count, dups } of pairs.sort((p, q) => q.count - p.count)) {
    const pair = [a.id, b.id].sort().join("+");
    if (dups.length === 0 || told.has(pair)) continue;
    told.add(pair);
    const f = ctx.functionOf(b);
    const calledB = f?.calls ?? count;
    const saving = (dups.reduce((t, k) => t + ctx.callMs(k), 0) * count) / Math.max(1, calledB);
    if (!worthShowing(saving, ctx.callCostMs(b))) continue;
    const first = dups[0]!;
    hints.push({
      kind: "duplicate-compute",
      message:
        `${b.functionName} recomputes ${dups.map((k) => k.name).join(", ")} on the same arrays ${a.functionName} just computed it from ` +
        `(${count} of ${calledB} calls): compute it once (one jitted function returning both results) and pass it on`,
      location: first.locations[0] ?? b.location,
      estimatedSavingMs: saving,
      kernels: dups.map((k) => k.id),
      compilation: b.id,
      details: dups.map(
        (k) => `${k.name}: ${ctx.callMs(k).toFixed(3)} ms per call, same WGSL and inputs as in ${a.functionName}`,
      ),
    });
  }
  return hints;
}

/** Kernels of `b` that repeat a kernel of `a`: same WGSL, and each input the same array or the
 *  output of a kernel already matched (in dispatch order). */
function duplicateKernels(
  ctx: AdviceContext,
  a: Compilation,
  b: Compilation,
  callA: CallInputs,
  callB: CallInputs,
): KernelReport[] {
  const ga = FusedGraph.of(a);
  const gb = FusedGraph.of(b);
  if (!ga || !gb) return [];
  const inputsA = sourcesOf(ga, a, callA);
  const inputsB = sourcesOf(gb, b, callB);
  const matched = new Map<string, string>(); // kernel of b → kernel of a
  const used = new Set<string>();
  const dups: KernelReport[] = [];
  for (const kb of b.kernels) {
    const kernelB = ctx.kernels.get(kb);
    if (!kernelB?.wgsl) continue;
    const srcB = inputsB.get(kb) ?? [];
    for (const ka of a.kernels) {
      const kernelA = ctx.kernels.get(ka);
      if (used.has(ka) || !kernelA || kernelA.wgsl !== kernelB.wgsl) continue;
      const srcA = inputsA.get(ka) ?? [];
      const same =
        srcA.length === srcB.length &&
        srcA.length > 0 &&
        srcB.every((s, i) => (s.startsWith("k:") ? `k:${matched.get(s.slice(2))}` === srcA[i] : s === srcA[i]));
      if (!same) continue;
      matched.set(kb, ka);
      used.add(ka);
      dups.push(kernelB);
      break;
    }
  }
  return dups;
}

/** Each kernel's external inputs, in first-use order: "a:<array id>" for an argument,
 *  "k:<kernel>" for another kernel's output, "?" for anything else (constants). */
function sourcesOf(g: FusedGraph, c: Compilation, call: CallInputs): Map<string, string[]> {
  const inputNodes = g.graph.nodes.filter((n) => n.kind === "input").map((n) => n.id);
  const out = new Map<string, string[]>();
  for (const group of g.graph.groups) {
    const inside = new Set(group.nodes);
    const seen = new Set<string>();
    const list: string[] = [];
    for (const id of group.nodes)
      for (const e of g.inputs(id)) {
        if (inside.has(e.source) || seen.has(e.source)) continue;
        seen.add(e.source);
        const src = g.nodes.get(e.source);
        const pos = inputNodes.indexOf(e.source);
        list.push(
          src?.kind === "input" && pos >= 0 && pos < call.inputs.length
            ? `a:${call.inputs[pos]}`
            : src?.kind === "op" && src.kernel
              ? `k:${src.kernel}`
              : "?",
        );
      }
    if (c.kernels.includes(group.id)) out.set(group.id, list);
  }
  return out;
}
