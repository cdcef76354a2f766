// One sentence for the autotuner's record, the same in the CLI summary, the hover, the panel's
// Kernels table and the HTML page: "tried 9 variants; 4×8 vec4 wg8×8 won, 1.8× over the
// default (searched)". The margin is the default's median time ÷ the winner's (README).

import { formatNs } from "./format.js";
import type { KernelAutotune } from "./report.js";

export function formatAutotune(a: KernelAutotune): string {
  const n = a.candidates.length;
  const tried = `tried ${n} variant${n === 1 ? "" : "s"}`;
  const how = a.source === "cache" ? "from the autotune cache" : `searched in ${Math.round(a.budgetMs)} ms budget`;
  if (a.winner === a.defaultConfig) {
    const unconfirmed = a.unconfirmed ? `; ${a.unconfirmed} was faster once but lost the paired re-check` : "";
    return `${tried}; the default ${a.winner} won (${how}${unconfirmed})`;
  }
  return `${tried}; ${a.winner} won, ${a.speedupOverDefault.toFixed(2)}× over the default ${a.defaultConfig} (${how})`;
}

/** The same record in a table cell: "4×8 vec4 wg8×8 · 1.80× over default · 9 variants". */
export function formatAutotuneShort(a: KernelAutotune): string {
  const n = `${a.candidates.length} variant${a.candidates.length === 1 ? "" : "s"}`;
  if (a.winner === a.defaultConfig) return `default ${a.winner} · ${n}`;
  return `${a.winner} · ${a.speedupOverDefault.toFixed(2)}× over default · ${n}`;
}

/** Every candidate's median time in the order tried, the default and the winner marked:
 *  "vec4 ×4 wg64 176 µs (default) · vec4 ×4 wg128 115 µs (won) · …". */
export function formatAutotuneCandidates(a: KernelAutotune): string {
  return a.candidates
    .map((c) => {
      const marks = [c.config === a.defaultConfig ? "default" : "", c.config === a.winner ? "won" : ""].filter(Boolean);
      return `${c.config} ${formatNs(c.medianNs)}${marks.length ? ` (${marks.join(", ")})` : ""}`;
    })
    .join(" · ");
}
