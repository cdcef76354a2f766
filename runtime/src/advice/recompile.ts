// recompile: a jitted function traced and compiled again and again because its arguments keep
// changing shape. Padding the changing axis to a few bucket sizes (or making the changing value
// a static argument) leaves one compilation per bucket. Saving: the compile time of every
// compilation after the first, spread over the function's calls.

import type { Hint } from "@jitscope/contract";
import { AdviceContext, worthShowing } from "./adviceContext.js";

/** Fewer compilations than this is a function used at two shapes on purpose (train / eval). */
export const RECOMPILE_MIN = 3;
const DETAILS_LIMIT = 12;

export function recompile(ctx: AdviceContext): Hint[] {
  const hints: Hint[] = [];
  const byId = new Map(ctx.report.compilations.map((c) => [c.id, c]));
  for (const f of ctx.report.functions) {
    const comps = f.compilations.map((id) => byId.get(id)).filter((c) => c !== undefined);
    const signatures = [...new Set(comps.map((c) => c.signature))];
    if (comps.length < RECOMPILE_MIN || signatures.length < RECOMPILE_MIN || f.calls === 0) continue;
    const avoidableMs = comps.slice(1).reduce((t, c) => t + c.compileMs.total, 0);
    const saving = avoidableMs / f.calls;
    if (!worthShowing(saving, f.cost?.ms ?? f.msPerCall)) continue;
    const reasons = [...new Set(comps.slice(1).map((c) => c.reason))];
    hints.push({
      kind: "recompile",
      message:
        `${f.name} was compiled ${comps.length} times for ${signatures.length} different input shapes in ${f.calls} calls ` +
        `(${avoidableMs.toFixed(0)} ms compiling): pad the changing axis to a few bucket sizes, or pass the changing value as a static argument`,
      location: f.location,
      estimatedSavingMs: saving,
      compilation: comps[comps.length - 1]!.id,
      details: [
        ...signatures.slice(0, DETAILS_LIMIT),
        ...(signatures.length > DETAILS_LIMIT ? [`… and ${signatures.length - DETAILS_LIMIT} more shapes`] : []),
        ...reasons.slice(0, 3).map((r) => `recompiled: ${r}`),
      ],
    });
  }
  return hints;
}
