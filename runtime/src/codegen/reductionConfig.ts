// The knobs of a reduction kernel (lowerReduction.ts) the autotuner searches: its workgroup
// width, and how many threads take each output: 0 for a workgroup per output (its lanes combined
// in a shared-memory tree), 1 for a thread per output, and for a column reduction 2 to 16 (a
// column's rows in that many strips, combined in shared memory). The defaults, what the untuned
// compiler emits, are chosen by the reduction's shape and the adapter.

import type { Eqn, PrimParams, Var } from "../ir/types.js";
import { sizeOf } from "../ir/types.js";
import type { FusionGroup } from "./kernelPlan.js";
import { isSoftwareAdapter, RUN_LANES } from "./subgroupSupport.js";

const REDUCTIONS = new Set(["reduce_sum", "reduce_max", "reduce_min", "argmax", "argmin"]);

export function isReduction(e: Eqn): boolean {
  return REDUCTIONS.has(e.prim);
}

export type OutputThreads = 0 | 1 | 2 | 4 | 8 | 16;
export const OUTPUT_THREADS: readonly OutputThreads[] = [0, 1, 2, 4, 8, 16];

export interface ReductionConfig {
  readonly wg: 64 | 128 | 256;
  /** Threads per output (0: a workgroup per output); the lowering's default where absent. */
  readonly threads?: OutputThreads;
}

const REDUCTION_WG = [64, 128, 256] as const;

/**
 * A column reduction: the reduced axes lead and the kept ones trail (a bias gradient's sum over
 * the batch, a mean over axis 0), so output o reads input r * O + o for r < R. Each thread owns a
 * column and neighbouring threads read neighbouring values; a column's rows may be split into
 * strips (threads of one workgroup, combined in shared memory) where one thread's loop would be
 * too long. One workgroup per output read a column with its lanes a row apart and paid a
 * shared-memory tree per column: in examples/mlp_adam.ts on lavapipe its bias gradients ([512,32]
 * and [512,4] over axis 0) took 226 and 109 µs a call that way (18% of its GPU time), as columns
 * 64 and 83 µs (medians of three profiles). Alone (bench/dev/reduction_layouts.ts, 2026-12-03):
 * [256,32] 0.19 ms as a workgroup per output, 0.08 as columns; [512,32] 0.36 and 0.10–0.13;
 * [8192,64] 0.69 and 0.36–0.41. Fewer columns than a run of lanes keep a workgroup each, which
 * spreads them over the cores: [65536,4] 0.26 ms that way, 0.42–0.50 as columns; [65536,8] 0.64
 * and 0.53–0.55.
 */
export function isColumnReduction(axes: readonly number[], rank: number): boolean {
  const sorted = [...axes].sort((a, b) => a - b);
  return sorted.length > 0 && sorted.length < rank && sorted.every((a, i) => a === i);
}

/** Rows one thread of a CPU adapter's column reduction loops over before its rows are split. */
const COLUMN_LOOP = 2048;

/** A column reduction's default: a workgroup per output for fewer than 8 columns of 16,384 rows
 *  or more; else on a CPU adapter one thread per column, its rows split in strips past
 *  COLUMN_LOOP rows; on a GPU enough strips to fill a workgroup of 256 lanes with at most 64
 *  columns, one thread where columns alone fill many workgroups. */
export function defaultColumnThreads(R: number, O: number): OutputThreads {
  if (O < RUN_LANES && R >= 16384) return 0;
  const fit = (s: number): OutputThreads => OUTPUT_THREADS.filter((c) => c >= 1 && c <= s).at(-1)!;
  // At most 8 strips of a workgroup of 64: each run of 8 lanes (RUN_LANES) stays in one strip.
  if (isSoftwareAdapter()) return fit(Math.min(8, Math.ceil(R / COLUMN_LOOP)));
  return O >= 4096 ? 1 : fit(Math.min(R, 256 / Math.min(64, 2 ** Math.ceil(Math.log2(O)))));
}

/** Any other reduction's default: a workgroup per output for long rows (256 values or more)
 *  below 256 outputs, else a thread per output. On lavapipe plain sums of vec4 rows ran faster
 *  a thread per row from 4 rows up (2026-12-03, bench/dev/reduction_layouts.ts: [64,2048] 0.54
 *  ms per workgroup, 0.13 per thread; [16,8192] 0.25 and 0.13), but the bench's CNN step, whose
 *  [16,32,16,16] bias gradient sums 16 rows of 8,192 behind a prologue, ran 3.7–4.1 ms that way
 *  against 3.5–3.9 a workgroup per row: the layout stays the autotuner's to change. */
export function defaultRowThreads(R: number, O: number): OutputThreads {
  return R >= 256 && O < 256 ? 0 : 1;
}

export function reducedAxes(red: Eqn): readonly number[] {
  return red.prim === "argmax" || red.prim === "argmin"
    ? [(red.params as PrimParams["argmax"]).axis]
    : (red.params as PrimParams["reduce_sum"]).axes;
}

/** R (values per output) and O (outputs) of a group's reduction, and whether it is a column
 *  reduction. */
export function reductionShape(red: Eqn): { R: number; O: number; column: boolean } {
  const shape = (red.inputs[0] as Var).aval.shape;
  const axes = reducedAxes(red);
  const R = sizeOf(axes.map((a) => shape[a]!));
  return { R, O: sizeOf(shape) / Math.max(1, R), column: isColumnReduction(axes, shape.length) };
}

/** The threads per output the lowering picks for `red` without a configuration. Rows read as
 *  vec4 never are column reductions (their reduced axes trail). */
export function defaultThreads(red: Eqn): OutputThreads {
  const { R, O, column } = reductionShape(red);
  return column ? defaultColumnThreads(R, O) : defaultRowThreads(R, O);
}

/** "wg64, a workgroup per output", "wg64, a thread per output" or "wg256, 8 threads per output". */
export function describeReductionConfig(c: ReductionConfig): string {
  if (c.threads === undefined) return `wg${c.wg}`;
  const per = c.threads === 0 ? "a workgroup" : c.threads === 1 ? "a thread" : `${c.threads} threads`;
  return `wg${c.wg}, ${per} per output`;
}

/** The search space, default first: every width with a workgroup or a thread per output, and a
 *  column reduction's strips up to 8. */
export function reductionCandidates(group: FusionGroup, defaultWg: ReductionConfig["wg"]): ReductionConfig[] {
  const red = group.eqns.find(isReduction)!;
  const d: ReductionConfig = { wg: defaultWg, threads: defaultThreads(red) };
  const threads = reductionShape(red).column ? OUTPUT_THREADS.filter((t) => t <= 8) : ([0, 1] as const);
  const all = REDUCTION_WG.flatMap((wg) => threads.map((t) => ({ wg, threads: t })));
  return [d, ...all.filter((c) => c.wg !== d.wg || c.threads !== d.threads)];
}

/** describeReductionConfig's inverse over `reductionCandidates`; null for any other text. */
export function parseReductionConfig(
  text: string,
  group: FusionGroup,
  defaultWg: ReductionConfig["wg"],
): ReductionConfig | null {
  return reductionCandidates(group, defaultWg).find((c) => describeReductionConfig(c) === text) ?? null;
}
