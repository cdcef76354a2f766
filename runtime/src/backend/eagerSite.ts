// The source line a profiled eager op is reported at: the call the profile's bundle marked
// (ir/markedSites.ts), else a stack capture per op (ir/eagerCallSite.ts), which in a loop of tiny
// ops each waited for is most of the profiler's cost (bench/profile_overhead.ts). With call sites
// off (`--eager-sites off`) the op is reported per kernel, at no line, and its location is read
// only if an error needs it.

import { EAGER_SITES_OFF_NOTE, getConfig } from "../config.js";
import type { Eqn, SourceLocation } from "../ir/types.js";

export function profiledEagerSite(eqn: Eqn): SourceLocation | null {
  return getConfig().eagerCallSites ? eqn.location : null;
}

/** The device note a report carries when eager ops were not attributed to lines. */
export function eagerSiteNotes(): string[] {
  return getConfig().eagerCallSites ? [] : [EAGER_SITES_OFF_NOTE];
}
