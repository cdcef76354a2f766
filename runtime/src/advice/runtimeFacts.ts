// What the runtime records for advice beyond the report: which arrays each compiled call read
// (duplicate-compute), which of its arguments the call before it returned and what making its
// bind groups cost (donate-arguments); readbacks: hostSync.ts. Defined here, not in profile/, so
// advice/ depends on nothing in profile/.

/** Which arrays a compiled call read: its argument leaves as ids stable for the array's life. */
export interface CallInputs {
  compilation: string;
  /** One id per argument leaf, in the program's input order. */
  inputs: number[];
  start: number;
}

/** Two compiled calls back to back, of different programs, reading a shared array: how often a
 *  call of `cur.compilation` followed one of `prev.compilation` that way, and the first time. */
export interface CallPair {
  readonly prev: CallInputs;
  readonly cur: CallInputs;
  count: number;
}

/** Call pairs gathered as the calls arrive: a run of a million calls holds a few pairs, not a
 *  million calls. In the order each pair was first seen. */
export class CallPairs {
  private last: CallInputs | null = null;
  private readonly pairs = new Map<string, CallPair>();

  add(call: CallInputs): void {
    const prev = this.last;
    this.last = call;
    if (!prev || prev.compilation === call.compilation || !call.inputs.some((x) => prev.inputs.includes(x))) return;
    const key = `${prev.compilation}→${call.compilation}`;
    const p = this.pairs.get(key);
    if (p) p.count++;
    else this.pairs.set(key, { prev, cur: call, count: 1 });
  }

  list(): CallPair[] {
    return [...this.pairs.values()];
  }
}

/** A compiled function's calls fed back their own previous results (trace/jitDonation.ts). */
export interface FeedBackFact {
  readonly compilation: string;
  /** Its calls that encoded commands (calls on a backend with bind groups). */
  calls: number;
  /** Of those, the calls whose arguments at `positions` the call before returned. */
  fedCalls: number;
  /** Argument positions fed back in every such call. */
  positions: number[];
  /** Bind-group time of its fed calls, ms (the first FEED_SAMPLES). */
  readonly bindGroupMs: number[];
}

const FEED_SAMPLES = 1024;

/** FeedBackFact per compilation, gathered as the calls arrive. */
export class FeedBacks {
  private readonly byCompilation = new Map<string, FeedBackFact>();

  add(compilation: string, bindGroupMs: number, fedBack: readonly number[] | undefined): void {
    let f = this.byCompilation.get(compilation);
    if (!f)
      this.byCompilation.set(compilation, (f = { compilation, calls: 0, fedCalls: 0, positions: [], bindGroupMs: [] }));
    f.calls++;
    if (!fedBack || fedBack.length === 0) return;
    f.positions = f.fedCalls === 0 ? [...fedBack] : f.positions.filter((p) => fedBack.includes(p));
    f.fedCalls++;
    if (f.bindGroupMs.length < FEED_SAMPLES) f.bindGroupMs.push(bindGroupMs);
  }

  list(): FeedBackFact[] {
    return [...this.byCompilation.values()];
  }
}
