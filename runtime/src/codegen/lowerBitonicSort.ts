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
//
// A row that fits in workgroup memory (keys and positions of a padded row of SHARED_MAX_ROW at
// most: 16 KiB, the limit every adapter grants) is sorted there: loaded once, exchanged between
// workgroup barriers, written once; a longer row keeps its positions in the output row and reads
// its keys through them at every comparison.

import { sizeOf, type DType, type Eqn, type PrimParams } from "../ir/types.js";
import type { FusionGroup, KernelSpec } from "./kernelPlan.js";
import { scalarKernelSpec } from "./scalarKernel.js";
import { gridFor } from "./module.js";
import { isNanExpr } from "./opExpr.js";
import { storageType } from "./wgslTypes.js";

const WORKGROUP = 256;
/** Positions must be exact in the payload's type: f32 holds every integer below 2^24. */
const MAX_ROW = 1 << 24;
/** The longest (padded) row sorted in workgroup memory: 2,048 keys and positions of 4 bytes. */
export const SHARED_MAX_ROW = 2048;
let sharedOverride: boolean | null = null;

/** Measurements (bench/dev/sort_bitonic.ts): false keeps every row in global memory (null: rows
 *  up to SHARED_MAX_ROW in workgroup memory). Returns the previous override. */
export function setSharedBitonic(on: boolean | null): boolean | null {
  const was = sharedOverride;
  sharedOverride = on;
  return was;
}

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
  // Rows of a long axis with an empty one after it: no rows, but no literal division by 0 either.
  const inner = Math.max(sizeOf(shape.slice(axis + 1)), 1);
  const rows = sizeOf(shape) / n;
  let padded = 1;
  while (padded < n) padded *= 2;
  const grid = gridFor(rows);
  const at = (k: string) => (inner === 1 ? `base + ${k}` : `base + (${k}) * ${inner}`);
  if (padded <= SHARED_MAX_ROW && sharedOverride !== false)
    return lowerInWorkgroupMemory(group, kernelName, positions, { eqn, binding, at, rows, n, inner, padded, grid });
  const float = payload.aval.dtype === "float32";
  const load = (slot: string) => (float ? `i32(out0[${slot}])` : `out0[${slot}]`);
  const store = (p: string) => (float ? `f32(${p})` : p);
  /** Compare-exchange of the slots at row positions i < j: the smaller (key, position) first. */
  const exchange = (pad: string) =>
    [
      `if (j < ${n}) {`,
      `  let pa = ${load(at("j"))};`,
      `  let pb = ${load(at("i"))};`,
      `  let ka = ${keysIn}[${at("pa")}];`,
      `  let kb = ${keysIn}[${at("pb")}];`,
      `  if (${before(keys.aval.dtype)}) {`,
      `    out0[${at("i")}] = ${store("pa")};`,
      `    out0[${at("j")}] = ${store("pb")};`,
      `  }`,
      `}`,
    ].map((l) => pad + l);
  const body = [
    `let row = i32(${grid.workgroupIndex});`,
    // Uniform per workgroup (it depends on the workgroup id only), so the barriers below are too.
    `if (row < ${rows}) {`,
    `  let base = (row / ${inner}) * ${n * inner} + row % ${inner};`,
    `  for (var k = i32(lid); k < ${n}; k = k + ${WORKGROUP}) { out0[${at("k")}] = ${store("k")}; }`,
    `  storageBarrier();`,
    ...network(padded, exchange, "storageBarrier()"),
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

/** The network over a row held in workgroup memory: keys in `sk`, positions in `sp`. Slots past
 *  the row are never compared (j < n below), so they need no filling. */
function lowerInWorkgroupMemory(
  group: FusionGroup,
  kernelName: string,
  positions: boolean,
  row: {
    eqn: Eqn;
    binding: (id: number) => string;
    at: (k: string) => string;
    rows: number;
    n: number;
    inner: number;
    padded: number;
    grid: ReturnType<typeof gridFor>;
  },
): KernelSpec {
  const { eqn, binding, at, rows, n, inner, padded, grid } = row;
  const [keys, payload] = [eqn.inputs[0]!, eqn.inputs[1]!];
  if (keys.kind !== "var" || payload.kind !== "var") throw new Error("codegen: sort operands must be arrays");
  const exchange = (pad: string) =>
    [
      `if (j < ${n}) {`,
      `  let ka = sk[j];`,
      `  let kb = sk[i];`,
      `  let pa = sp[j];`,
      `  let pb = sp[i];`,
      `  if (${before(keys.aval.dtype)}) {`,
      `    sk[i] = ka;`,
      `    sk[j] = kb;`,
      `    sp[i] = pa;`,
      `    sp[j] = pb;`,
      `  }`,
      `}`,
    ].map((l) => pad + l);
  const float = payload.aval.dtype === "float32";
  // np.sort's payload is its keys: the sorted keys are the result. An argsort's, the positions.
  const result = positions
    ? float
      ? "f32(sp[k])"
      : "sp[k]"
    : keys.id === payload.id
      ? "sk[k]"
      : `${binding(payload.id)}[${at("sp[k]")}]`;
  const body = [
    `let row = i32(${grid.workgroupIndex});`,
    // Uniform per workgroup (it depends on the workgroup id only), so the barriers below are too.
    `if (row < ${rows}) {`,
    `  let base = (row / ${inner}) * ${n * inner} + row % ${inner};`,
    `  for (var k = i32(lid); k < ${n}; k = k + ${WORKGROUP}) {`,
    `    sk[k] = ${binding(keys.id)}[${at("k")}];`,
    `    sp[k] = k;`,
    `  }`,
    `  workgroupBarrier();`,
    ...network(padded, exchange, "workgroupBarrier()"),
    `  for (var k = i32(lid); k < ${n}; k = k + ${WORKGROUP}) { out0[${at("k")}] = ${result}; }`,
    `}`,
  ];
  const keyType = storageType(keys.aval.dtype, 1);
  const shared = [`var<workgroup> sk: array<${keyType}, ${padded}>;`, `var<workgroup> sp: array<i32, ${padded}>;`];
  const plan = `sort kernel, ${rows} row${rows === 1 ? "" : "s"} of ${n} (bitonic network in workgroup memory, a workgroup per row)`;
  return scalarKernelSpec(group, kernelName, plan, body, WORKGROUP, grid.dispatch, shared);
}

/** Key ka (at position pa) sorts strictly before key kb (at pb): NaN after every number, equal
 *  keys by position. */
function before(dtype: DType): string {
  const nan = (v: string) => isNanExpr(v, 1);
  return dtype === "float32"
    ? `(!${nan("ka")} && (${nan("kb")} || ka < kb)) || (((ka == kb) || (${nan("ka")} && ${nan("kb")})) && pa < pb)`
    : `ka < kb || (ka == kb && pa < pb)`;
}

/**
 * The all-ascending network's stages over a padded row (a power of two): for each merge size, the
 * mirrored pairs, then the half-cleaners of distance size/4 … 1. Each thread owns a block of
 * `block` consecutive slots: merges within a block, and every merge's stages of a distance below
 * the block, run in the owning thread with no barrier between them; the others split their pairs
 * over the workgroup with a barrier after each stage. Sizes and distances are powers of two, so
 * a pair's slots come from shifts and masks (integer division by a variable is scalarised on a
 * CPU adapter). `exchange(indent)` compare-exchanges slots i < j.
 */
function network(padded: number, exchange: (indent: string) => string[], barrier: string): string[] {
  const block = Math.max(2, padded / WORKGROUP);
  const lb = Math.log2(block);
  const blocks = padded / block;
  const owner = blocks < WORKGROUP ? `if (i32(lid) < ${blocks}) {` : "{";
  /** In the thread's block: the half-cleaners of distance 2^from … 1. */
  const localCleaners = (from: string, pad: string) =>
    [
      `for (var ld = ${from}; ld >= 0; ld = ld - 1) {`,
      `  let d = 1 << u32(ld);`,
      `  for (var q = 0; q < ${block / 2}; q = q + 1) {`,
      `    let i = own + ((q >> u32(ld)) << u32(ld + 1)) + (q & (d - 1));`,
      `    let j = i + d;`,
      ...exchange("    "),
      `  }`,
      `}`,
    ].map((l) => pad + l);
  return [
    `  let own = i32(lid) * ${block};`,
    `  ${owner}`,
    `    for (var ls = 1u; ls <= ${lb}u; ls = ls + 1u) {`,
    `      let size = 1 << ls;`,
    `      for (var q = 0; q < ${block / 2}; q = q + 1) {`,
    `        let first = own + ((q >> (ls - 1u)) << ls);`,
    `        let r = q & ((size >> 1u) - 1);`,
    `        let i = first + r;`,
    `        let j = first + size - 1 - r;`,
    ...exchange("        "),
    `      }`,
    ...localCleaners("i32(ls) - 2", "      "),
    `    }`,
    `  }`,
    `  ${barrier};`,
    `  for (var ls = ${lb + 1}u; ls <= ${Math.log2(padded)}u; ls = ls + 1u) {`,
    `    let size = 1 << ls;`,
    `    for (var c = i32(lid); c < ${padded / 2}; c = c + ${WORKGROUP}) {`,
    `      let first = (c >> (ls - 1u)) << ls;`,
    `      let r = c & ((size >> 1u) - 1);`,
    `      let i = first + r;`,
    `      let j = first + size - 1 - r;`,
    ...exchange("      "),
    `    }`,
    `    ${barrier};`,
    `    for (var ld = i32(ls) - 2; ld >= ${lb}; ld = ld - 1) {`,
    `      let d = 1 << u32(ld);`,
    `      for (var c = i32(lid); c < ${padded / 2}; c = c + ${WORKGROUP}) {`,
    `        let i = ((c >> u32(ld)) << u32(ld + 1)) + (c & (d - 1));`,
    `        let j = i + d;`,
    ...exchange("        "),
    `      }`,
    `      ${barrier};`,
    `    }`,
    `    ${owner}`,
    ...localCleaners(`${lb - 1}`, "      "),
    `    }`,
    `    ${barrier};`,
    `  }`,
  ];
}
