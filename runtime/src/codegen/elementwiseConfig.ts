// The knobs of a flat elementwise kernel (lowerElementwise.ts): vec4 or scalar loads and stores,
// how many consecutive vec4s (or scalars) each invocation handles, and the workgroup width. The
// autotuner searches over these; without a tuned choice the kernel uses the default, which is
// what the untuned compiler emits.

export interface ElementwiseConfig {
  /** 4: vec4 values (only where every value is componentwise, flatAccess width 4); 1: scalar. */
  readonly vec: 1 | 4;
  /** Consecutive vec4s (or scalars, when vec is 1) per invocation. */
  readonly perThread: 1 | 2 | 4 | 8;
  readonly wg: 64 | 128 | 256;
}

const PER_THREAD = [1, 2, 4, 8] as const;
const WORKGROUPS = [64, 128, 256] as const;

/** The untuned choice: 4 vec4s per invocation in 64-wide workgroups (on lavapipe the chain of
 *  issue 16 ran 1.25× faster than with one vec4 per 256-wide invocation); one scalar per
 *  invocation of 256-wide workgroups when the values cannot be vec4. */
export function defaultElementwiseConfig(flatWidth: 1 | 4): ElementwiseConfig {
  return flatWidth === 4 ? { vec: 4, perThread: 4, wg: 64 } : { vec: 1, perThread: 1, wg: 256 };
}

/** "vec4 ×4 wg64": what the plan, the WGSL header and the report call a configuration. */
export function describeElementwiseConfig(c: ElementwiseConfig): string {
  return `${c.vec === 4 ? "vec4" : "scalar"} ×${c.perThread} wg${c.wg}`;
}

/** describeElementwiseConfig's inverse; null for a text that names no configuration, or one a
 *  kernel of this flat width cannot use (vec4 where the values are not componentwise). */
export function parseElementwiseConfig(text: string, flatWidth: 1 | 4): ElementwiseConfig | null {
  const m = /^(vec4|scalar) ×(\d+) wg(\d+)$/.exec(text);
  if (!m) return null;
  const vec = m[1] === "vec4" ? 4 : 1;
  const perThread = Number(m[2]);
  const wg = Number(m[3]);
  if (vec === 4 && flatWidth !== 4) return null;
  if (!(PER_THREAD as readonly number[]).includes(perThread) || !(WORKGROUPS as readonly number[]).includes(wg))
    return null;
  return { vec, perThread, wg } as ElementwiseConfig;
}

/** The search space, default first: every vec4 block and workgroup width (where the values can
 *  be vec4), then scalar ones. A workgroup's span beyond the whole array only adds idle lanes. */
export function elementwiseCandidates(flatWidth: 1 | 4, n: number): ElementwiseConfig[] {
  const out: ElementwiseConfig[] = [defaultElementwiseConfig(flatWidth)];
  const fits = (c: ElementwiseConfig) => c.wg * c.perThread * c.vec <= Math.max(n, 64 * c.vec);
  if (flatWidth === 4)
    for (const perThread of PER_THREAD) for (const wg of WORKGROUPS) out.push({ vec: 4, perThread, wg });
  for (const perThread of flatWidth === 4 ? ([1, 4] as const) : PER_THREAD)
    for (const wg of WORKGROUPS) out.push({ vec: 1, perThread, wg });
  const seen = new Set<string>();
  return out.filter((c, i) => {
    const key = describeElementwiseConfig(c);
    if (seen.has(key) || (i > 0 && !fits(c))) return false;
    seen.add(key);
    return true;
  });
}
