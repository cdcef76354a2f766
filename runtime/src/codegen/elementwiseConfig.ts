// The knobs of a flat elementwise kernel (lowerElementwise.ts): vec4 or scalar loads and stores,
// how many consecutive vec4s (or scalars) each invocation handles, and the workgroup width. The
// autotuner searches over these; without a tuned choice the kernel uses the default, which is
// what the untuned compiler emits.

import { isHardwareAdapter } from "./subgroupSupport.js";

export interface ElementwiseConfig {
  /** 4: vec4 values (only where every value is componentwise, flatAccess width 4); 1: scalar. */
  readonly vec: 1 | 4;
  /** Consecutive vec4s (or scalars, when vec is 1) per invocation. */
  readonly perThread: 1 | 2 | 4 | 8 | 16 | 32 | 64;
  readonly wg: 64 | 128 | 256;
  /** How an invocation's values lie. false: neighbours (values t·p … t·p + p − 1). true: each run
   *  of RUN_LANES (8) neighbouring invocations walks 8p neighbouring values together, lane j
   *  taking every 8th from the run's start + j, so the lanes a CPU adapter runs as one SIMD
   *  batch read one stream of memory instead of 8 streams p values apart. */
  readonly interleaved: boolean;
}

const PER_THREAD = [1, 2, 4, 8, 16, 32, 64] as const;
const WORKGROUPS = [64, 128, 256] as const;

/** A CPU adapter's blocks, widest first, each with the workgroups of 64 it must leave to be
 *  chosen: every core gets several, and 64 vec4s need more (measured, see below). */
const CPU_BLOCKS = [
  [64, 64],
  [32, 16],
  [16, 16],
  [8, 16],
] as const;

/** The untuned choice for `n` values. vec4 values: 64-wide workgroups; on a CPU adapter
 *  (lavapipe) each invocation takes the widest CPU_BLOCKS block that leaves its workgroups (else
 *  4), interleaved. At 2^22 floats a scaled copy ran 1.7× and the chain of issue 16 1.3× faster
 *  than with 64 neighbouring vec4s each (the default before), at 2^20 1.16× and as fast
 *  (bench/dev/elementwise_chunks.ts, 2026-12-01). 64 interleaved beat 32 in all six comparisons
 *  of the copy and the chain at 2^20 and 2^22 floats over three runs, by 1.005-1.05×, and at 2^18
 *  (16 workgroups) it did not, 0.97-1.01× (2026-12-02). On a GPU, 4 neighbours (the chain ran
 *  1.25× faster than with one vec4 per 256-wide invocation). Scalar values: one per invocation
 *  of 256-wide workgroups. `n` unknown: as for a small array. */
export function defaultElementwiseConfig(flatWidth: 1 | 4, n = 0): ElementwiseConfig {
  if (flatWidth !== 4) return { vec: 1, perThread: 1, wg: 256, interleaved: false };
  if (isHardwareAdapter()) return { vec: 4, perThread: 4, wg: 64, interleaved: false };
  const vec4s = Math.ceil(n / 4);
  const per = CPU_BLOCKS.find(([p, groups]) => vec4s >= groups * 64 * p)?.[0] ?? 4;
  return { vec: 4, perThread: per, wg: 64, interleaved: true };
}

/** "vec4 ×4 wg64" (neighbours) or "vec4 ×64 wg64 interleaved": what the plan, the WGSL header
 *  and the report call a configuration. */
export function describeElementwiseConfig(c: ElementwiseConfig): string {
  return `${c.vec === 4 ? "vec4" : "scalar"} ×${c.perThread} wg${c.wg}${c.interleaved ? " interleaved" : ""}`;
}

/** describeElementwiseConfig's inverse; null for a text that names no configuration, or one a
 *  kernel of this flat width cannot use (vec4 where the values are not componentwise). */
export function parseElementwiseConfig(text: string, flatWidth: 1 | 4): ElementwiseConfig | null {
  const m = /^(vec4|scalar) ×(\d+) wg(\d+)( interleaved)?$/.exec(text);
  if (!m) return null;
  const vec = m[1] === "vec4" ? 4 : 1;
  const perThread = Number(m[2]);
  const wg = Number(m[3]);
  const interleaved = m[4] !== undefined;
  if (vec === 4 && flatWidth !== 4) return null;
  if (!(PER_THREAD as readonly number[]).includes(perThread) || !(WORKGROUPS as readonly number[]).includes(wg))
    return null;
  if (interleaved && perThread === 1) return null;
  return { vec, perThread, wg, interleaved } as ElementwiseConfig;
}

/** The search space, default first: every vec4 block and workgroup width (where the values can
 *  be vec4), in both layouts, then scalar ones. A workgroup's span beyond the whole array only
 *  adds idle lanes. */
export function elementwiseCandidates(flatWidth: 1 | 4, n: number): ElementwiseConfig[] {
  const out: ElementwiseConfig[] = [defaultElementwiseConfig(flatWidth, n)];
  const fits = (c: ElementwiseConfig) => c.wg * c.perThread * c.vec <= Math.max(n, 64 * c.vec);
  if (flatWidth === 4)
    for (const perThread of PER_THREAD)
      for (const wg of WORKGROUPS)
        for (const interleaved of perThread > 1 ? [false, true] : [false])
          out.push({ vec: 4, perThread, wg, interleaved });
  for (const perThread of flatWidth === 4 ? ([1, 4] as const) : ([1, 2, 4, 8] as const))
    for (const wg of WORKGROUPS) out.push({ vec: 1, perThread, wg, interleaved: false });
  const seen = new Set<string>();
  return out.filter((c, i) => {
    const key = describeElementwiseConfig(c);
    if (seen.has(key) || (i > 0 && !fits(c))) return false;
    seen.add(key);
    return true;
  });
}
