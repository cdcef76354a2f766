// A function's calls, gathered as they arrive: what its report needs (how many, which
// compilations ran, each call's host time, the last call), not a record per call. A long run's
// journal can hold millions of calls; the report builder then holds 8 bytes for each.

import type { SourceLocation } from "@jitscope/contract";

/** One call as the report builder sees it. */
export interface CallFacts {
  name: string;
  location: SourceLocation | null;
  compilation: string | null;
  wallMs: number;
  /** One-time work inside the call (its compile, executable, pipelines), ms (setupTime.ts). */
  setupMs: number;
  /** The profiler's own work inside the call (finding its eager ops' lines), ms. */
  profilerMs: number;
  kernelsPerCall: number;
}

export class FunctionCalls {
  count = 0;
  /** How many calls ran each compilation, in the order they first ran. */
  readonly perCompilation = new Map<string | null, number>();
  last: { compilation: string | null; kernelsPerCall: number };
  /** Host time of each call that did no one-time work, ms. */
  private readonly steady: number[] = [];
  /** Host time of every call, kept until a call without one-time work comes: the cost of a
   *  call is taken over those when there are any. */
  private all: number[] | null = [];

  constructor(
    readonly name: string,
    readonly location: SourceLocation | null,
  ) {
    this.last = { compilation: null, kernelsPerCall: 0 };
  }

  add(c: CallFacts): void {
    this.count++;
    this.perCompilation.set(c.compilation, (this.perCompilation.get(c.compilation) ?? 0) + 1);
    this.last = { compilation: c.compilation, kernelsPerCall: c.kernelsPerCall };
    const host = Math.max(0, c.wallMs - c.setupMs - c.profilerMs);
    if (c.setupMs === 0) {
      this.steady.push(host);
      this.all = null;
    } else this.all?.push(host);
  }

  /** The host times a call's cost is taken over: the calls without one-time work where there
   *  are any (`firstRun` false), else every call. */
  hostTimes(): { ms: readonly number[]; firstRun: boolean } {
    return this.steady.length > 0 ? { ms: this.steady, firstRun: false } : { ms: this.all ?? [], firstRun: true };
  }
}

/** Calls grouped by function (name and defining site), in the order each was first called. */
export class CallsByFunction {
  private readonly groups = new Map<string, FunctionCalls>();

  add(c: CallFacts): void {
    const l = c.location;
    const key = `${c.name}@${l ? `${l.file}:${l.line}:${l.column}` : "?"}`;
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = new FunctionCalls(c.name, c.location)));
    g.add(c);
  }

  functions(): FunctionCalls[] {
    return [...this.groups.values()];
  }
}
