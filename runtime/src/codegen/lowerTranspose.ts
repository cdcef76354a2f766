// A layout kernel that only swaps the last two axes of an input (x.T before a matmul reads it,
// batched or not), tiled: each invocation moves a 4×4 block, four vec4 row loads in, four vec4
// row stores out. The generic layout kernel computes nd coordinates per element and reads the
// input one element at a time with a stride of a whole row; this reads and writes 16 bytes at
// a time. Rows and columns must be multiples of 4 (the blocks tile the matrix exactly).

import type { PrimParams, Var } from "../ir/types.js";
import type { FusionGroup, KernelSpec } from "./kernelPlan.js";
import { elementwiseName } from "./kernelName.js";
import { kernelFacts } from "./kernelFacts.js";
import { assembleModule, entryPointFor, MAX_WORKGROUPS_PER_DIM } from "./module.js";
import { storageType } from "./wgslTypes.js";

const COMP = ["x", "y", "z", "w"];
/** Workgroup: 8 blocks along the input's columns (neighbouring lanes read neighbouring vec4s)
 *  by 8 along its rows, a 32×32 tile of the matrix. */
const WG_X = 8,
  WG_Y = 8;

interface TiledTranspose {
  readonly input: Var;
  /** Batch (product of the leading axes), rows and columns of the input. */
  readonly batch: number;
  readonly rows: number;
  readonly cols: number;
}

/** The group's transpose when it is one swap of an input's last two axes, tileable in 4×4
 *  blocks; null otherwise (the generic layout kernel handles it). */
export function tiledTranspose(group: FusionGroup): TiledTranspose | null {
  if (group.eqns.length !== 1 || group.outputs.length !== 1) return null;
  const e = group.eqns[0]!;
  const x = e.inputs[0];
  if (e.prim !== "transpose" || x?.kind !== "var" || e.outputs[0]!.id !== group.outputs[0]!.id) return null;
  if (!group.inputs.some((v) => v.id === x.id)) return null;
  const { perm } = e.params as PrimParams["transpose"];
  const r = perm.length;
  if (r < 2 || !perm.every((p, i) => (i < r - 2 ? p === i : p === (i === r - 2 ? r - 1 : r - 2)))) return null;
  const shape = x.aval.shape;
  const rows = shape[r - 2]!,
    cols = shape[r - 1]!;
  const batch = shape.slice(0, r - 2).reduce((a, b) => a * b, 1);
  if (rows % 4 !== 0 || cols % 4 !== 0 || rows === 0 || cols === 0) return null;
  const fits = (blocks: number, wg: number) => Math.ceil(blocks / wg) <= MAX_WORKGROUPS_PER_DIM;
  if (batch > MAX_WORKGROUPS_PER_DIM || !fits(rows / 4, WG_Y) || !fits(cols / 4, WG_X)) return null;
  return { input: x, batch, rows, cols };
}

export function lowerTiledTranspose(group: FusionGroup, t: TiledTranspose, name?: string): KernelSpec {
  const { batch, rows, cols } = t;
  const [r4, c4] = [rows / 4, cols / 4];
  const inPos = group.inputs.findIndex((v) => v.id === t.input.id);
  const dtype = t.input.aval.dtype;
  const vt = storageType(dtype, 4);
  const body: string[] = [
    "let cb = gid.x;", // block column of the input = block row of the output
    "let rb = gid.y;",
    `if (cb >= ${c4}u || rb >= ${r4}u) { return; }`,
    `let base = gid.z * ${rows * c4}u;`, // vec4s per matrix (input and output alike)
  ];
  // Input rows 4rb + s, vec4 column cb.
  for (let s = 0; s < 4; s++) body.push(`let v${s} = in${inPos}[base + (rb * 4u + ${s}u) * ${c4}u + cb];`);
  // Output row 4cb + j holds component j of those four rows, at vec4 column rb.
  for (let j = 0; j < 4; j++) {
    const lanes = [0, 1, 2, 3].map((s) => `v${s}.${COMP[j]}`).join(", ");
    body.push(`out0[base + (cb * 4u + ${j}u) * ${r4}u + rb] = ${vt}(${lanes});`);
  }
  const kernelName = name ?? elementwiseName(group.eqns);
  const entryPoint = entryPointFor(kernelName);
  const plan = `layout kernel, transpose of [${batch}×] ${rows}×${cols} in 4×4 blocks, vec4 loads and stores`;
  const wgsl = assembleModule({
    entryPoint,
    inputs: group.inputs,
    inputWidths: group.inputs.map((v) => (v.id === t.input.id ? 4 : 1)),
    outputs: group.outputs,
    outputWidths: [4],
    helpers: [],
    workgroupSize: [WG_X, WG_Y, 1],
    body,
    comment: `${kernelName}: ${plan}`,
  });
  return {
    id: group.id,
    name: kernelName,
    plan,
    wgsl,
    entryPoint,
    workgroupSize: [WG_X, WG_Y, 1],
    dispatch: [Math.ceil(c4 / WG_X), Math.ceil(r4 / WG_Y), batch],
    inputs: group.inputs,
    outputs: group.outputs,
    ...kernelFacts(group),
  };
}
