// What a kernel costs and where it came from: bytes moved, FLOPs, ops, source locations.
// Bytes count each global input and output once (broadcast inputs are cached well enough that
// this is the honest lower bound a GB/s figure should use).

import type { Eqn, SourceLocation, Var } from "../ir/types.js";
import { bytesPerElement, isElementwise, sizeOf } from "../ir/types.js";
import { opNodeId } from "@jitscope/contract";
import type { FusionGroup } from "./kernelPlan.js";
import { isLinalgPrim, linalgFlops } from "../ops/linalgShapes.js";

export interface KernelFacts {
  readonly bytesRead: number;
  readonly bytesWritten: number;
  readonly flops: number;
  readonly ops: string[];
  readonly opIds: string[];
  readonly locations: SourceLocation[];
}

const bytes = (vs: readonly Var[]) => vs.reduce((s, v) => s + sizeOf(v.aval.shape) * bytesPerElement(v.aval.dtype), 0);

function eqnFlops(e: Eqn): number {
  const out = e.outputs[0];
  if (!out) return 0;
  if (e.prim === "matmul") {
    const a = e.inputs[0]!.aval.shape;
    const k = a[a.length - 1]!;
    return 2 * sizeOf(out.aval.shape) * k;
  }
  if (
    e.prim === "reduce_sum" ||
    e.prim === "reduce_max" ||
    e.prim === "reduce_min" ||
    e.prim === "argmax" ||
    e.prim === "argmin"
  ) {
    return sizeOf(e.inputs[0]!.aval.shape);
  }
  if (e.prim === "conv") {
    // 2 per multiply-add: every output element sums (C / groups) × kernel taps products.
    const rhs = e.inputs[1]!.aval.shape;
    return 2 * sizeOf(out.aval.shape) * sizeOf(rhs.slice(1));
  }
  if (isLinalgPrim(e.prim))
    return linalgFlops(
      e.prim,
      e.inputs.map((x) => x.aval),
    );
  if (e.prim === "random_uniform" || e.prim === "random_bits" || e.prim === "random_fold_in") return 0;
  // A scan's element at position p of its row accumulates p + 1 values (p + 1 adds or multiplies
  // counted from the identity): n(n+1)/2 per row of n.
  if (e.prim === "cumulative") {
    const n = out.aval.shape[(e.params as { axis: number }).axis]!;
    return (sizeOf(out.aval.shape) * (n + 1)) / 2;
  }
  if (isElementwise(e.prim) && e.prim !== "cast" && e.prim !== "iota") return sizeOf(out.aval.shape);
  return 0;
}

function sameLocation(a: SourceLocation, b: SourceLocation): boolean {
  return a.file === b.file && a.line === b.line && a.column === b.column;
}

export function kernelFacts(group: FusionGroup): KernelFacts {
  const locations: SourceLocation[] = [];
  for (const e of group.eqns) {
    if (e.location && !locations.some((l) => sameLocation(l, e.location!))) locations.push(e.location);
  }
  return {
    bytesRead: bytes(group.inputs),
    bytesWritten: bytes(group.outputs),
    flops: group.eqns.reduce((s, e) => s + eqnFlops(e), 0),
    ops: group.eqns.map((e) => e.prim),
    opIds: group.eqns.map((e) => opNodeId(e.id)),
    locations,
  };
}
