// What the recorder notes when the host waits for the device at a user line; the
// host-sync-in-loop detector reads these. Defined here, not in profile/, so advice/ depends on
// nothing in profile/ (profile/reportBuilder.ts runs the detectors).

import type { SourceLocation } from "@jitscope/contract";

/** The host waiting on the device for a value (`await x.data()`, `toArray()`), at the user's line. */
export interface HostSync {
  kind: "readback";
  location: SourceLocation | null;
  /** The user calls that led to `location`, innermost first (a few frames): a readback in a
   *  helper called from many places is not a loop, one repeated on the same path is. Absent when
   *  not recorded (the readback is then told apart by its line alone). */
  callers?: SourceLocation[];
  /** ms since the run's start, and how long the host waited. */
  start: number;
  dur: number;
  bytes: number;
}
