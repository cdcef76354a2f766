// What the runtime records for duplicate-compute beyond the report: which arrays each compiled
// call read (readbacks: hostSync.ts). Defined here, not in profile/, so advice/ depends on
// nothing in profile/.

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
