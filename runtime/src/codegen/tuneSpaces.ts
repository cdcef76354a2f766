// The kinds of kernel the autotuner searches (kernelTuning.ts' TuneSpace): matmul (register
// block, workgroup, vec4 loads: matmulConfig.ts), convolution as an implicit GEMM (register block,
// split-K: convConfig.ts), flat elementwise chains (vec4 or scalar, values per invocation,
// workgroup width: elementwiseConfig.ts), reductions (workgroup width) and row kernels (the online
// softmax's one loop or two, rows per workgroup: rowConfig.ts). Each names its shape class, the key of the on-disk
// cache: what the best configuration depends on (sizes, layouts, the ops' sequence) and nothing
// it does not (names, ids, source lines), so every kernel of one class shares one search.

import { sizeOf } from "../ir/types.js";
import type { ConvParams } from "../ir/types.js";
import type { FusionGroup } from "./kernelPlan.js";
import type { TuneSpace } from "./kernelTuning.js";
import { lowerMatmul } from "./lowerMatmul.js";
import { analyzeMatmul } from "./matmulOperands.js";
import {
  defaultMatmulConfig,
  describeMatmulConfig,
  matmulCandidates,
  matmulTuneKey,
  parseMatmulConfig,
  type MatmulConfig,
} from "./matmulConfig.js";
import { analyzeConv, lowerConv } from "./lowerConv.js";
import { defaultConvConfig, describeConvConfig, type ConvConfig, type ConvShape } from "./convConfig.js";
import { flatKernel, lowerElementwise } from "./lowerElementwise.js";
import {
  defaultElementwiseConfig,
  describeElementwiseConfig,
  elementwiseCandidates,
  parseElementwiseConfig,
  type ElementwiseConfig,
} from "./elementwiseConfig.js";
import { MAX_WORKGROUPS_PER_DIM } from "./module.js";
import { isReduction, lowerReduction } from "./lowerReduction.js";
import {
  describeReductionConfig,
  parseReductionConfig,
  reductionCandidates,
  type ReductionConfig,
} from "./reductionConfig.js";
import { lowerRowLocal } from "./lowerRowLocal.js";
import { rowGeometry, type RowGeometry } from "./rowLocal.js";
import { rowOnline } from "./rowOnline.js";
import { rowLanes } from "./subgroupSupport.js";
import { defaultRowConfig, describeRowConfig, parseRowConfig, rowCandidates, type RowConfig } from "./rowConfig.js";

export const matmulSpace: TuneSpace<MatmulConfig> = {
  kind: "matmul",
  key: (g) => matmulTuneKey(analyzeMatmul(g).shape),
  defaultConfig: (g) => defaultMatmulConfig(analyzeMatmul(g).shape),
  candidates: (g) => matmulCandidates(analyzeMatmul(g).shape),
  describe: describeMatmulConfig,
  parse: (text) => parseMatmulConfig(text),
  lower: lowerMatmul,
};

/** Below this many values an elementwise kernel is a launch's cost whatever its shape: no search. */
export const ELEMENTWISE_TUNE_MIN = 1 << 16;

export const elementwiseSpace: TuneSpace<ElementwiseConfig> = {
  kind: "elementwise",
  key: (g) => {
    const flat = flatKernel(g);
    if (!flat || flat.n < ELEMENTWISE_TUNE_MIN) return null;
    const ins = g.inputs.map((v) => `${v.aval.dtype}[${sizeOf(v.aval.shape)}]`).join(",");
    const outs = g.outputs.map((v) => v.aval.dtype).join(",");
    return `elementwise ${flat.n} ${g.eqns.map((e) => e.prim).join("·")} in ${ins} out ${outs}`;
  },
  defaultConfig: (g) => defaultElementwiseConfig(flatWidthOf(g), flatKernel(g)?.n ?? 0),
  candidates: (g) => elementwiseCandidates(flatWidthOf(g), flatKernel(g)?.n ?? 0),
  describe: describeElementwiseConfig,
  parse: (text, g) => parseElementwiseConfig(text, flatWidthOf(g)),
  lower: lowerElementwise,
};

function flatWidthOf(g: FusionGroup): 1 | 4 {
  const flat = flatKernel(g);
  if (!flat) throw new Error(`codegen: kernel ${g.id} is not a flat elementwise kernel`);
  return flat.width;
}

/** Below this many multiply-adds a conv is a launch's cost whatever its blocks: no search. */
export const CONV_TUNE_MIN_MACS = 1 << 16;

export const convSpace: TuneSpace<ConvConfig> = {
  kind: "conv",
  key: (g) => {
    const { p, lhs, rhs, out, shape: s } = analyzeConv(g);
    if (s.groups * s.m * s.n * s.cg * s.taps < CONV_TUNE_MIN_MACS) return null;
    return `conv ${out.aval.dtype} [${lhs.aval.shape}]*[${rhs.aval.shape}]->[${out.aval.shape}] ${convParamsKey(p)}`;
  },
  defaultConfig: (g) => defaultConvConfig(analyzeConv(g).shape),
  candidates: (g) => convCandidates(analyzeConv(g).shape),
  describe: describeConvConfig,
  parse: (text, g) => {
    const c = parseConvConfig(text);
    return c && convConfigFits(c, analyzeConv(g).shape) ? c : null;
  },
  lower: lowerConv,
};

const convParamsKey = (p: ConvParams): string =>
  `s${p.strides} p${p.padLow}/${p.padHigh} d${p.lhsDilation}/${p.rhsDilation} g${p.groups}`;

const TM = [1, 2, 4, 8] as const;
const TN = [1, 2, 4, 8, 16] as const;
const SPLIT = [1, 16, 32, 64, 128] as const;
/** A split workgroup's partial blocks live in workgroup memory: at most 16 KiB of f32. */
const MAX_SHARED_FLOATS = 4096;

/** describeConvConfig's inverse; null for a text that names no configuration. */
export function parseConvConfig(text: string): ConvConfig | null {
  const m = /^(\d+)×(\d+) (?:wg(\d+)|split-K (\d+))$/.exec(text);
  if (!m) return null;
  const [tm, tn] = [Number(m[1]), Number(m[2])];
  const split = m[4] === undefined ? 1 : Number(m[4]);
  const wg = m[3] === undefined ? split : Number(m[3]);
  if (!(TM as readonly number[]).includes(tm) || !(TN as readonly number[]).includes(tn)) return null;
  if (!(SPLIT as readonly number[]).includes(split) || !(wg >= 1 && wg <= 256 && Number.isInteger(wg))) return null;
  return { tm, tn, split, wg } as ConvConfig;
}

/** Whether the lowering can emit this configuration for this shape. */
function convConfigFits(c: ConvConfig, s: ConvShape): boolean {
  if (s.groups * Math.ceil(s.n / c.tn) > MAX_WORKGROUPS_PER_DIM) return false;
  return c.split === 1 || (c.split * c.tm * c.tn <= MAX_SHARED_FLOATS && c.wg === c.split);
}

/** The search space, default first: register blocks of up to 64 accumulators in 64- or 128-wide
 *  workgroups, then (where K is long enough to share) the taps split over 32–128 invocations.
 *  A block wider than the output features only computes clamped duplicates: narrowed to them. */
export function convCandidates(s: ConvShape): ConvConfig[] {
  const out: ConvConfig[] = [defaultConvConfig(s)];
  const narrow = (tn: number): ConvConfig["tn"] => TN.find((t) => t >= Math.min(tn, s.n)) ?? 16;
  const blocks: [ConvConfig["tm"], number][] = [
    [4, 8],
    [8, 4],
    [4, 4],
    [2, 8],
    [8, 8],
    [2, 4],
  ];
  for (const [tm, tn] of blocks) for (const wg of [64, 128]) out.push({ tm, tn: narrow(tn), split: 1, wg });
  if (s.taps >= 16 && s.cg * s.taps >= 256)
    for (const split of [32, 64, 128] as const)
      for (const [tm, tn] of [
        [8, 8],
        [4, 8],
        [2, 4],
      ] as const)
        out.push({ tm, tn: narrow(tn), split, wg: split });
  const seen = new Set<string>();
  return out.filter((c, i) => {
    const key = describeConvConfig(c);
    if (seen.has(key) || (i > 0 && !convConfigFits(c, s))) return false;
    seen.add(key);
    return true;
  });
}

/** Below this many input values a reduction is a launch's cost whatever its workgroup: no search. */
export const REDUCTION_TUNE_MIN = 1 << 16;

/** The untuned kernel's workgroup width (by the rows' count and length), read off its kernel. */
const defaultWg = (g: FusionGroup): ReductionConfig["wg"] =>
  lowerReduction(g).workgroupSize[0] as ReductionConfig["wg"];

export const reductionSpace: TuneSpace<ReductionConfig> = {
  kind: "reduction",
  key: (g) => {
    const red = g.eqns.find(isReduction);
    const x = red?.inputs[0];
    if (!red || !x || sizeOf(x.aval.shape) < REDUCTION_TUNE_MIN) return null;
    const ins = g.inputs.map((v) => `${v.aval.dtype}[${v.aval.shape}]`).join(",");
    const outs = g.outputs.map((v) => `${v.aval.dtype}[${v.aval.shape}]`).join(",");
    return `reduction ${g.eqns.map((e) => e.prim).join("·")} ${JSON.stringify(red.params)} in ${ins} out ${outs}`;
  },
  // The lowering's own choice (by the reduction's shape and the adapter; reductionConfig.ts).
  defaultConfig: (g) => reductionCandidates(g, defaultWg(g))[0]!,
  candidates: (g) => reductionCandidates(g, defaultWg(g)),
  describe: describeReductionConfig,
  parse: (text, g) => parseReductionConfig(text, g, defaultWg(g)),
  lower: lowerReduction,
};

/** Below this many row elements a row kernel is a launch's cost whatever its loops: no search. */
export const ROW_TUNE_MIN = 1 << 16;

export const rowSpace: TuneSpace<RowConfig> = {
  kind: "row",
  key: (g) => {
    const geo = rowGeometryOf(g);
    if (geo.rows * geo.cols < ROW_TUNE_MIN || rowCandidates(canOnline(g, geo), geo.cols).length < 2) return null;
    const ins = g.inputs.map((v) => `${v.aval.dtype}[${v.aval.shape}]`).join(",");
    const outs = g.outputs.map((v) => `${v.aval.dtype}[${v.aval.shape}]`).join(",");
    return `row ${g.eqns.map((e) => e.prim).join("·")} in ${ins} out ${outs}`;
  },
  defaultConfig: (g) => defaultRowConfig(rowGeometryOf(g).cols),
  candidates: (g) => rowCandidates(canOnline(g, rowGeometryOf(g)), rowGeometryOf(g).cols),
  describe: describeRowConfig,
  parse: (text, g) => parseRowConfig(text, canOnline(g, rowGeometryOf(g)), rowGeometryOf(g).cols),
  lower: (g, name, c) => {
    const lanes = rowLanes();
    if (lanes === 0) throw new Error(`internal: row group ${g.id} lowered without subgroups`);
    return lowerRowLocal(g, lanes, name, c);
  },
};

function rowGeometryOf(g: FusionGroup): RowGeometry {
  const geo = rowGeometry(g.eqns, g.inputs, g.outputs);
  if (typeof geo === "string") throw new Error(`codegen: group ${g.id} is not row-local: ${geo}`);
  return geo;
}

/** Whether the group has a max and a sum of exp(x − max) the online loop can merge. */
const canOnline = (g: FusionGroup, geo: RowGeometry): boolean => rowOnline(g.eqns, g.outputs, geo) !== null;
