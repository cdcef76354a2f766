// Timing helpers: blocks of iterations timed on the wall clock (GPU work waited for at the end
// of each block), repeated; comparisons report the median ratio and its spread across runs.

export interface Series {
  readonly msPerIter: number[];
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Times `iters` calls of `step` followed by `wait()`; returns ms per iteration. */
export async function timeBlock(iters: number, step: () => void, wait: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < iters; i++) step();
  await wait();
  return (performance.now() - t0) / iters;
}

/** A contender whose step replaces its last result by `f()`'s (disposing the old one) and whose
 *  wait is for that result: a jitted call timed without its arrays piling up. */
export function latestResult<T extends { dispose(): void; blockUntilReady(): Promise<unknown> }>(
  name: string,
  f: () => T,
): { name: string; step(): void; wait(): Promise<undefined> } {
  let last: T | null = null;
  return {
    name,
    step() {
      last?.dispose();
      last = f();
    },
    wait: async () => void (await last!.blockUntilReady()),
  };
}

export interface Contender {
  readonly name: string;
  readonly iters: number;
  step(): void;
  wait(): Promise<void>;
  /** Before each timed block: compile fresh pipelines of its kernels and run them once, untimed.
   *  On lavapipe a compiled pipeline keeps a speed of its own (identical WGSL: 1.1-1.5× apart,
   *  bench/dev/pipeline_draws.ts), so a contender compiled once is timed on one draw in every
   *  run; drawn anew each run, its median is over draws. */
  redraw?(): Promise<void>;
}

export interface Comparison {
  readonly title: string;
  readonly a: string;
  readonly b: string;
  readonly msA: number;
  readonly msB: number;
  /** a / b per run. */
  readonly ratios: number[];
  readonly target: string;
  readonly met: boolean | null;
}

/**
 * Collects the garbage the previous block left (eager ops leave many dead arrays whose GPU
 * buffers return to the pool in finalizers) so it is not charged to the next contender's block.
 * Needs `node --expose-gc` (npm run bench passes it); without it, nothing to do. Then `drain`
 * waits for the device's queue to empty, and `quiesce` for the process to go idle.
 */
async function settle(drain: () => Promise<void> = async () => {}): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((resolve) => setTimeout(resolve, 0));
  await drain();
  await quiesce();
}

/**
 * Waits (at most `maxMs`) until the process uses under 20% of a core over 10 ms. What a
 * collection frees is released in the background: V8's sweeper, and finalizers that destroy GPU
 * buffers. After a collection following TensorFlow.js's or the eager chain's block, the process
 * used 76 ms of CPU in the next 200 ms of idling; on 2 cores that work took a core from
 * lavapipe during the next contender's block (a hand chain kernel ran 2–3.7 ms instead of 1).
 */
export async function quiesce(maxMs = 1000): Promise<void> {
  const deadline = performance.now() + maxMs;
  while (performance.now() < deadline) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const c = process.cpuUsage(c0);
    if ((c.user + c.system) / 1000 < 0.2 * (performance.now() - t0)) return;
  }
}

/** Runs a and b alternately `runs` times (after one warm-up each), each block on a settled heap. */
export async function compare(
  title: string,
  a: Contender,
  b: Contender,
  runs: number,
  target: { text: string; ok: (ratio: number) => boolean } | null,
): Promise<Comparison> {
  await timeBlock(
    1,
    () => a.step(),
    () => a.wait(),
  );
  await timeBlock(
    1,
    () => b.step(),
    () => b.wait(),
  );
  const ta: number[] = [],
    tb: number[] = [],
    ratios: number[] = [];
  for (let r = 0; r < runs; r++) {
    await settle();
    const x = await timeBlock(
      a.iters,
      () => a.step(),
      () => a.wait(),
    );
    await settle();
    const y = await timeBlock(
      b.iters,
      () => b.step(),
      () => b.wait(),
    );
    ta.push(x);
    tb.push(y);
    ratios.push(x / y);
  }
  const ratio = median(ratios);
  return {
    title,
    a: a.name,
    b: b.name,
    msA: median(ta),
    msB: median(tb),
    ratios,
    target: target?.text ?? "",
    met: target ? target.ok(ratio) : null,
  };
}

/**
 * The order of `n` contenders in run `r`: a Williams design, in which each contender comes right
 * after every other one equally often (once each over n runs for an even n; over 2n runs, the
 * second n mirrored, for an odd n). Whatever one block leaves behind (a collection's sweeping,
 * buffers a peer frees late) then lands on every other contender alike. A rotation, which this
 * replaces, keeps every cyclic neighbour: "ours" always followed jax-js in the matmul sections,
 * and the hand kernel always followed "ours".
 */
export function balancedOrder(n: number, r: number): number[] {
  const first: number[] = [0];
  for (let lo = 1, hi = n - 1; first.length < n;) first.push(first.length % 2 === 1 ? lo++ : hi--);
  const row = first.map((x) => (x + r) % n);
  return n % 2 === 1 && Math.floor(r / n) % 2 === 1 ? row.reverse() : row;
}

/**
 * Times every contender once per run, in a balanced order (balancedOrder), each block on a
 * settled heap and (with `drain`) an idle device, after one warm-up block each (and, for a
 * contender that has `redraw`, on pipelines compiled for that block). Returns ms per
 * iteration, one entry per run, by contender name.
 */
export async function timeAll(
  contenders: readonly Contender[],
  runs: number,
  drain: () => Promise<void> = async () => {},
): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (const c of contenders)
    await timeBlock(
      1,
      () => c.step(),
      () => c.wait(),
    );
  for (let r = 0; r < runs; r++) {
    for (const i of balancedOrder(contenders.length, r)) {
      const c = contenders[i]!;
      await c.redraw?.();
      await settle(drain);
      out.get(c.name)!.push(
        await timeBlock(
          c.iters,
          () => c.step(),
          () => c.wait(),
        ),
      );
    }
  }
  return out;
}

/** One side of a ratio: a name and its ms per iteration in each run. */
export interface Side {
  readonly name: string;
  readonly ms: readonly number[];
}

/** The side with the lowest median (the best of several variants of a hand kernel). */
export function best(sides: readonly Side[]): Side {
  return sides.reduce((b, s) => (median(s.ms) < median(b.ms) ? s : b));
}

/** a / b per run (runs interleaved, so run r of a and of b were timed back to back). */
export function ratioRow(
  title: string,
  a: Side,
  b: Side,
  target: { text: string; ok: (ratio: number) => boolean } | null,
): Comparison {
  const ratios = a.ms.map((x, r) => x / b.ms[r]!);
  return {
    title,
    a: a.name,
    b: b.name,
    msA: median(a.ms),
    msB: median(b.ms),
    ratios,
    target: target?.text ?? "",
    met: target ? target.ok(median(ratios)) : null,
  };
}

export function formatRow(c: Comparison): string {
  const r = median(c.ratios);
  const lo = Math.min(...c.ratios),
    hi = Math.max(...c.ratios);
  const met = c.met === null ? "" : c.met ? "✓" : "✗";
  return `| ${c.title} | ${c.a}${Number.isNaN(c.msA) ? "" : `: ${fmtMs(c.msA)}`} | ${c.b}${Number.isNaN(c.msB) ? "" : `: ${fmtMs(c.msB)}`} | ${r.toFixed(2)}× (${lo.toFixed(2)}–${hi.toFixed(2)}) | ${c.target} ${met} |`;
}

function fmtMs(ms: number): string {
  if (Number.isNaN(ms)) return "—";
  return ms < 0.1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`;
}

/** The reference kernel's median time before one section of the bench. */
export interface Probe {
  readonly section: string;
  readonly ms: number;
}

/**
 * One line on how steady the machine was through a run: the same reference kernel's time before
 * each section, and the slowest over the fastest. On a shared VM that moves within minutes (a
 * 1024² matmul 55-62 ms in one stretch, 77-130 in another), a ratio whose section fell in a slow
 * stretch can move though both its sides were timed alike.
 */
export function formatSteadiness(reference: string, probes: readonly Probe[]): string {
  if (probes.length === 0) return `machine steadiness: ${reference} was not timed`;
  const ms = probes.map((p) => p.ms);
  const spread = Math.max(...ms) / Math.min(...ms);
  const cells = probes.map(
    (p) => `${p.section} ${p.ms < 0.1 ? `${(p.ms * 1000).toFixed(1)} µs` : `${p.ms.toFixed(2)} ms`}`,
  );
  return `machine steadiness: ${reference} before each section: ${cells.join(" · ")} (slowest / fastest ${spread.toFixed(2)}×)`;
}
