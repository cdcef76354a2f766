// recompile: a jitted function traced and compiled again and again because its arguments keep
// changing shape (or a plain number argument keeps changing value), or because jit(...) itself
// runs again at one line, each new jitted function compiling the same program. Padding the
// changing axis to a few bucket sizes, passing the number as an array, or calling jit once leaves
// one compilation per bucket.
// A compilation costs its compile time, the driver's compile of its kernels' pipelines at their
// first dispatch (seconds on lavapipe; a kernel sharing a pipeline compiled before has none), and
// the first-dispatch excess of its kernels (a first run is slower than later ones). Saving: that
// cost for every compilation after the first, spread over the function's calls.

import type { Compilation, Hint } from "@jitscope/contract";
import { AdviceContext, worthShowing } from "./adviceContext.js";

/** Fewer compilations than this is a function used at two shapes on purpose (train / eval). */
export const RECOMPILE_MIN = 3;
const DETAILS_LIMIT = 12;

export function recompile(ctx: AdviceContext): Hint[] {
  const hints: Hint[] = [];
  const byId = new Map(ctx.report.compilations.map((c) => [c.id, c]));
  for (const f of ctx.report.functions) {
    const comps = f.compilations.map((id) => byId.get(id)).filter((c) => c !== undefined);
    if (comps.length < RECOMPILE_MIN || f.calls === 0) continue;
    // An eager qr / svd / eigh compiles per shape as any eager op does: nothing to pad.
    if (comps.every((c) => c.library === true)) continue;
    const signatures = [...new Set(comps.map((c) => c.signature))];
    const inputs = new Set(comps.map((c) => c.signature.split(" -> ")[0]));
    const byShape = inputs.size >= RECOMPILE_MIN;
    // Every compilation a "first call": jit(...) itself ran again at this line (inside a loop or
    // a function), and each new jitted function starts with an empty cache. The same program each
    // time is avoidable; different programs (closures over different values) are not.
    const recreated = !byShape && comps.every((c) => c.reason === "first call");
    if (recreated && signatures.length > 1) continue;
    const avoidableMs = comps.slice(1).reduce((t, c) => t + compilationCostMs(ctx, c), 0);
    const saving = avoidableMs / f.calls;
    if (!worthShowing(saving, f.cost?.ms ?? f.msPerCall)) continue;
    const seen = byShape || recreated ? signatures : comps.slice(1).map((c) => `recompiled: ${c.reason}`);
    const ms = `${avoidableMs.toFixed(0)} ms compiling`;
    hints.push({
      kind: "recompile",
      message: byShape
        ? `${f.name} was compiled ${comps.length} times for ${inputs.size} input shapes in ${f.calls} calls (${ms}): ` +
          `pad the changing axis to a few bucket sizes, or make the changing value a static argument`
        : recreated
          ? `${f.name} was jitted anew ${comps.length} times (jit(...) ran again at this line; ${f.calls} calls, ${ms}): ` +
            `a new jitted function starts with an empty cache, so the same program was traced and compiled each time; ` +
            `call jit once, outside the loop or the function around it, and reuse the result`
          : `${f.name} was compiled ${comps.length} times in ${f.calls} calls because a plain number argument changed value (${ms}): ` +
            `pass it as an array (np.array(value)) so it is traced, not baked in`,
      location: f.location,
      estimatedSavingMs: saving,
      compilation: comps[comps.length - 1]!.id,
      details: [
        ...seen.slice(0, DETAILS_LIMIT),
        ...(seen.length > DETAILS_LIMIT ? [`… and ${seen.length - DETAILS_LIMIT} more`] : []),
      ],
    });
  }
  return hints;
}

/** Compile time plus each kernel's driver compile and first-dispatch excess over its later
 *  dispatches, ms. */
export function compilationCostMs(ctx: AdviceContext, c: Compilation): number {
  let ms = c.compileMs.total;
  for (const id of c.kernels) {
    ms += (ctx.facts.driverCompileNs?.get(id) ?? 0) / 1e6;
    const k = ctx.kernels.get(id);
    const first = k?.gpuTimesNs[0];
    if (!k || first === undefined) continue;
    const later = k.gpuTimesNs.length > 1 ? k.medianNs : 0;
    ms += Math.max(0, first - later) / 1e6;
  }
  return ms;
}
