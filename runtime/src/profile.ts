// The `profile` namespace of the public API (`import { profile } from "jitscope"`).

import { checkOptions } from "./apiOptions.js";
import { config } from "./config.js";
import { jit } from "./trace/jit.js";
import type { SweepResult } from "@jitscope/contract";
import { runSweep, type SweepOptions } from "./profile/sweep.js";

export type { SweepOptions } from "./profile/sweep.js";
export type { Report, SweepResult } from "@jitscope/contract";

/**
 * Times `fn(...args)` called N times for each N in `opts.calls`, eagerly and through jit
 * (compile included), like the seed post's figure; the result also goes into the report.
 */
function sweep<F extends (...args: never[]) => unknown>(
  name: string,
  fn: F,
  args: Parameters<F>,
  opts: SweepOptions = {},
): Promise<SweepResult> {
  checkOptions("profile.sweep", opts, ["calls"]);
  return runSweep({ jit, config }, name, fn, args, opts);
}

export const profile = { sweep } as const;
