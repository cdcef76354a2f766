// One sentence for the autotuner's record, the same in the CLI summary, the hover, the panel's
// Kernels table and the HTML page: "tried 9 variants; 4×8 vec4 wg8×8 won, 1.8× over the
// default (searched)". The margin is the default's median time ÷ the winner's (README).

import type { KernelAutotune } from "./report.js";

export function formatAutotune(a: KernelAutotune): string {
  const n = a.candidates.length;
  const tried = `tried ${n} variant${n === 1 ? "" : "s"}`;
  const how = a.source === "cache" ? "from the autotune cache" : `searched in ${Math.round(a.budgetMs)} ms budget`;
  if (a.winner === a.defaultConfig) return `${tried}; the default ${a.winner} won (${how})`;
  return `${tried}; ${a.winner} won, ${a.speedupOverDefault.toFixed(2)}× over the default ${a.defaultConfig} (${how})`;
}
