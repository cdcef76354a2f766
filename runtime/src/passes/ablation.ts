// Which compiler passes `jitscope profile --ablate <pass>` can turn off, and whether one is off in
// this process (JITSCOPE_DISABLE_PASSES, set by the CLI for the ablated re-run). simplify, cse and
// dce are skipped; fuse cannot be skipped (lowering needs a schedule), so turned off it puts every
// op in a kernel of its own. recurrence is fuse's choice to run a scan with an elementwise body or a
// small state as one kernel (codegen/recurrence.ts); off, every scan runs as a loop of its body's
// kernels. trace, lower and memory are the compiler itself.

import { getConfig } from "../config.js";

export const ABLATABLE_PASSES: readonly string[] = ["simplify", "cse", "dce", "fuse", "recurrence"];

export function passDisabled(name: string): boolean {
  return getConfig().disabledPasses.includes(name);
}
