// Which dispatches get GPU timestamps. A timestamped dispatch needs a compute pass of its own and
// its submit a query resolve and a readback. On lavapipe that costs 25-45 µs per tiny dispatch
// and about 200 µs per dispatch of a 2^18-element kernel (raw Dawn, bench/timestamp_cost.ts:
// the timestamped pass loses the overlap with its neighbours), as much as many kernels take.
// Timing every dispatch of an eager loop doubles a run of tiny kernels and slows a run of
// 1 ms kernels by ~13% (bench/profile_overhead.ts with JITSCOPE_TIMING=every).
// So, per kernel: its first `warmup` dispatches are timed; after that a kernel long enough for
// timing to cost under `budget` of its own time keeps being timed on every dispatch, and a
// shorter one is timed 1 in N, N chosen so that its timing stays within that budget (at most
// 1 in 1024); its 8th, 16th, 32nd, … dispatches are timed too (isCheckpoint). A sub-tick
// kernel timed as a batch of 16 runs pays 15 extra runs per timed dispatch, and they count in
// that cost: on lavapipe they cost more than the timestamp (with a
// cap of 1 in 64 and the batch left out, timing cost a 20 µs kernel ~40% of its time, the bulk
// of the worst case's profiling overhead). Its length is the median of its last 8 samples, so a
// cold first dispatch does not make it look long. Every dispatch is still counted (and shown on
// the timeline, its duration estimated), and every timestamp taken is kept. `every` times them all.

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
  /** Never fewer than 1 in this many dispatches of a kernel are timed (default 1024). */
  readonly maxPeriod?: number;
}

interface KernelTiming {
  dispatches: number;
  sinceTimed: number;
  /** Its last `RECENT` landed per-dispatch times, ns (their median is its length: a cold first
   *  dispatch or a stalled one does not make it look long for the rest of the run). */
  recent: number[];
  landed: number;
  /** Consecutive single-dispatch samples of at most one timestamp tick. */
  subTick: number;
  /** periodOf(this), kept current by `observe` (the only thing that changes its inputs): the
   *  per-dispatch check then sorts nothing (a tiny kernel is dispatched thousands of times). */
  period: number;
}

/**
 * Whether a kernel's n-th dispatch (from 1) is timed whatever its period, and even while no query
 * slot is free: the powers of two from 8. The warm-up's samples are the program's first calls,
 * which run beside the driver's work on its other pipelines, and a kernel of 50 µs on lavapipe
 * is timed 1 in 200 after them, so in a run of 120 calls those 3 were all it had: in
 * `gqa_lm_optax.ts` a kernel's three read 447 µs, 1.04 ms and 238 µs, 17% of the run's kernel time on
 * a median no later dispatch was timed at. A loop that never yields gets no readback back until
 * it ends, so past the cap on pending readbacks the warm-up was all any kernel had: in
 * `crank_nicolson_fit.ts` a 64-element kernel's three read 3.39 ms, 1.16 ms and 15 µs, and its
 * median of 1.16 ms stood for its 2000 dispatches (1.18 s against 33 ms with these samples; the
 * run's kernel time 3.79 s against 2.15 s). log2(n) of them cost little: a query slot per
 * submit that holds one, and 7 timestamps over a kernel's first 1000 dispatches.
 */
export function isCheckpoint(n: number): boolean {
  return n >= 8 && Number.isInteger(Math.log2(n));
}

/** Back-to-back dispatches timed as one span once a kernel is shorter than a timestamp tick. */
export const BATCH = 16;
/** Single-dispatch samples of at most one tick in a row before a kernel is measured in batches. */
const SUB_TICK_RUN = 3;
const RECENT = 8;

function medianOf(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function gcd(a: number, b: number): number {
  while (b > 0) [a, b] = [b, a % b];
  return a;
}

/** Per adapter kind: software adapters pay the pass boundary and timestamp writes on the CPU
 *  (measured, see above). On an NVIDIA H200 a timed dispatch cost the profiled program 17-63 µs
 *  of wall time (bench/profile_overhead.ts, every dispatch timed against almost none, paired
 *  blocks: +33 to +78 points; 17 µs per dispatch in the MLP step, 31-39 in attention, 57-63 in
 *  the worst case, whose every dispatch is waited for), not the few µs the GPU spends: it is
 *  priced at 30 µs. JITSCOPE_TIMESTAMP_COST_NS replaces the estimate (a
 *  measurement's knob: a huge cost leaves only each kernel's warm-up timed). */
export function timestampCostNs(software: boolean, env: Record<string, string | undefined> = {}): number {
  const given = Number(env.JITSCOPE_TIMESTAMP_COST_NS);
  if (env.JITSCOPE_TIMESTAMP_COST_NS && Number.isFinite(given) && given > 0) return given;
  return software ? 250_000 : 30_000;
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
  /** The timestamp tick as the spans show it (their greatest common divisor), ns; 0 unknown. */
  private tickNs = 0;
  private readonly spans = new Set<number>();

  constructor(options: TimingPolicyOptions) {
    this.mode = options.mode;
    this.costNs = options.costNs;
    this.budget = options.budget ?? 0.025;
    this.warmup = options.warmup ?? 3;
    this.maxPeriod = options.maxPeriod ?? 1024;
  }

  /** Called once per dispatch, in order: whether to time this one. The warm-up's dispatches and
   *  the checkpoints (`isCheckpoint`: the 8th, 16th, 32nd, …) always are; the others by the
   *  kernel's period, unless `capped`: no query slot is free (a loop that never yields has every
   *  readback pending). A checkpoint is outside the period's count: the period's samples stay
   *  evenly spaced. */
  shouldTime(kernelId: string, capped = false): boolean {
    let k = this.kernels.get(kernelId);
    if (!k) {
      k = { dispatches: 0, sinceTimed: 0, recent: [], landed: 0, subTick: 0, period: UNKNOWN_PERIOD };
      this.kernels.set(kernelId, k);
    }
    const n = ++k.dispatches;
    if (n <= this.warmup || (!capped && (this.mode === "every" || k.sinceTimed + 1 >= k.period))) {
      k.sinceTimed = 0;
      return true;
    }
    k.sinceTimed++;
    if (isCheckpoint(n)) return true;
    this.untimed++;
    return false;
  }

  /** A timestamp that landed: the kernel's measured duration (per dispatch, the span divided
   *  by `batch`) steers its sampling period; single spans of at most a tick switch it to batches. */
  observe(kernelId: string, ns: number, batch = 1, spanNs = ns * batch): void {
    const k = this.kernels.get(kernelId);
    if (!k || !(ns >= 0)) return;
    k.recent.push(ns);
    if (k.recent.length > RECENT) k.recent.shift();
    k.landed++;
    if (Number.isInteger(spanNs) && spanNs > 0 && this.spans.size < 64) {
      this.spans.add(spanNs);
      this.tickNs = gcd(spanNs, this.tickNs);
    }
    // A zero span is below a tick whatever the tick; otherwise the tick must be known.
    if (batch === 1) k.subTick = spanNs === 0 || (this.spans.size >= 2 && spanNs <= this.tickNs) ? k.subTick + 1 : 0;
    k.period = this.periodOf(k);
  }

  /**
   * How many back-to-back dispatches the next timed dispatch of this kernel spans: `BATCH` once
   * its last few single samples were at most one tick (the timestamps cannot resolve it alone),
   * else 1. Kernels only write buffers they do not read (passes/memory.ts), so a repeat leaves
   * the same result.
   */
  batchOf(kernelId: string): number {
    const k = this.kernels.get(kernelId);
    return k && k.subTick >= SUB_TICK_RUN ? BATCH : 1;
  }

  /** 1 = time every dispatch. Until a timestamp lands (a loop that never yields to the event
   *  loop gets none back) the kernel's length is unknown: time 1 in `UNKNOWN_PERIOD`. What one
   *  timed dispatch costs: the timestamp, plus the repeats of a batch (BATCH − 1 extra runs of the
   *  kernel), which for a sub-tick kernel cost more than the timestamp itself. */
  private periodOf(k: KernelTiming): number {
    if (k.landed === 0) return UNKNOWN_PERIOD;
    const lengthNs = Math.max(medianOf(k.recent), 1);
    const repeats = k.subTick >= SUB_TICK_RUN ? BATCH - 1 : 0;
    const period = Math.ceil((this.costNs + repeats * lengthNs) / (this.budget * lengthNs));
    return Math.min(Math.max(period, 1), this.maxPeriod);
  }
}
