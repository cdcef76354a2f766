// donate-arguments: a jitted function called again and again with what its previous call returned
// (`[params, state] = step(params, state, x)`), without donating those arguments. Each call's
// results are then fresh buffers (the old state comes back to the pool only when V8 collects
// it), so every kernel binding them makes its bind groups again; donated (`jit(step,
// { donate_argnums })`, trace/jitDonation.ts) the state alternates between two sets of buffers
// and the groups are made once. Saving: the median time the fed calls spent making bind groups
// (measured around Dawn's createBindGroup), per call.

import type { Hint } from "@jitscope/contract";
import { formatMs } from "@jitscope/contract";
import { AdviceContext, worthShowing } from "./adviceContext.js";

/** Fewer calls fed their predecessor's results than this is not a loop. */
export const MIN_FED_CALLS = 5;

export function donateArguments(ctx: AdviceContext): Hint[] {
  const hints: Hint[] = [];
  for (const fact of ctx.facts.feedBacks ?? []) {
    // Most calls fed back: a function also called on fresh arguments is not a loop's step.
    if (fact.fedCalls < MIN_FED_CALLS || 2 * fact.fedCalls < fact.calls || fact.positions.length === 0) continue;
    const f = ctx.report.functions.find((fn) => fn.compilations.includes(fact.compilation));
    if (!f) continue;
    const saving = medianOf(fact.bindGroupMs);
    if (!worthShowing(saving, f.cost?.ms ?? f.msPerCall)) continue;
    const ps = fact.positions;
    const argnums = ps.length === 1 ? `${ps[0]}` : `[${ps.join(", ")}]`;
    hints.push({
      kind: "donate-arguments",
      message:
        `${f.name} was passed what its previous call returned as argument${ps.length > 1 ? "s" : ""} ${ps.join(" and ")} ` +
        `in ${fact.fedCalls} of ${fact.calls} calls: each call's results are new buffers, and making its kernels' bind ` +
        `groups over them took ${formatMs(saving)} a call. Donate ${ps.length > 1 ? "them" : "it"}: ` +
        `jit(${f.name}, { donate_argnums: ${argnums} }); each call then reuses the buffers the one before gave up`,
      location: f.location,
      estimatedSavingMs: saving,
      compilation: fact.compilation,
    });
  }
  return hints;
}

function medianOf(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
