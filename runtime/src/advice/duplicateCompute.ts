// duplicate-compute: placeholder until its detector lands.
import type { Hint } from "@jitscope/contract";
import type { AdviceContext } from "./adviceContext.js";

export function duplicateCompute(_ctx: AdviceContext): Hint[] {
  return [];
}
