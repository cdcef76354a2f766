// sort(keys, payload) along an axis for long rows: one workgroup per row runs a bitonic sorting
// network over the row's positions, kept in the output row itself, then replaces each position
// by its payload (an argsort's payload is the positions: nothing to replace). About n·log²n / 4
// comparisons per row instead of the n² of ranking by counting (lowerSort.ts): an argsort of
// 16,384 keys compares 0.9M pairs instead of 268M.
//
// The network is the all-ascending form (each merge starts by comparing mirrored pairs), so a
// row of n is sorted as if padded to a power of two with keys above every other: a comparison
// with a position past the row never swaps and is skipped. Keys are compared with their
// positions as the tie-break (and NaN after every number), a total order: the sort is stable.
// Positions are stored in the payload's type: i32 as is, f32 as exact whole numbers (< 2^24).

import { sizeOf, type Eqn, type PrimParams } from "../ir/types.js";
import type { FusionGroup, KernelSpec } from "./kernelPlan.js";
import { scalarKernelSpec } from "./scalarKernel.js";
import { gridFor } from "./module.js";
import { isNanExpr } from "./opExpr.js";

const WORKGROUP = 256;
/** Positions must be exact in the payload's type: f32 holds every integer below 2^24. */
const MAX_ROW = 1 << 24;

/** Whether lowerBitonicSort can sort this sort's rows (a payload it can hold positions in). */
export function bitonicSortable(eqn: Eqn): boolean {
  const { axis } = eqn.params as PrimParams["sort"];
  const payload = eqn.inputs[1]!;
  const n = payload.aval.shape[axis]!;
  return (payload.aval.dtype === "int32" || payload.aval.dtype === "float32") && n <= MAX_ROW;
}

/** `positions`: the payload is each element's position (an argsort's iota, computed here), so
 *  the sorted positions are the result and no payload is read. */
export function lowerBitonicSort(group: FusionGroup, kernelName: string, positions: boolean): KernelSpec {
  const eqn = group.eqns.find((e) => e.prim === "sort")!;
  const { axis } = eqn.params as PrimParams["sort"];
  const [keys, payload] = [eqn.inputs[0]!, eqn.inputs[1]!];
  if (keys.kind !== "var" || payload.kind !== "var") throw new Error("codegen: sort operands must be arrays");
  const binding = (id: number) => `in${group.inputs.findIndex((v) => v.id === id)}`;
  const keysIn = binding(keys.id);
  const shape = keys.aval.shape;
  const n = shape[axis]!;
  const inner = sizeOf(shape.slice(axis + 1));
  const rows = sizeOf(shape) / n;
  let padded = 1;
  while (padded < n) padded *= 2;
  const half = padded / 2;
  const grid = gridFor(rows);
  const float = payload.aval.dtype === "float32";
  const load = (slot: string) => (float ? `i32(out0[${slot}])` : `out0[${slot}]`);
  const store = (p: string) => (float ? `f32(${p})` : p);
  const at = (k: string) => (inner === 1 ? `base + ${k}` : `base + (${k}) * ${inner}`);
  // before(a, b): key a (at position pa) sorts strictly before key b (at pb).
  const nan = (v: string) => isNanExpr(v, 1);
  const before =
    keys.aval.dtype === "float32"
      ? `(!${nan("ka")} && (${nan("kb")} || ka < kb)) || (((ka == kb) || (${nan("ka")} && ${nan("kb")})) && pa < pb)`
      : `ka < kb || (ka == kb && pa < pb)`;
  /** Compare-exchange of the slots at row positions i < j: the smaller (key, position) first. */
  const exchange = [
    `      if (j < ${n}) {`,
    `        let pa = ${load(at("j"))};`,
    `        let pb = ${load(at("i"))};`,
    `        let ka = ${keysIn}[${at("pa")}];`,
    `        let kb = ${keysIn}[${at("pb")}];`,
    `        if (${before}) {`,
    `          out0[${at("i")}] = ${store("pa")};`,
    `          out0[${at("j")}] = ${store("pb")};`,
    `        }`,
    `      }`,
  ];
  const body = [
    `let row = i32(${grid.workgroupIndex});`,
    // Uniform per workgroup (it depends on the workgroup id only), so the barriers below are too.
    `if (row < ${rows}) {`,
    `  let base = (row / ${inner}) * ${n * inner} + row % ${inner};`,
    `  for (var k = i32(lid); k < ${n}; k = k + ${WORKGROUP}) { out0[${at("k")}] = ${store("k")}; }`,
    `  storageBarrier();`,
    `  for (var size = 2; size <= ${padded}; size = size * 2) {`,
    `    let h = size / 2;`,
    `    for (var c = i32(lid); c < ${half}; c = c + ${WORKGROUP}) {`,
    `      let i = (c / h) * size + c % h;`,
    `      let j = (c / h) * size + size - 1 - c % h;`,
    ...exchange,
    `    }`,
    `    storageBarrier();`,
    `    for (var d = size / 4; d >= 1; d = d / 2) {`,
    `      for (var c = i32(lid); c < ${half}; c = c + ${WORKGROUP}) {`,
    `        let i = (c / d) * 2 * d + c % d;`,
    `        let j = i + d;`,
    ...exchange.map((l) => `  ${l}`),
    `      }`,
    `      storageBarrier();`,
    `    }`,
    `  }`,
    // Each slot is read and written by the one thread that owns it: no barrier needed.
    ...(positions
      ? []
      : [
          `  for (var k = i32(lid); k < ${n}; k = k + ${WORKGROUP}) {`,
          `    let s = ${at("k")};`,
          `    out0[s] = ${binding(payload.id)}[${at(load("s"))}];`,
          `  }`,
        ]),
    `}`,
  ];
  const plan = `sort kernel, ${rows} row${rows === 1 ? "" : "s"} of ${n} (bitonic network, a workgroup per row)`;
  return scalarKernelSpec(group, kernelName, plan, body, WORKGROUP, grid.dispatch);
}
