// The knobs of the convolution code generator, which lowers conv as an implicit GEMM (see
// lowerConv.ts): M = output pixels (batch × output spatial, per feature group), N = output
// features of the group, K = input features of the group × kernel taps. Each invocation holds a
// tm×tn block of the output in registers; `split` > 1 splits K (the taps) over that many
// invocations of one workgroup, which add their partial blocks in workgroup memory: the weight
// gradient (few outputs, K = batch × output pixels) needs it to use more than a few invocations.

import { isHardwareAdapter } from "./subgroupSupport.js";

export interface ConvConfig {
  /** Output pixels per invocation (consecutive in batch-major, row-major order). */
  readonly tm: 1 | 2 | 4 | 8;
  /** Output features per invocation. */
  readonly tn: 1 | 2 | 4 | 8 | 16;
  /** Invocations sharing one block's K (taps); 1: no split. */
  readonly split: 1 | 16 | 32 | 64 | 128;
  /** Workgroup width when split is 1 (a split workgroup is `split` wide). */
  readonly wg: number;
}

/** The conv's GEMM shape: what the configuration is chosen from. */
export interface ConvShape {
  /** Output pixels per group: batch × output spatial size. */
  readonly m: number;
  /** Output features per group. */
  readonly n: number;
  /** Input features per group. */
  readonly cg: number;
  /** Kernel taps (product of the kernel's spatial sizes). */
  readonly taps: number;
  readonly groups: number;
}

/** Below this many output blocks the device idles unless K is split (a 2-core CPU adapter keeps
 *  busy with a few hundred invocations; a GPU wants thousands, which no split gives here). */
const FEW_BLOCKS = 256;

/** On a GPU, register blocks of at most 32 accumulators (4×8), output features first, since in
 *  an unsplit kernel every invocation of a workgroup reads the same weights. On a CPU adapter
 *  (lavapipe), 8×8, fewer features covered in one block (8×4 for 3 features): a lane's input
 *  loads are gathers there, and each now feeds 8 multiply-adds, not 4. Measured with
 *  bench/dev/conv_tiles.ts (5 rounds, `--shapes fixtures` and the CNN's): the fixture CNNs'
 *  forward convs of 8 to 16 features 8×8 0.29–0.94 ms against 4×8's 0.75–1.60 (1.7–2.5×), the
 *  CNN's 16→32 1.24×, its input gradient (3 features) 8×4 2.13 against 8×2's 3.21. A weight
 *  gradient splits its taps over 32 invocations there: 8×8 split-K 32 against 4×8 split-K 64,
 *  resnet's 0.29–0.52 against 0.65, unet's 0.56–1.11 against 1.95, the CNN's 1.70 against 1.85. */
export function defaultConvConfig(s: ConvShape): ConvConfig {
  const cpu = !isHardwareAdapter();
  // CPU: the fewest features' blocks (3 features in one 4-wide block); GPU: no clamped duplicates.
  const tn: ConvConfig["tn"] = cpu
    ? (([1, 2, 4, 8] as const).find((t) => t >= Math.min(s.n, 8)) ?? 8)
    : (([8, 4, 2] as const).find((t) => t <= s.n) ?? 1);
  const tm: ConvConfig["tm"] = cpu || tn < 8 ? 8 : 4;
  const blocks = s.groups * Math.ceil(s.m / tm) * Math.ceil(s.n / tn);
  // Split the taps when the output is small and each block's K long: the weight gradient.
  if (blocks < FEW_BLOCKS && s.taps >= 64 && s.cg * s.taps >= 1024) {
    const split: ConvConfig["split"] = cpu ? 32 : s.taps >= 512 ? 128 : 64;
    return { tm, tn, split, wg: split };
  }
  return { tm, tn, split: 1, wg: 64 };
}

/** "4×8 wg64" or "4×8 split-K 64": what the plan, the WGSL header and the report call it. */
export function describeConvConfig(c: ConvConfig): string {
  return `${c.tm}×${c.tn} ${c.split > 1 ? `split-K ${c.split}` : `wg${c.wg}`}`;
}
