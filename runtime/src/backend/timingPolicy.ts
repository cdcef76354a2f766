// Which dispatches get GPU timestamps. A timestamped dispatch needs a compute pass of its own and
// its submit a query resolve and a readback. On lavapipe that costs 25-45 µs per tiny dispatch
// and about 200 µs per dispatch of a 2^18-element kernel (raw Dawn, bench/timestamp_cost.ts:
// the timestamped pass loses the overlap with its neighbours), as much as many kernels take.
// Timing every dispatch of an eager loop doubles a run of tiny kernels and slows a run of
// 1 ms kernels by ~13% (bench/profile_overhead.ts with JITSCOPE_TIMING=every).
// So, per kernel: its first `warmup` dispatches are timed; after that a kernel long enough for
// timing to cost under `budget` of its own time keeps being timed on every dispatch, and a
// shorter one is timed 1 in N, N chosen so that its timing stays within that budget. Every
// dispatch is still counted (and shown on the timeline, its duration estimated), and every
// timestamp taken is kept. `every` times them all.

import type { TimingMode } from "@jitscope/contract";

/** After its warm-up, a kernel none of whose timestamps has landed yet is timed 1 in this many. */
export const UNKNOWN_PERIOD = 8;

export interface TimingPolicyOptions {
  readonly mode: TimingMode;
  /** What timing one dispatch costs the device, ns (an estimate per adapter kind). */
  readonly costNs: number;
  /** The share of a kernel's GPU time its timing may cost. */
  readonly budget?: number;
  /** Dispatches of each kernel timed before sampling may start. */
  readonly warmup?: number;
  /** Never fewer than 1 in this many dispatches of a kernel are timed. */
  readonly maxPeriod?: number;
}

interface KernelTiming {
  dispatches: number;
  sinceTimed: number;
  landedNs: number;
  landed: number;
}

/** Per adapter kind: software adapters pay the pass boundary and timestamp writes on the CPU
 *  (measured, see above); on a hardware GPU they cost a few µs. */
export function timestampCostNs(software: boolean): number {
  return software ? 250_000 : 5_000;
}

/** `JITSCOPE_TIMING=every` (or `jitscope profile --timing every`) times every dispatch. */
export function timingModeFromEnv(env: Record<string, string | undefined>): TimingMode {
  return env.JITSCOPE_TIMING === "every" ? "every" : "sampled";
}

export class TimingPolicy {
  readonly mode: TimingMode;
  private readonly costNs: number;
  private readonly budget: number;
  private readonly warmup: number;
  private readonly maxPeriod: number;
  private readonly kernels = new Map<string, KernelTiming>();
  /** Dispatches left untimed so far (the report says when its totals are estimates). */
  untimed = 0;

  constructor(options: TimingPolicyOptions) {
    this.mode = options.mode;
    this.costNs = options.costNs;
    this.budget = options.budget ?? 0.025;
    this.warmup = options.warmup ?? 3;
    this.maxPeriod = options.maxPeriod ?? 64;
  }

  /** Called once per dispatch, in order: whether to time this one. */
  shouldTime(kernelId: string): boolean {
    let k = this.kernels.get(kernelId);
    if (!k) {
      k = { dispatches: 0, sinceTimed: 0, landedNs: 0, landed: 0 };
      this.kernels.set(kernelId, k);
    }
    k.dispatches++;
    if (this.mode === "every" || k.dispatches <= this.warmup || k.sinceTimed + 1 >= this.periodOf(k)) {
      k.sinceTimed = 0;
      return true;
    }
    k.sinceTimed++;
    this.untimed++;
    return false;
  }

  /** A timestamp that landed: the kernel's measured duration steers its sampling period. */
  observe(kernelId: string, ns: number): void {
    const k = this.kernels.get(kernelId);
    if (!k || !(ns >= 0)) return;
    k.landedNs += ns;
    k.landed++;
  }

  /** 1 = time every dispatch. Until a timestamp lands (a loop that never yields to the event
   *  loop gets none back) the kernel's length is unknown: time 1 in `UNKNOWN_PERIOD`. */
  periodOf(k: KernelTiming): number {
    if (k.landed === 0) return UNKNOWN_PERIOD;
    const meanNs = k.landedNs / k.landed;
    const period = Math.ceil(this.costNs / (this.budget * Math.max(meanNs, 1)));
    return Math.min(Math.max(period, 1), this.maxPeriod);
  }
}
