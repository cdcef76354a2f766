// The knobs of the convolution code generator, which lowers conv as an implicit GEMM (see
// lowerConv.ts): M = output pixels (batch × output spatial, per feature group), N = output
// features of the group, K = input features of the group × kernel taps. Each invocation holds a
// tm×tn block of the output in registers; `split` > 1 splits K (the taps) over that many
// invocations of one workgroup, which add their partial blocks in workgroup memory: the weight
// gradient (few outputs, K = batch × output pixels) needs it to use more than a few invocations.

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

/** Register blocks of at most 32 accumulators (4×8, as the matmul's measured best on lavapipe:
 *  more spill); output features first, since in an unsplit kernel every invocation of a
 *  workgroup reads the same weights (one load for all lanes on a CPU adapter). */
export function defaultConvConfig(s: ConvShape): ConvConfig {
  const tn: ConvConfig["tn"] = s.n >= 8 ? 8 : s.n >= 4 ? 4 : s.n >= 2 ? 2 : 1;
  const tm: ConvConfig["tm"] = tn >= 8 ? 4 : 8;
  const blocks = s.groups * Math.ceil(s.m / tm) * Math.ceil(s.n / tn);
  // Split the taps when the output is small and each block's K long: the weight gradient.
  if (blocks < FEW_BLOCKS && s.taps >= 64 && s.cg * s.taps >= 1024) {
    const split: ConvConfig["split"] = s.taps >= 512 ? 128 : 64;
    return { tm, tn, split, wg: split };
  }
  return { tm, tn, split: 1, wg: 64 };
}

/** "4×8 wg64" or "4×8 split-K 64": what the plan, the WGSL header and the report call it. */
export function describeConvConfig(c: ConvConfig): string {
  return `${c.tm}×${c.tn} ${c.split > 1 ? `split-K ${c.split}` : `wg${c.wg}`}`;
}
