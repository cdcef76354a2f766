// Builds the kernels for the values stored so far: one per anchor (reduction, matmul, sort,
// loop) with, for a reduction, its input's cone as a prologue; one per stored computed value (its
// cone), unless an anchor whose result the cone reads takes it in as an epilogue; then merges
// kernels that may share a dispatch (fuseMerge.ts).

import type { KernelKind } from "../codegen/kernelPlan.js";
import { sameShape } from "../ir/types.js";
import { mergeKernels } from "./fuseMerge.js";
import type { Kernel, Round } from "./fuseKernelModel.js";

/** `fuse: false` (--ablate fuse): no epilogues, no merges. */
export function buildKernels(round: Round, bufferLimit: number, fuse = true): Kernel[] {
  const { facts, cones } = round;
  const { eqns, producer, cat } = facts;
  const ks: Kernel[] = [];
  const anchorKernel = new Map<number, Kernel>(); // anchor output var id → kernel
  eqns.forEach((e, i) => {
    const c = cat[i];
    if (cones.fusable(i)) return;
    const kind: KernelKind =
      c === "reduce"
        ? "reduction"
        : c === "sort"
          ? "sort"
          : c === "linalg"
            ? "linalg"
            : c === "loop"
              ? "loop"
              : e.prim === "conv"
                ? "conv"
                : "matmul";
    const k: Kernel = {
      eqns: new Set([i]),
      kind,
      anchor: i,
      roots: e.outputs.map((o) => o.id),
      prologue: 0,
      epilogue: 0,
    };
    // Prologues: a reduction's computed input; a matmul's operands moved in place.
    for (const x of c === "reduce" ? [e.inputs[0]] : c === "loop" ? [] : e.inputs) {
      if (x?.kind !== "var" || cones.materialized.has(x.id) || !cones.computed(x.id)) continue;
      const cone = cones.coneOf(x.id);
      k.prologue += cone.size;
      for (const j of cone) k.eqns.add(j);
    }
    ks.push(k);
    if ((c === "reduce" || c === "matmul") && e.outputs.length === 1) anchorKernel.set(e.outputs[0]!.id, k);
  });
  // Elementwise roots: materialized values computed by fusable ops.
  const rootCones: { id: number; cone: Set<number> }[] = [];
  for (const id of cones.materialized.keys()) if (cones.computed(id)) rootCones.push({ id, cone: cones.coneOf(id) });
  rootCones.sort((a, b) => producer.get(a.id)! - producer.get(b.id)!);
  // How many kernels compute each op: an anchor's result can stay in registers only when every
  // op reading it is computed by the epilogue alone (a copy recomputed elsewhere would need it).
  const copies = new Map<number, number>();
  for (const set of [...ks.map((k) => k.eqns), ...rootCones.map((r) => r.cone)])
    for (const i of set) copies.set(i, (copies.get(i) ?? 0) + 1);
  for (const { id, cone } of rootCones) {
    const host = fuse ? epilogueHost(round, id, cone, anchorKernel, copies) : null;
    if (host) {
      for (const j of cone) host.eqns.add(j);
      host.epilogue += cone.size;
      host.roots = [id];
      continue;
    }
    ks.push({ eqns: cone, kind: "elementwise", anchor: -1, roots: [id], prologue: 0, epilogue: 0 });
  }
  const merged = fuse ? mergeKernels(round, ks, bufferLimit) : ks;
  // A kernel that only moves data (transpose, slice, pad, concatenate) is a layout kernel.
  for (const k of merged) {
    if (k.anchor >= 0) continue;
    let move = false,
      ew = false;
    for (const i of k.eqns) {
      if (cat[i] === "move") move = true;
      else if (cat[i] === "ew") ew = true;
    }
    k.kind = move && !ew ? "layout" : "elementwise";
  }
  return merged;
}

/** The reduction/matmul kernel that can take `cone` (ending at root `id`) as its epilogue. */
function epilogueHost(
  round: Round,
  id: number,
  cone: Set<number>,
  anchorKernel: Map<number, Kernel>,
  copies: Map<number, number>,
): Kernel | null {
  const { facts, cones } = round;
  const { producer, vars, outputIds, consumers, cat } = facts;
  const root = vars.get(id)!;
  // A reshape as the cone's last op: a matmul stores each result element at its flat index,
  // which the reshape keeps, so it stores the reshaped value as it is (x @ w with w of shape
  // [d]: the [M, 1] product stored as [M]; lowerMatmul.ts). `body`: the cone without it.
  const last = producer.get(id)!;
  const lastEqn = facts.eqns[last]!;
  const reshapeLast = lastEqn.prim === "reshape" && lastEqn.inputs[0]?.kind === "var" ? last : -1;
  const body = reshapeLast >= 0 ? new Set([...cone].filter((i) => i !== reshapeLast)) : cone;
  const resultShape = reshapeLast >= 0 ? lastEqn.inputs[0]!.aval.shape : root.aval.shape;
  // Only an anchor whose result the cone reads can host it (earliest anchor first).
  const leaves = cones.leaves(cone);
  const candidates = leaves.filter((l) => anchorKernel.has(l)).sort((a, b) => producer.get(a)! - producer.get(b)!);
  for (const oid of candidates) {
    const k = anchorKernel.get(oid)!;
    const o = vars.get(oid)!;
    if (reshapeLast >= 0 && facts.eqns[k.anchor]!.prim !== "matmul") continue;
    if (outputIds.has(oid) || k.epilogue > 0 || !sameShape(o.aval.shape, resultShape)) continue;
    const uses = consumers.get(oid) ?? [];
    const epilogueOp = (u: number) => cat[u] === "ew" || u === reshapeLast;
    if (uses.length === 0 || !uses.every((u) => cone.has(u) && epilogueOp(u) && copies.get(u) === 1)) continue;
    if ([...cone].some((i) => cat[i] === "move")) continue; // epilogues index by output only
    if (round.refuseViewedResult(oid, body)) continue;
    // No other input of the cone may depend on the anchor through another kernel (a cycle).
    if (leaves.some((leaf) => leaf !== oid && cones.dependsOn(leaf, oid))) continue;
    round.absorbed.add(oid);
    return k;
  }
  return null;
}
