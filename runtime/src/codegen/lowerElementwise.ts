// Elementwise and layout groups. "Flat" kernels index every value by its flat index: possible
// when only elementwise ops, reshapes and broadcasts over leading or trailing axes sit between
// the loads and the outputs (codegen/flatAccess.ts). Flat kernels whose ops are componentwise
// run on vec4, by default 4 vec4s per invocation in 64-wide workgroups; the vector width, the
// vec4s (or scalars) per invocation and the workgroup width are an ElementwiseConfig
// (elementwiseConfig.ts) the autotuner can choose.
// A size that is not a multiple of 4 ends in a partial vec4: its loads and stores stay inside
// the buffer because every storage buffer is a multiple of 16 bytes (backend/bufferPool.ts
// allocates power-of-two buckets from 256 B); the lanes past the end compute on the padding and
// write back into it, which no array reads. A gather of whole trailing runs (rows by row number)
// is flat too (codegen/flatAccess.ts). Anything else (transposes, slices, pads,
// concatenates, broadcasts over middle axes, iota) computes nd coordinates: a vec4 a thread where
// every op moves the last axis's runs of 4 whole (codegen/lastAxisVec4.ts), else one element a
// thread, except a lone swap of an input's last two axes (x.T for a matmul), which moves 4×4
// blocks (codegen/lowerTranspose.ts).

import type { Var } from "../ir/types.js";
import { sizeOf } from "../ir/types.js";
import { flatAccess, type FlatAccess } from "./flatAccess.js";
import type { FusionGroup, KernelSpec } from "./kernelPlan.js";
import { unravel } from "./indexing.js";
import { elementwiseName } from "./kernelName.js";
import { kernelFacts } from "./kernelFacts.js";
import { assembleModule, entryPointFor, gridFor, indent, threadIndex } from "./module.js";
import { lowerTiledTranspose, tiledTranspose } from "./lowerTranspose.js";
import { nd, ValueWriter } from "./valueWriter.js";
import { lastAxisVec4 } from "./lastAxisVec4.js";
import { LAST_AXIS_VEC4 } from "./layoutDevKnobs.js";
import { storeExpr, type Width } from "./wgslTypes.js";
import { RUN_LANES } from "./subgroupSupport.js";
import { defaultElementwiseConfig, describeElementwiseConfig, type ElementwiseConfig } from "./elementwiseConfig.js";

const WORKGROUP = 256;

/** 4, 1, or 0 (not flat): how the group's values can be indexed by the output's flat index. */
export function flatWidth(group: FusionGroup): 0 | 1 | 4 {
  return flatPlan(group).width;
}

function flatPlan(group: FusionGroup): FlatAccess {
  const n = sizeOf(group.outputs[0]?.aval.shape ?? []);
  if (group.outputs.some((o) => sizeOf(o.aval.shape) !== n)) return { width: 0, vec4Inputs: new Set() };
  return flatAccess(group.eqns, group.inputs, group.outputs, n, true);
}

/** A flat group's vector width (4 or 1) and its values' count, or null: not a flat kernel (nd
 *  coordinates, or a tiled transpose), which has no ElementwiseConfig. */
export function flatKernel(group: FusionGroup): { width: 1 | 4; n: number } | null {
  if (tiledTranspose(group)) return null;
  const width = flatPlan(group).width;
  return width === 0 ? null : { width, n: Math.max(0, ...group.outputs.map((o) => sizeOf(o.aval.shape))) };
}

export function lowerElementwise(group: FusionGroup, name?: string, config?: ElementwiseConfig): KernelSpec {
  const swap = tiledTranspose(group);
  if (swap) return lowerTiledTranspose(group, swap, name);
  const flat = flatPlan(group);
  // Nd kernels whose ops move the last axis's runs of 4 whole compute vec4s (lastAxisVec4.ts).
  const vec = flat.width === 0 && LAST_AXIS_VEC4 ? lastAxisVec4(group) : null;
  const lowered = vec?.group ?? group;
  const w = new ValueWriter(lowered.eqns, lowered.inputs, vec?.vectors);
  const n = Math.max(0, ...group.outputs.map((o) => sizeOf(o.aval.shape)));
  const cfg = flat.width === 0 ? null : (config ?? defaultElementwiseConfig(flat.width, n));
  if (cfg && cfg.vec === 4 && flat.width !== 4)
    throw new Error(`codegen: elementwise kernel ${group.id} cannot run on vec4 (${describeElementwiseConfig(cfg)})`);
  // 4: vec4 values; 1: scalar values by flat index; 0: nd coordinates.
  const mode = cfg ? cfg.vec : 0;
  const outputs = group.outputs;
  const width: Width = mode === 4 || vec ? 4 : 1;
  const units = Math.ceil(n / width);
  const wg = cfg ? cfg.wg : WORKGROUP;
  const perThread = cfg ? cfg.perThread : 1;
  const grid = gridFor(Math.ceil(units / (wg * perThread)));
  const body: string[] = [];

  if (mode !== 0 && perThread > 1) {
    w.pushScope();
    outputs.forEach((o, j) => {
      const v = w.value(o, { kind: "flat", index: "i", width });
      w.emit(`out${j}[i] = ${storeExpr(v, o.aval.dtype, width)};`);
    });
    const lines = w.popScope();
    // Either layout walks the invocation's values up to a bound the compiler cannot see as a
    // trip count (min of its end and the array's): lavapipe's LLVM fully unrolls a loop of a
    // literal trip count, and at 16 or 32 vec4s per invocation a scaled copy ran at half the
    // speed that way (bench/dev/elementwise_chunks.ts).
    if (cfg?.interleaved) {
      // A run of RUN_LANES invocations walks its RUN_LANES·perThread vec4s together, lane j from
      // the run's start + j in steps of RUN_LANES: one stream of memory per SIMD batch on a CPU.
      body.push(
        `let t = i32(${threadIndex(grid, wg)});`,
        `let span = (t / ${RUN_LANES}) * ${RUN_LANES * perThread};`,
        `let end = min(span + ${RUN_LANES * perThread}, ${units});`,
        `for (var i = span + t % ${RUN_LANES}; i < end; i = i + ${RUN_LANES}) {`,
        ...indent(lines),
        "}",
      );
    } else
      body.push(
        `let t = i32(${threadIndex(grid, wg)}) * ${perThread};`,
        `let end = min(t + ${perThread}, ${units});`,
        `for (var i = t; i < end; i = i + 1) {`,
        ...indent(lines),
        "}",
      );
  } else if (mode !== 0) {
    body.push(`let i = i32(${threadIndex(grid, wg)});`, `if (i >= ${units}) { return; }`);
    outputs.forEach((o, j) => {
      const v = w.value(o, { kind: "flat", index: "i", width });
      w.emit(`out${j}[i] = ${storeExpr(v, o.aval.dtype, width)};`);
    });
    body.push(...w.rootLines());
  } else {
    body.push(`let i = i32(${threadIndex(grid, wg)});`);
    body.push(`if (i >= ${units}) { return; }`);
    // One block per distinct output shape; each computes its own coordinates from i.
    const shapes = new Map<string, Var[]>();
    for (const o of lowered.outputs) {
      const key = o.aval.shape.join(",");
      shapes.set(key, [...(shapes.get(key) ?? []), o]);
    }
    for (const outs of shapes.values()) {
      const shape = outs[0]!.aval.shape;
      w.pushScope();
      const coords = unravel("i", shape);
      for (const o of outs) {
        const v = w.value(o, nd(coords));
        w.emit(`out${lowered.outputs.indexOf(o)}[i] = ${storeExpr(v, o.aval.dtype, width)};`);
      }
      const lines = w.popScope();
      const size = sizeOf(shape);
      if (size === units) body.push(...lines);
      else body.push(`if (i < ${size}) {`, ...indent(lines), "}");
    }
  }

  const facts = kernelFacts(group);
  const kernelName = name ?? elementwiseName(group.eqns);
  const entryPoint = entryPointFor(kernelName);
  const inputWidths = lowered.inputs.map((v): Width =>
    (vec ? vec.vectors.has(v.id) : width === 4 && flat.vec4Inputs.has(v.id)) ? 4 : 1,
  );
  // How this kernel was lowered, for the `lower` snapshot (and the module's first line).
  const plan = `${group.kind} kernel, ${n} elements${
    mode === 4
      ? `, vec4, ${perThread} per thread${cfg?.interleaved && perThread > 1 ? `, interleaved over ${RUN_LANES} lanes` : ""}${n % 4 ? `, last vec4 partial` : ""}`
      : mode === 1
        ? `, flat${perThread > 1 ? `, ${perThread} per thread` : ""}`
        : vec
          ? ", vec4 along the last axis"
          : ""
  }`;
  const wgsl = assembleModule({
    entryPoint,
    inputs: group.inputs,
    inputWidths,
    outputs,
    outputWidths: outputs.map(() => width),
    helpers: w.helpers,
    workgroupSize: wg,
    body,
    comment: `${kernelName}: ${plan}${cfg ? ` [${describeElementwiseConfig(cfg)}]` : ""}`,
  });
  return {
    id: group.id,
    name: kernelName,
    plan,
    wgsl,
    entryPoint,
    workgroupSize: [wg, 1, 1],
    dispatch: grid.dispatch,
    inputs: group.inputs,
    outputs,
    ...facts,
  };
}
