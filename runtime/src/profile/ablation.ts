// What a compiler pass was worth (`jitscope profile --ablate <pass>`): the script run again with
// the pass turned off, each jitted function's dispatches and cost per call with and without it.

import {
  callCostOf,
  type FunctionReport,
  type PassAblation,
  type Report,
  type SourceLocation,
} from "@jitscope/contract";

const sameLocation = (a: SourceLocation | null, b: SourceLocation | null): boolean =>
  a === null || b === null ? a === b : a.file === b.file && a.line === b.line && a.column === b.column;

/** Per jitted function found in both runs (same name, same `jit(` site). */
export function ablationOf(pass: string, withPass: Report, withoutPass: Report): PassAblation {
  const functions = withPass.functions.flatMap((f: FunctionReport) => {
    if (f.compilations.length === 0) return [];
    const o = withoutPass.functions.find((g) => g.name === f.name && sameLocation(g.location, f.location));
    if (!o) return [];
    return [
      {
        name: f.name,
        location: f.location,
        dispatchesWith: f.kernelsPerCall,
        dispatchesWithout: o.kernelsPerCall,
        msWith: callCostOf(f).ms,
        msWithout: callCostOf(o).ms,
      },
    ];
  });
  return { pass, functions };
}
