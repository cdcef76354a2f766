// The autotune search's paired re-check of a challenger that led the search, on fresh
// pipelines. On lavapipe one compiled pipeline keeps a speed of its own: six pipelines of one
// 1024² matmul WGSL ran 1.08-1.49× apart in one process, each keeping its speed over 12 rounds
// (bench/dev/pipeline_draws.ts). A candidate can then lead by its pipeline's luck (or the
// default trail by its own), and re-timing the same two pipelines would only confirm the luck.
// So each paired block compiles both sides anew: the medians are over draws.

/** A timed block of `n` dispatches: ms per dispatch. */
export type TimedBlock = (n: number) => Promise<number>;

/** A new pipeline of one candidate, run once untimed (a driver may compile it there). */
export type DrawPipeline = () => Promise<TimedBlock>;

export interface RecheckSide {
  readonly draw: DrawPipeline;
  /** Dispatches per timed block (the search's own count for this candidate). */
  readonly reps: number;
}

/** Whether `challenger` beats `dflt` in `pairs` paired blocks, each on pipelines drawn for it
 *  (default first, then the challenger; a tie keeps the default). */
export async function beatsDefaultOnFreshPipelines(
  dflt: RecheckSide,
  challenger: RecheckSide,
  pairs: number,
): Promise<boolean> {
  const [d, c]: number[][] = [[], []];
  for (let i = 0; i < pairs; i++) {
    d.push(await (await dflt.draw())(dflt.reps));
    c.push(await (await challenger.draw())(challenger.reps));
  }
  return median(c) < median(d);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
