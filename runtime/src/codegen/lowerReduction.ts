// Reduction groups: one reduction (sum/max/min/argmax/argmin) with its prologue (the ops that
// compute its input, inlined into the loop that reads it) and its epilogue (ops on its result
// at the output shape, applied by the thread that holds the result).
// Two strategies: with few outputs and long reductions (a loss, a whole-array sum), one
// workgroup per output element loops over its slice and combines partials with a
// shared-memory tree; with many outputs (rows of a softmax), one thread per output loops
// serially, which keeps every core busy without barriers. Measured on lavapipe (2 cores):
// sum(exp(x)) over rows of [512,1024] 3 ms per thread vs 40-100 ms per workgroup; [4096,64]
// 2.5 ms vs 30 ms; [8,65536] 2-7 ms per workgroup vs 4-5 ms per thread (the autotuner may pick
// either: reductionConfig.ts). Column reductions have layouts of their own (isColumnReduction).
// Either way, rows that
// are contiguous in memory (reduced axes trailing, length a multiple of 4) are read as vec4 with
// the prologue computed on vec4 (codegen/flatAccess.ts), folded into a vec4 accumulator whose
// four lanes are combined at the end.

import type { Atom, DType, Eqn, Var } from "../ir/types.js";
import { sameShape, sizeOf } from "../ir/types.js";
import type { FusionGroup, KernelSpec } from "./kernelPlan.js";
import { linearize, unravel } from "./indexing.js";
import { anchoredName } from "./kernelName.js";
import { kernelFacts } from "./kernelFacts.js";
import { assembleModule, entryPointFor, gridFor, indent, threadIndex } from "./module.js";
import { isNanExpr } from "./opExpr.js";
import { flatAccess, type FlatAccess } from "./flatAccess.js";
import { nd, ValueWriter } from "./valueWriter.js";
import { scalarLiteral, storeExpr } from "./wgslTypes.js";
import { isSoftwareAdapter, RUN_LANES } from "./subgroupSupport.js";

import {
  defaultThreads,
  describeReductionConfig,
  isColumnReduction,
  isReduction,
  reducedAxes,
  type ReductionConfig,
} from "./reductionConfig.js";

export { isReduction };
export type { ReductionConfig };

export interface Combiner {
  /** WGSL type of the accumulator value. */
  readonly type: "f32" | "i32";
  readonly init: string;
  readonly arg: boolean;
  /** Statements folding (value v, index j) into (acc, idx). */
  combine(acc: string, idx: string, v: string, j: string): string[];
}

export function combinerFor(prim: string, dtype: DType): Combiner {
  const type = dtype === "float32" ? "f32" : "i32";
  const f = type === "f32";
  const lowest = f ? scalarLiteral(-Infinity, "float32") : "i32(-2147483647 - 1)";
  const highest = f ? scalarLiteral(Infinity, "float32") : "i32(2147483647)";
  const nan = (x: string) => (f ? isNanExpr(x, 1) : "false");
  switch (prim) {
    case "reduce_sum":
      return { type, init: f ? "0.0" : "0", arg: false, combine: (a, _i, v) => [`${a} = ${a} + ${v};`] };
    case "reduce_max":
    case "reduce_min": {
      const op = prim === "reduce_max" ? "max" : "min";
      return {
        type,
        init: prim === "reduce_max" ? lowest : highest,
        arg: false,
        combine: (a, _i, v) => [
          f ? `${a} = select(${op}(${a}, ${v}), ${a} + ${v}, ${nan(a)} || ${nan(v)});` : `${a} = ${op}(${a}, ${v});`,
        ],
      };
    }
    case "argmax":
    case "argmin": {
      const cmp = prim === "argmax" ? ">" : "<";
      // NumPy: the first extreme wins; a NaN counts as the extreme (the first NaN wins).
      return {
        type,
        init: f ? "0.0" : "0",
        arg: true,
        combine: (a, i, v, j) => [
          `if (${j} >= 0 && (${i} < 0 || (${v} ${cmp} ${a} && !${nan(a)}) || (${nan(v)} && !${nan(a)}) ||` +
            ` ((${v} == ${a} || (${nan(v)} && ${nan(a)})) && ${j} < ${i}))) { ${a} = ${v}; ${i} = ${j}; }`,
        ],
      };
    }
    default:
      throw new Error(`codegen: ${prim} is not a reduction`);
  }
}

/** The vec4 fold of one reduction step: `acc` (vec4) combined with `v` (vec4), componentwise. */
export function combine4(prim: string, type: "f32" | "i32", acc: string, v: string): string {
  switch (prim) {
    case "reduce_sum":
      return `${acc} = ${acc} + ${v};`;
    case "reduce_max":
    case "reduce_min": {
      const op = prim === "reduce_max" ? "max" : "min";
      if (type === "i32") return `${acc} = ${op}(${acc}, ${v});`;
      return `${acc} = select(${op}(${acc}, ${v}), ${acc} + ${v}, ${isNanExpr(acc, 4)} | ${isNanExpr(v, 4)});`;
    }
    default:
      throw new Error(`codegen: ${prim} has no vec4 fold`);
  }
}

/** The flat vec4 plan of a reduction's row loop, or null when rows cannot be read as vec4. */
function rowVec4(
  group: FusionGroup,
  red: Eqn,
  x: Var,
  axes: readonly number[],
  atIn: readonly Var[],
  R: number,
  O: number,
): FlatAccess | null {
  if (red.prim !== "reduce_sum" && red.prim !== "reduce_max" && red.prim !== "reduce_min") return null;
  const rank = x.aval.shape.length;
  const sorted = [...axes].sort((a, b) => a - b);
  if (R < 4 || R % 4 !== 0 || !sorted.every((a, i) => a === rank - sorted.length + i)) return null;
  const plan = flatAccess(group.eqns, group.inputs, [x, ...atIn], O * R);
  if (plan.width !== 4) return null;
  // The epilogue reads its inputs one element at a time: none of them may be bound as vec4.
  const producer = new Map<number, Eqn>();
  for (const e of group.eqns) for (const o of e.outputs) producer.set(o.id, e);
  const readLater = new Set<number>();
  const walk = (a: Atom): void => {
    if (a.kind === "lit" || readLater.has(a.id) || a.id === red.outputs[0]!.id) return;
    readLater.add(a.id);
    producer.get(a.id)?.inputs.forEach(walk);
  };
  group.outputs.filter((o) => !atIn.includes(o)).forEach(walk);
  return [...plan.vec4Inputs].some((id) => readLater.has(id)) ? null : plan;
}

/** The opening of a loop of `v` over [lo, hi) (`span` values at most) by one workgroup of `wg`
 *  lanes on a CPU adapter: each run of RUN_LANES lanes takes its own part of the span, lane j
 *  every RUN_LANES-th value from the part's start + j. The caller closes the loop. */
export function laneRunsLoop(v: string, lo: string, hi: string, span: number, wg: number): string[] {
  const part = Math.ceil(span / (wg / RUN_LANES));
  const run = `i32(lid / ${RUN_LANES}u) * ${part}`;
  return [
    `let rlo = ${lo === "0" ? run : `${lo} + ${run}`};`,
    `let rhi = min(rlo + ${part}, ${hi});`,
    `for (var ${v} = rlo + i32(lid % ${RUN_LANES}u); ${v} < rhi; ${v} = ${v} + ${RUN_LANES}) {`,
  ];
}

export function lowerReduction(group: FusionGroup, name?: string, config?: ReductionConfig): KernelSpec {
  const reductions = group.eqns.filter(isReduction);
  if (reductions.length !== 1) {
    throw new Error(
      `codegen: a reduction kernel holds exactly one reduction, group ${group.id} has ${reductions.length}`,
    );
  }
  const red = reductions[0]!;
  const x = red.inputs[0]! as Var;
  const inShape = x.aval.shape;
  const axes = reducedAxes(red);
  const outVar = red.outputs[0]!;
  const outShape = outVar.aval.shape;
  const kept = inShape.map((_, i) => i).filter((i) => !axes.includes(i));
  const reducedShape = axes.map((a) => inShape[a]!);
  const R = sizeOf(reducedShape);
  const O = sizeOf(outShape);
  const comb = combinerFor(red.prim, x.aval.dtype);

  const atOut = group.outputs.filter((o) => sameShape(o.aval.shape, outShape));
  const atIn = group.outputs.filter((o) => !atOut.includes(o));
  for (const o of atIn) {
    if (!sameShape(o.aval.shape, inShape)) {
      throw new Error(
        `codegen: reduction kernel output %${o.id} has shape [${o.aval.shape}], neither the input's nor the result's`,
      );
    }
  }

  // Rows read as vec4: the reduced axes are the input's trailing ones (each output's slice is
  // one contiguous run of R elements), R is a multiple of 4, and the prologue is flat-indexable
  // on vec4 (codegen/flatAccess.ts). On lavapipe a thread's vec4 loads along its own row ran the
  // softmax-shaped sum(exp(x - max)) over [4096,1024] 10× faster than scalar loads, close to a
  // vec4 copy's bandwidth; a workgroup per row with a shared-memory tree ran 30× slower than
  // that (barriers are costly on a CPU adapter), so many rows keep one thread per row.
  const vec = rowVec4(group, red, x, axes, atIn, R, O);
  // Threads per output (reductionConfig.ts): 0 for a workgroup, more than 1 for a column
  // reduction's strips (its rows split over that many threads).
  const threads = config?.threads ?? defaultThreads(red);
  const strips = threads > 1 ? threads : 0;
  if (strips && !isColumnReduction(axes, inShape.length))
    throw new Error(`codegen: ${threads} threads per output of a reduction whose reduced axes do not lead`);
  const perWorkgroup = threads === 0;
  // A workgroup per output: as wide as the row has loads (vec4 rows have R/4), up to 256; 64 on a
  // CPU adapter, which runs a workgroup on one core, so a wider shared-memory tree buys no
  // parallelism and pays more barriers (lavapipe, `jitscope tune`: wg64 2.0-3.0x faster than wg256
  // on sum(exp) rows of [16,8192] and [64,2048], 1.2x on [4,65536], level on a whole-array sum).
  const widest = isSoftwareAdapter() ? 64 : 256;
  const wg = config?.wg ?? ((perWorkgroup && (vec ? R / 4 : R) >= widest) || strips > 1 ? widest : 64);
  // Threads of a workgroup per strip: columns it covers (strips > 1).
  const cols = strips > 1 ? wg / strips : 0;
  const grid = gridFor(perWorkgroup ? O : Math.ceil(O / (cols || wg)));

  const w = new ValueWriter(group.eqns, group.inputs);
  const body: string[] = [];
  if (perWorkgroup) body.push(`let o = i32(${grid.workgroupIndex});`, `if (o >= ${O}) { return; }`);
  // No early return before the strips' barriers: a thread past the last column loops over no row.
  else if (cols) body.push(`let o = i32(${grid.workgroupIndex}) * ${cols} + i32(lid % ${cols}u);`);
  else body.push(`let o = i32(${threadIndex(grid, wg)});`, `if (o >= ${O}) { return; }`);
  const outCoords = unravel("o", outShape).map((e, i) => (/^[a-z0-9]+$/.test(e) ? e : w.bind(e, `oc${i}_`)));
  body.push(...w.rootLines().splice(0));

  // The loop over the reduced elements: value of the reduction input at (out coords ∪ r coords).
  const accType = comb.type;
  const toAcc = (v: string) => (x.aval.dtype === "bool" ? `select(0, 1, ${v})` : v);
  body.push(`var acc: ${accType} = ${comb.init};`, `var idx: i32 = -1;`);
  // The loop over r < bound: a thread per output walks its row; a workgroup's lanes stride by
  // the workgroup on a GPU, and on a CPU adapter each run of 8 lanes walks its own part of the
  // row interleaved (one stream of memory per SIMD batch, as in elementwiseConfig.ts): a sum of
  // 2^22 f32 as one workgroup ran 1.5–2.5× faster (bench/dev/reduction_layout.ts).
  const rowLoop = (bound: number): string[] => {
    if (cols) return [`for (var r = i32(lid / ${cols}u); r < select(0, ${bound}, o < ${O}); r = r + ${strips}) {`];
    if (!perWorkgroup) return [`for (var r = 0; r < ${bound}; r = r + 1) {`];
    if (!isSoftwareAdapter() || wg % RUN_LANES) return [`for (var r = i32(lid); r < ${bound}; r = r + ${wg}) {`];
    return laneRunsLoop("r", "0", String(bound), bound, wg);
  };
  if (vec) {
    const acc4 = `vec4<${accType}>`;
    body.push(`var acc4 = ${acc4}(${comb.init});`);
    w.pushScope();
    const R4 = R / 4;
    w.emit(`let i = o * ${R4} + r;`);
    w.knownIndices.set(`i / ${R4}`, "o").set(`i % ${R4}`, "r");
    const v4 = w.value(x, { kind: "flat", index: "i", width: 4 });
    for (const o of atIn) {
      const j = group.outputs.indexOf(o);
      w.emit(`out${j}[i] = ${storeExpr(w.value(o, { kind: "flat", index: "i", width: 4 }), o.aval.dtype, 4)};`);
    }
    const toAcc4 = (e: string) => (x.aval.dtype === "bool" ? `select(${acc4}(0), ${acc4}(1), ${e})` : e);
    w.emit(combine4(red.prim, accType, "acc4", toAcc4(v4)));
    const loop = w.popScope();
    body.push(...rowLoop(R4), ...indent(loop), "}");
    for (const lane of ["x", "y", "z", "w"]) body.push(...comb.combine("acc", "idx", `acc4.${lane}`, "0"));
  } else {
    w.pushScope();
    const rCoords = unravel("r", reducedShape);
    const inCoords = new Array<string>(inShape.length);
    kept.forEach((axis, i) => (inCoords[axis] = outCoords[i]!));
    axes.forEach((axis, i) => (inCoords[axis] = rCoords[i]!));
    const v = w.value(x, nd(inCoords));
    for (const o of atIn) {
      w.emit(
        `out${group.outputs.indexOf(o)}[${linearize(inCoords, inShape)}] = ${storeExpr(w.value(o, nd(inCoords)), o.aval.dtype, 1)};`,
      );
    }
    for (const s of comb.combine("acc", "idx", toAcc(v), "r")) w.emit(s);
    const loop = w.popScope();
    body.push(...rowLoop(R), ...indent(loop), "}");
  }

  const shared: string[] = [];
  if (perWorkgroup || cols) {
    // A tree over the workgroup's lanes, or over the strips of each of its columns.
    const [top, step] = perWorkgroup ? [wg / 2, ""] : [strips / 2, ` * ${cols}u`];
    shared.push(`var<workgroup> part: array<${accType}, ${wg}>;`);
    if (comb.arg) shared.push(`var<workgroup> partIdx: array<i32, ${wg}>;`);
    body.push(`part[lid] = acc;`);
    if (comb.arg) body.push(`partIdx[lid] = idx;`);
    body.push("workgroupBarrier();");
    const fold = comb.combine("a", "ai", `part[lid + s${step}]`, comb.arg ? `partIdx[lid + s${step}]` : "0");
    body.push(
      `for (var s = ${top}u; s > 0u; s = s >> 1u) {`,
      `  if (lid < s${step}) {`,
      `    var a = part[lid];`,
      ...(comb.arg ? ["    var ai = partIdx[lid];"] : ["    let ai = 0;"]),
      ...indent(fold, "    "),
      `    part[lid] = a;`,
      ...(comb.arg ? ["    partIdx[lid] = ai;"] : []),
      "  }",
      "  workgroupBarrier();",
      "}",
      ...(perWorkgroup
        ? ["if (lid != 0u) { return; }", "acc = part[0];", ...(comb.arg ? ["idx = partIdx[0];"] : [])]
        : [
            `if (lid >= ${cols}u || o >= ${O}) { return; }`,
            "acc = part[lid];",
            ...(comb.arg ? ["idx = partIdx[lid];"] : []),
          ]),
    );
  }

  // The result, converted to the reduction's dtype, then the epilogue at the output shape.
  const result = comb.arg ? "idx" : x.aval.dtype === "bool" ? "(acc != 0)" : "acc";
  w.overrides.set(outVar.id, (c) => {
    if (c.kind !== "nd" || c.idx.join(",") !== outCoords.join(",")) {
      throw new Error(`codegen: the epilogue of ${red.prim} reads its result at other coordinates`);
    }
    return result;
  });
  w.pushScope();
  for (const o of atOut) {
    w.emit(`out${group.outputs.indexOf(o)}[o] = ${storeExpr(w.value(o, nd(outCoords)), o.aval.dtype, 1)};`);
  }
  body.push(...w.popScope());

  const prologue = group.eqns.slice(0, group.eqns.indexOf(red));
  const epilogue = group.eqns.slice(group.eqns.indexOf(red) + 1);
  const kernelName = name ?? anchoredName(red, prologue, epilogue);
  const entryPoint = entryPointFor(kernelName);
  // How this kernel was lowered, for the `lower` snapshot (and the module's first line).
  const plan =
    `${red.prim} over axes [${axes}] of [${inShape}] (${R} each, ${O} outputs), ` +
    (perWorkgroup
      ? `one workgroup per output, tree reduction in shared memory`
      : cols
        ? `a column of ${strips} threads per output, each over every ${strips === 2 ? "other" : `${strips}th`} row, combined in shared memory`
        : `one thread per output`) +
    (vec ? ", rows read as vec4" : "");
  const wgsl = assembleModule({
    entryPoint,
    inputs: group.inputs,
    inputWidths: group.inputs.map((v) => (vec?.vec4Inputs.has(v.id) ? 4 : 1)),
    outputs: group.outputs,
    outputWidths: group.outputs.map((o) => (vec && atIn.includes(o) ? 4 : 1)),
    helpers: w.helpers,
    workgroupSize: wg,
    shared,
    body,
    comment: `${kernelName}: ${plan}${config ? ` [${describeReductionConfig({ wg, threads })}]` : ""}`,
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
    outputs: group.outputs,
    ...kernelFacts(group),
  };
}
