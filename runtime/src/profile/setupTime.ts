// One-time work inside a call: tracing, the compiler's passes, building the executable (its
// pipelines) and the profiler's own record of the compilation, which a function's first call
// (and a call that compiles again) pays on top of what a call costs. The cost of a call leaves it
// out (the compile is shown and priced on its own), or a script that calls a function once would
// read its whole compile as a per-call cost: 17.8 ms for a chain of 64-float ops whose later
// calls take about 50 µs.

import type { HostSpan } from "@jitscope/contract";

const SETUP: ReadonlySet<HostSpan["cat"]> = new Set(["trace", "compile", "pipeline"]);

export class SetupSpans {
  /** Sorted by start, ms. Spans nest (an executable's span holds its pipelines' spans), and an
   *  outer span is recorded after those inside it, so each is inserted in place. */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  /** Keeps `span` if it is setup work. */
  add(span: Pick<HostSpan, "cat" | "start" | "dur">): void {
    if (!SETUP.has(span.cat) || !(span.dur > 0)) return;
    const at = this.firstAtOrAfter(span.start);
    this.starts.splice(at, 0, span.start);
    this.ends.splice(at, 0, span.start + span.dur);
  }

  /** How long setup work ran within [start, start + dur], ms: the union of the setup spans that
   *  start there (nested ones count once), clipped to its end. */
  within(start: number, dur: number): number {
    const end = start + dur;
    let total = 0;
    let runStart = 0,
      runEnd = -Infinity;
    for (let i = this.firstAtOrAfter(start); i < this.starts.length && this.starts[i]! <= end; i++) {
      const s = this.starts[i]!,
        e = Math.min(this.ends[i]!, end);
      if (s > runEnd) {
        total += Math.max(0, runEnd - runStart);
        runStart = s;
        runEnd = e;
      } else runEnd = Math.max(runEnd, e);
    }
    return total + Math.max(0, runEnd - runStart);
  }

  private firstAtOrAfter(t: number): number {
    let lo = 0,
      hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
