// sort(keys, payload) along an axis: one thread per element counts the elements of its row that
// sort before it (smaller key, or an equal key at a smaller position: a stable order; NaN after
// every number), and writes its payload at that rank. O(n) per thread, O(n²) per row of n, no
// barriers and no second pass: right for short rows (a permutation of a small batch). Rows of
// BITONIC_MIN_ROW or more run a bitonic network instead (lowerBitonicSort.ts): n·log²n. Counting
// took 0.87–0.98× the network's time on rows of 256, 1.2–1.9× on rows of 512
// (bench/dev/sort_bitonic.ts).

import { sizeOf, type Eqn, type PrimParams } from "../ir/types.js";
import type { FusionGroup, KernelSpec } from "./kernelPlan.js";
import { scalarKernelSpec } from "./scalarKernel.js";
import { gridFor, threadIndex } from "./module.js";
import { isNanExpr } from "./opExpr.js";
import { bitonicSortable, lowerBitonicSort } from "./lowerBitonicSort.js";

const WORKGROUP = 256;
/** Rows at least this long run the bitonic network (lowerBitonicSort.ts). */
export const BITONIC_MIN_ROW = 512;
let minRowOverride: number | null = null;

/** Measurements (bench/dev/sort_bitonic.ts): the row length from which the bitonic network runs
 *  (Infinity: never; null: BITONIC_MIN_ROW). Returns the previous override. */
export function setBitonicMinRow(n: number | null): number | null {
  const was = minRowOverride;
  minRowOverride = n;
  return was;
}

/** Whether `sort` runs the bitonic network (else its rows are ranked by counting). */
export function sortsBitonic(sort: Eqn): boolean {
  const n = sort.inputs[0]!.aval.shape[(sort.params as PrimParams["sort"]).axis]!;
  return n >= (minRowOverride ?? BITONIC_MIN_ROW) && bitonicSortable(sort);
}

/** Whether `payload`, made by `producer`, is each element's position along the sort's axis (the
 *  iota of an argsort): the sort kernel then writes positions without reading a payload. */
export function payloadIsPositions(sort: Eqn, producer: Eqn | undefined): boolean {
  if (producer?.prim !== "iota" || sort.inputs[1] !== producer.outputs[0] || sort.inputs[0] === sort.inputs[1])
    return false;
  const p = producer.params as PrimParams["iota"];
  return p.dtype === "int32" && p.axis === (sort.params as PrimParams["sort"]).axis;
}

export function lowerSort(group: FusionGroup, name?: string): KernelSpec {
  const eqn = group.eqns.find((e) => e.prim === "sort");
  const positions = group.eqns.find((e) => e !== eqn);
  if (!eqn || group.eqns.length > 2 || (positions && !payloadIsPositions(eqn, positions)))
    throw new Error("codegen: a sort kernel holds one sort (and the iota of its positions)");
  const { axis } = eqn.params as PrimParams["sort"];
  const [keys, payload] = [eqn.inputs[0]!, eqn.inputs[1]!];
  if (keys.kind !== "var" || payload.kind !== "var") throw new Error("codegen: sort operands must be arrays");
  const kernelName = name ?? (payload.aval.dtype === "int32" && keys.id !== payload.id ? "argsort" : "sort");
  if (sortsBitonic(eqn)) return lowerBitonicSort(group, kernelName, positions !== undefined);
  const binding = (id: number) => `in${group.inputs.findIndex((v) => v.id === id)}`;
  const shape = keys.aval.shape;
  const total = sizeOf(shape);
  // An empty array's kernel returns at once, but WGSL refuses a literal division by 0.
  const n = Math.max(shape[axis]!, 1);
  const inner = Math.max(sizeOf(shape.slice(axis + 1)), 1);
  const grid = gridFor(Math.ceil(total / WORKGROUP));
  const kb = binding(keys.id);
  // An argsort's payload, its positions, is the element's own index along the row.
  const payloadAt = positions ? "j" : `${binding(payload.id)}[i]`;
  const float = keys.aval.dtype === "float32";
  // before(a at k, b at j): a sorts strictly before b.
  const before = float
    ? `(!${isNanExpr("kk", 1)} && (${isNanExpr("kj", 1)} || kk < kj)) || (((kk == kj) || (${isNanExpr("kk", 1)} && ${isNanExpr("kj", 1)})) && k < j)`
    : `kk < kj || (kk == kj && k < j)`;
  const body = [
    `let i = i32(${threadIndex(grid, WORKGROUP)});`,
    `if (i >= ${total}) { return; }`,
    `let j = (i / ${inner}) % ${n};`,
    `let base = i - j * ${inner};`,
    `let kj = ${kb}[i];`,
    `var rank = 0;`,
    `for (var k = 0; k < ${n}; k++) {`,
    `  let kk = ${kb}[base + k * ${inner}];`,
    `  if (${before}) { rank++; }`,
    `}`,
    `out0[base + rank * ${inner}] = ${payloadAt};`,
  ];
  const plan = `sort kernel, ${total} elements in rows of ${n} (rank by counting)`;
  return scalarKernelSpec(group, kernelName, plan, body, WORKGROUP, grid.dispatch);
}
