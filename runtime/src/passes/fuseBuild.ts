// Builds the kernels for the values stored so far: one per anchor (reduction, matmul, sort,
// loop) with, for a reduction, its input's cone as a prologue; one per stored computed value (its
// cone), unless an anchor whose result the cone reads takes it in as an epilogue; then merges
// kernels that may share a dispatch (fuseMerge.ts).

import type { KernelKind } from "../codegen/kernelPlan.js";
import { storedThrough } from "../codegen/stridedView.js";
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
              ? facts.recurrent.has(i)
                ? "recurrence"
                : "loop"
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
    // Prologues: a reduction's computed input; a matmul's operands moved in place; the fills a
    // recurrence starts from.
    for (const x of c === "reduce" ? [e.inputs[0]] : kind === "loop" ? [] : e.inputs) {
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
  const copies = new Int32Array(eqns.length);
  for (const k of ks) for (const i of k.eqns) copies[i]!++;
  for (const r of rootCones) for (const i of r.cone) copies[i]!++;
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
  copies: Int32Array,
): Kernel | null {
  const { facts, cones } = round;
  const { producer, vars, outputIds, consumers, cat } = facts;
  const root = vars.get(id)!;
  // Reshapes and transposes as the cone's last ops (its tail): a matmul stores each result
  // element where the tail puts it, at a strided view of the output (x @ w with w of shape [d]:
  // the [M, 1] product stored as [M]; attention's heads merged back, [B, H, T, d] stored as
  // [B, T, H·d]; lowerMatmul.ts). `body`: the cone without its tail.
  const tail = storedTail(round, id, cone);
  const body = tail.length ? new Set([...cone].filter((i) => !tail.includes(i))) : cone;
  const resultShape = tail.length ? facts.eqns[tail[0]!]!.inputs[0]!.aval.shape : root.aval.shape;
  // Only an anchor whose result the cone reads can host it (earliest anchor first).
  const leaves = cones.leaves(cone);
  const candidates = leaves.filter((l) => anchorKernel.has(l)).sort((a, b) => producer.get(a)! - producer.get(b)!);
  for (const oid of candidates) {
    const k = anchorKernel.get(oid)!;
    const o = vars.get(oid)!;
    if (tail.length && facts.eqns[k.anchor]!.prim !== "matmul") continue;
    if (outputIds.has(oid) || k.epilogue > 0 || !sameShape(o.aval.shape, resultShape)) continue;
    const uses = consumers.get(oid) ?? [];
    const epilogueOp = (u: number) => cat[u] === "ew" || u === tail[0];
    if (uses.length === 0 || !uses.every((u) => cone.has(u) && epilogueOp(u) && copies[u] === 1)) continue;
    if ([...body].some((i) => cat[i] === "move")) continue; // epilogues index by output only
    if (round.refuseViewedResult(oid, body)) continue;
    // No other input of the cone may depend on the anchor through another kernel (a cycle).
    if (leaves.some((leaf) => leaf !== oid && cones.dependsOn(leaf, oid))) continue;
    round.absorbed.add(oid);
    return k;
  }
  return null;
}

/** The reshapes and transposes that end `cone` (root `id`), in program order: each reads the one
 *  before it (read by nothing else), and together they keep every element (a strided view of
 *  the stored value, codegen/stridedView.ts storedThrough). Empty when there are none. */
function storedTail(round: Round, id: number, cone: Set<number>): number[] {
  const { producer, consumers, eqns } = round.facts;
  const tail: number[] = [];
  for (let v = id; ;) {
    const p = producer.get(v);
    const e = p === undefined ? undefined : eqns[p]!;
    const src = e?.inputs[0];
    if (!e || !cone.has(p!) || (e.prim !== "reshape" && e.prim !== "transpose") || src?.kind !== "var") break;
    tail.unshift(p!);
    if ((consumers.get(src.id) ?? []).length !== 1) break;
    v = src.id;
  }
  // (It starts at the first value read by more than the next op: that value is stored as is.)
  const chain = tail.map((i) => eqns[i]!);
  return chain.length && storedThrough(chain[0]!.inputs[0]!.aval.shape, chain) ? tail : [];
}
