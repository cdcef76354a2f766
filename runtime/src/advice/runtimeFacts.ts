// What the runtime records for the advice detectors beyond the report: readbacks at the user's
// line, and which arrays each compiled call read. The recorder (profile/recorderApi.ts) carries
// them; they live here so advice/ depends on nothing in profile/.

import type { SourceLocation } from "@jitscope/contract";

/** The host waiting on the device for a value (`await x.data()`, `toArray()`), at the user's line. */
export interface HostSync {
  kind: "readback";
  location: SourceLocation | null;
  /** ms since the run's start, and how long the host waited. */
  start: number;
  dur: number;
  bytes: number;
}

/** Which arrays a compiled call read: its argument leaves as ids stable for the array's life. */
export interface CallInputs {
  compilation: string;
  /** One id per argument leaf, in the program's input order. */
  inputs: number[];
  start: number;
}
