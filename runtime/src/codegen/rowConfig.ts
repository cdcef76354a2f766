// The knobs of a row kernel (lowerRowLocal.ts) the autotuner searches: whether a row's max and
// its sum of exp(x − max) share one loop (the online softmax, rowOnline.ts) and how many rows a
// workgroup takes (one subgroup each). The default, what the untuned compiler emits, keeps the
// two loops and the rows per workgroup of subgroupSupport.ts' rowsPerWorkgroup().

import { rowsPerWorkgroup } from "./subgroupSupport.js";

export interface RowConfig {
  /** The max and the sum of exp(x − max) in one loop, where the kernel has them. */
  readonly online: boolean;
  /** Rows (subgroups) per workgroup: 1, or the default where it is more. */
  readonly rowsPerWorkgroup: number;
}

export function defaultRowConfig(): RowConfig {
  return { online: false, rowsPerWorkgroup: rowsPerWorkgroup() };
}

/** "online, 8 rows/wg" or "two loops, 1 row/wg": what the report calls a configuration. */
export function describeRowConfig(c: RowConfig): string {
  const rows = `${c.rowsPerWorkgroup} row${c.rowsPerWorkgroup === 1 ? "" : "s"}/wg`;
  return `${c.online ? "online" : "two loops"}, ${rows}`;
}

/** The search space, default first: the online loop where the kernel has a max and a sum of
 *  exp(x − max) to merge (`canOnline`), and one row per workgroup where the default takes more. */
export function rowCandidates(canOnline: boolean): RowConfig[] {
  const d = defaultRowConfig();
  const rpws = d.rowsPerWorkgroup > 1 ? [d.rowsPerWorkgroup, 1] : [1];
  const out: RowConfig[] = [];
  for (const online of canOnline ? [false, true] : [false])
    for (const rowsPerWorkgroup of rpws) out.push({ online, rowsPerWorkgroup });
  return out;
}

/** describeRowConfig's inverse over `rowCandidates(canOnline)`; null for any other text. */
export function parseRowConfig(text: string, canOnline: boolean): RowConfig | null {
  return rowCandidates(canOnline).find((c) => describeRowConfig(c) === text) ?? null;
}
