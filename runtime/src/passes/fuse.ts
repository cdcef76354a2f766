// fuse: decides kernel boundaries, and records why each one exists.
//
// The model: some values are *materialized* (written to global memory); every other value lives
// in registers inside the kernel that computes it. A kernel is either
//   - the *cone* of a materialized value: every elementwise, broadcast/reshape and data-movement
//     op (transpose, slice, pad, concatenate) reachable backwards from it without crossing
//     another materialized value, or
//   - an anchor (reduction, matmul) with, for reductions, the cone of its input as a prologue,
//     and for both, elementwise consumers at the anchor's output shape as an epilogue (bias add,
//     relu, scale).
// What is materialized: program outputs; anchor outputs (unless taken in as an epilogue); matmul
// operands; computed values (larger than one element) whose shape a broadcast/reshape/move
// changes; values shared by several kernels when recomputing them would cost more than storing
// them; values read by so many slices that each slice's copy of the cone would cost more than
// storing them (fuseSliceReads.ts); values split off to respect the storage buffer limit. Cheap
// shared values are recomputed instead (row softmax recomputes `exp(x - max)` in its last kernel
// rather than storing it).
// Kernels of one shape that share ops, feed each other or read the same buffer are merged (one
// kernel, several outputs). Every materialized value carries its reason; fuseSchedule.ts orders
// the kernels and turns every edge crossing a boundary into a FusionBoundary.
//
// The steps, one file each: sortScatterIndices.ts (first, on the program: a scatter over many
// indices reads them sorted, through an argsort kernel of its own), fuseMarks.ts and
// fuseSliceReads.ts (what is stored regardless of grouping), fuseSweep.ts (which shared values
// are stored, from the end of the program to its start), fuseBuild.ts and fuseMerge.ts (the kernels for what is stored), fuseSplits.ts (whether
// the kernels still ask for a value to be stored; build again until not), fuseEpilogueRelease.ts
// (values stored for an anchor's epilogue whose anchor writes its result anyway: recomputed
// instead, then build again), fuseSchedule.ts (order and explanations),
// fuseRows.ts (kernels over the same rows as one, where the device has subgroups),
// fuseSplitReductions.ts (a large reduction to one value in two kernels, many workgroups first).

import type { Program } from "../ir/types.js";
import type { ScheduledProgram } from "../codegen/kernelPlan.js";
import { buildKernels } from "./fuseBuild.js";
import { Cones } from "./fuseCones.js";
import { programFacts, type Why } from "./fuseFacts.js";
import { Round, type Kernel } from "./fuseKernelModel.js";
import { markRequired } from "./fuseMarks.js";
import { markSliceReads } from "./fuseSliceReads.js";
import { scheduleKernels } from "./fuseSchedule.js";
import { mergeRowLocal } from "./fuseRows.js";
import { DEFAULT_STORAGE_BUFFER_LIMIT, deviceStorageBufferLimit } from "../codegen/storageBufferLimit.js";
import { splitWholeArrayReductions } from "./fuseSplitReductions.js";
import { rowKernelLanes } from "../codegen/subgroupSupport.js";
import { needsSplit } from "./fuseSplits.js";
import { pointlessEpilogueSplits } from "./fuseEpilogueRelease.js";
import { sweepSplits } from "./fuseSweep.js";
import { sortScatterIndices } from "./sortScatterIndices.js";
import type { Pass } from "./pass.js";
import { passDisabled } from "./ablation.js";

export { MATMUL_READS_MOVED_OPERANDS } from "./fuseMarks.js";

/** The buffers (inputs + outputs) a kernel may bind: WebGPU's default, on every device. */
export const STORAGE_BUFFER_LIMIT = DEFAULT_STORAGE_BUFFER_LIMIT;
/** Recompute a shared value when (extra copies × ops in its cone) stays at or below this. */
export const RECOMPUTE_MAX_OPS = 8;

/** `fuse: false` (--ablate fuse): every op in a kernel of its own, every value written to memory.
 *  `recurrence: false` (--ablate recurrence): every scan a loop of its body's kernels. */
export function fuseProgram(
  program: Program,
  opts: { fuse: boolean; recurrence?: boolean } = { fuse: true },
): ScheduledProgram {
  const recurrence = opts.fuse && (opts.recurrence ?? true);
  // A recurrence kernel binds every buffer its loop would have bound (no split is possible): up
  // to the device's own limit, as row kernels (lavapipe allows 16).
  const facts = programFacts(program, recurrence ? deviceStorageBufferLimit() : 0);
  const materialized = new Map<number, Why>();
  const mark = (id: number, why: Why): void => {
    if (!materialized.has(id)) materialized.set(id, why);
  };
  const cones = new Cones(facts, materialized);
  markRequired(facts, cones, mark);
  if (opts.fuse) markSliceReads(facts, cones, mark);
  if (!opts.fuse)
    for (const e of facts.eqns)
      for (const o of e.outputs)
        mark(o.id, { rule: "ablated", reason: "fusion turned off (--ablate fuse): every op is its own kernel" });
  // The sweep asks for built kernels only where a merge could change a count. Storing a value
  // changes the kernels that compute it, so a count is read from the last build while no value
  // stored since lies in a kernel computing the op; otherwise the kernels are built again. (An
  // optimizer's per-parameter updates ask for a count each: the text classifier fixture's step
  // was built 54 times here, now 15; the ViT step's 1,473 ops 24 times, now 15. Reading it
  // while the op is in no stored value's cone saves more builds but changed the decisions on 6
  // of the 1,178 programs the unit tests compile: a kernel split below the op merges otherwise.)
  let built: { round: Round; kernels: Kernel[] } | null = null;
  let storedSince: number[] = [];
  const build = (): { round: Round; kernels: Kernel[] } => {
    if (built && storedSince.length === 0) return built;
    storedSince = [];
    const round = new Round(facts, cones);
    return (built = { round, kernels: buildKernels(round, STORAGE_BUFFER_LIMIT, opts.fuse) });
  };
  const kernelsComputing = (i: number): number => {
    if (built) {
      const ks = built.kernels.filter((k) => k.eqns.has(i));
      const split = (id: number): boolean => {
        const p = facts.producer.get(id);
        return p !== undefined && ks.some((k) => k.eqns.has(p));
      };
      if (!storedSince.some(split)) return ks.length;
    }
    return build().kernels.filter((k) => k.eqns.has(i)).length;
  };
  const markAndRemember = (id: number, why: Why): void => {
    if (!materialized.has(id)) storedSince.push(id);
    mark(id, why);
  };
  sweepSplits(facts, cones, markAndRemember, RECOMPUTE_MAX_OPS, STORAGE_BUFFER_LIMIT, build, kernelsComputing);

  // Build, and store what the kernels still ask for, until they ask for nothing (once, unless a
  // merge or the buffer limit asks for more than the sweep decided).
  let round = new Round(facts, cones);
  let kernels: Kernel[] = [];
  const settle = (): void => {
    for (let n = 0; n < facts.eqns.length + 8; n++) {
      round = new Round(facts, cones);
      kernels = buildKernels(round, STORAGE_BUFFER_LIMIT, opts.fuse);
      const splits = needsSplit(round, kernels, RECOMPUTE_MAX_OPS, STORAGE_BUFFER_LIMIT);
      if (splits.length === 0) break;
      for (const s of splits) mark(s.id, s.why);
    }
  };
  settle();
  // Values stored for an epilogue their anchor did not get (another kernel reads its result, so
  // it is written anyway) are recomputed from that result instead; once, then the rules above
  // may store some of them again for a reason of their own.
  const pointless = opts.fuse ? pointlessEpilogueSplits(round, kernels, materialized) : [];
  if (pointless.length) {
    for (const id of pointless) materialized.delete(id);
    settle();
  }
  const scheduled = scheduleKernels(
    facts,
    kernels.map((k) => ({ ...k, ...round.io(k.eqns) })),
    materialized,
  );
  // Kernels over the same rows become one when the device combines lanes with subgroups (unless
  // turned off: JITSCOPE_ROW_KERNELS=0, codegen/subgroupSupport.ts).
  const lanes = rowKernelLanes();
  const rows = opts.fuse && lanes > 0 ? mergeRowLocal(scheduled, lanes, deviceStorageBufferLimit()) : scheduled;
  // A large reduction to one value runs on many workgroups, then a second kernel combines them.
  return splitWholeArrayReductions(rows);
}

export const fusePass: Pass = {
  name: "fuse",
  run(state) {
    // A scatter with many indices reads them sorted (one more kernel, far fewer reads).
    const sorted = sortScatterIndices(state.program);
    const program = sorted.program;
    const schedule = fuseProgram(program, { fuse: !passDisabled("fuse"), recurrence: !passDisabled("recurrence") });
    const fused = schedule.groups.filter((g) => g.eqns.length > 1).length;
    return {
      state: { ...state, program, schedule },
      changed: true,
      counts: { kernels: schedule.groups.length, "multi-op kernels": fused, boundaries: schedule.boundaries.length },
      ...(sorted.count
        ? { rules: { "scatter over many indices → argsort + binary-search scatter": sorted.count } }
        : {}),
      ...(passDisabled("fuse")
        ? { notes: ["turned off (--ablate fuse): every op is its own kernel"] }
        : passDisabled("recurrence")
          ? { notes: ["recurrence kernels turned off (--ablate recurrence): every scan runs as a loop"] }
          : {}),
    };
  },
};
