// What the recorder notes when the host waits for the device at a user line; the
// host-sync-in-loop detector reads these. Defined here, not in profile/, so advice/ depends on
// nothing in profile/ (profile/reportBuilder.ts runs the detectors).

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
