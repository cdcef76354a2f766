// The values the built kernels still ask to be stored, in order of priority: an op several
// kernels recompute that reads an anchor's result (storing it keeps the result in the anchor's
// epilogue), a reduction prologue with data movement, a shared value too costly to recompute,
// and a kernel over the storage buffer limit. fuse.ts stores them and builds again until none is
// left; after fuseSweep.ts has decided the shared values, the first check usually finds none.

import { formatBytes } from "@jitscope/contract";
import { sameShape, type Var } from "../ir/types.js";
import { varBytes, type Why } from "./fuseFacts.js";
import { isAnchorKernel, type Kernel, type Round } from "./fuseKernelModel.js";

export interface Split {
  id: number;
  why: Why;
}

export function needsSplit(round: Round, ks: readonly Kernel[], recomputeMaxOps: number, bufferLimit: number): Split[] {
  const owners = ownersOf(ks);
  const epilogue = epilogueSplits(round, ks, owners);
  if (epilogue.length) return epilogue;
  const move = moveSplit(round, ks);
  if (move) return [move];
  const shared = sharedSplits(round, owners, recomputeMaxOps);
  if (shared.length) return shared;
  return bufferSplits(round, ks, bufferLimit, owners);
}

/** Eqn index → the kernels computing it. */
function ownersOf(ks: readonly Kernel[]): Map<number, Kernel[]> {
  const owners = new Map<number, Kernel[]>();
  for (const k of ks)
    for (const i of k.eqns) {
      const list = owners.get(i);
      if (list) list.push(k);
      else owners.set(i, [k]);
    }
  return owners;
}

export function epilogueSplits(round: Round, ks: readonly Kernel[], owners = ownersOf(ks)): Split[] {
  const { eqns, consumers, cat, outputIds } = round.facts;
  // An anchor result read by an op that several kernels recompute would have to be stored;
  // storing that op's result instead keeps the anchor's result in registers (its epilogue).
  // Every anchor's split is taken at once: storing one such value only shortens the other
  // anchors' consumers' cones, never makes their value unshared.
  const epilogueSplits: Split[] = [];
  for (const k of ks) {
    if (!isAnchorKernel(k) || k.epilogue > 0) continue;
    const o = eqns[k.anchor]!.outputs[0]!;
    if (outputIds.has(o.id)) continue;
    const uses = consumers.get(o.id) ?? [];
    if (!uses.every((u) => cat[u] === "ew" && sameShape(eqns[u]!.outputs[0]!.aval.shape, o.aval.shape))) continue;
    const shared = uses.find(
      (u) => (owners.get(u)?.length ?? 0) > 1 && !round.cones.materialized.has(eqns[u]!.outputs[0]!.id),
    );
    if (shared === undefined) continue;
    epilogueSplits.push({
      id: eqns[shared]!.outputs[0]!.id,
      why: {
        rule: "multi-consumer",
        reason: `needed by ${owners.get(shared)!.length} kernels; storing it lets the ${eqns[k.anchor]!.prim} keep it as its epilogue`,
        epilogueOf: k.anchor,
      },
    });
  }
  return epilogueSplits;
}

/** Reduction prologues index by the reduction's input: data movement goes in its own kernel. */
function moveSplit(round: Round, ks: readonly Kernel[]): Split | null {
  const { eqns, cat } = round.facts;
  for (const k of ks) {
    if (k.kind !== "reduction" || k.prologue === 0) continue;
    const move = [...k.eqns].find((i) => cat[i] === "move");
    if (move === undefined) continue;
    const input = eqns[k.anchor]!.inputs[0] as Var;
    return {
      id: input.id,
      why: {
        rule: "shape",
        reason: `reduction input is computed through ${eqns[move]!.prim}: written to memory first`,
      },
    };
  }
  return null;
}

function sharedSplits(round: Round, owners: ReadonlyMap<number, Kernel[]>, recomputeMaxOps: number): Split[] {
  const { facts, cones } = round;
  const { eqns } = facts;
  // Shared values too costly to recompute: the outermost one, and with it every other one whose
  // kernels it does not touch (its decision cannot depend on the first split).
  const shared = [...owners.entries()]
    .filter(([, o]) => o.length > 1)
    .map(([i]) => i)
    .sort((a, b) => b - a);
  const found: Split[] = [];
  const touched = new Set<Kernel>();
  for (const i of shared) {
    const v = eqns[i]!.outputs[0]!;
    const copies = owners.get(i)!.length;
    // Cheap rejections first, each walking only as much of the cone as it needs.
    if (!cones.exceeds(v.id, Math.floor(recomputeMaxOps / (copies - 1)))) continue;
    if (touched.size && cones.touches(v.id, (j) => owners.get(j)?.some((k) => touched.has(k)) ?? false)) continue;
    const cone = cones.coneOf(v.id);
    for (const j of cone) for (const k of owners.get(j) ?? []) touched.add(k);
    found.push({
      id: v.id,
      why: {
        rule: "multi-consumer",
        reason: `needed by ${copies} kernels; recomputing ${cone.size} ops costs more than storing ${formatBytes(varBytes(v))}`,
      },
    });
  }
  return found;
}

/** Kernels over the storage buffer limit: the value to split off each. As with shared values,
 *  the first kernel's split, and with it every other one that leaves the kernels of the splits
 *  taken alone (no kernel computing its cone is one of them or computes theirs): a ResNet step's
 *  ten such kernels took ten builds, one split each. */
function bufferSplits(
  round: Round,
  ks: readonly Kernel[],
  bufferLimit: number,
  owners: ReadonlyMap<number, Kernel[]>,
): Split[] {
  const { facts, cones } = round;
  const { eqns } = facts;
  const found: Split[] = [];
  const touched = new Set<Kernel>();
  for (const k of ks) {
    if (touched.has(k)) continue;
    const io = round.io(k.eqns);
    const n = io.inputs.length + io.outputs.length;
    if (n <= bufferLimit) continue;
    // Split off the fusable op whose cone reads the most buffers while still fitting in one
    // kernel (leaves + its own output), else the largest cone that reads fewer than all.
    let best: { id: number; leaves: number; fits: boolean } | null = null;
    for (const i of k.eqns) {
      if (!cones.fusable(i) || i === k.anchor) continue;
      const id = eqns[i]!.outputs[0]!.id;
      if (cones.materialized.has(id)) continue;
      const leaves = cones.leaves(cones.coneOf(id)).length;
      const fits = leaves + 1 <= bufferLimit;
      if (leaves < 2 || leaves >= io.inputs.length) continue;
      if (!best || (fits && !best.fits) || (fits === best.fits && leaves > best.leaves)) best = { id, leaves, fits };
    }
    if (!best) continue;
    const cone = cones.coneOf(best.id);
    const computedBy = (j: number): readonly Kernel[] => owners.get(j) ?? [];
    if (touched.size && [...cone].some((j) => computedBy(j).some((o) => touched.has(o)))) continue;
    touched.add(k);
    for (const j of cone) for (const o of computedBy(j)) touched.add(o);
    found.push({
      id: best.id,
      why: {
        rule: "buffer-limit",
        reason: `storage buffer limit ${bufferLimit}: the kernel would bind ${n} buffers`,
      },
    });
  }
  return found;
}
