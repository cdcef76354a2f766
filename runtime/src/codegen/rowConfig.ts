// The knobs of a row kernel (lowerRowLocal.ts) the autotuner searches: whether a row's max and
// its sum of exp(x − max) share one loop (the online softmax, rowOnline.ts), how many lanes take
// a row (a subgroup, or one thread for rows too short to share), and how many rows a workgroup
// takes. The default, what the untuned compiler emits, keeps the two loops, gives a subgroup to
// rows longer than THREAD_ROW_MAX_COLS (one thread to shorter ones) and the rows per workgroup
// of subgroupSupport.ts' rowsPerWorkgroup() (64 threads' worth with a thread per row).

import { isSoftwareAdapter, rowLanes, rowsPerWorkgroup } from "./subgroupSupport.js";

export interface RowConfig {
  /** The max and the sum of exp(x − max) in one loop, where the kernel has them. */
  readonly online: boolean;
  /** Lanes per row: the subgroup's width, or 1 (a thread per row, no subgroup operations). */
  readonly lanes: number;
  /** Rows per workgroup: 1, or the default where it is more. */
  readonly rowsPerWorkgroup: number;
}

/** Rows of at most this many values get a thread each on a CPU adapter: a subgroup of 8 lanes
 *  sharing a short row leaves lanes idle and pays its subgroup operations (lavapipe, 2026-12-03,
 *  `node --import tsx bench/dev/row_lanes.ts`, two runs: log-softmax over [512,4] 0.11–0.18 ms
 *  with 8 lanes, 0.06–0.09 with one; [4096,16] 0.51–0.70 and 0.14–0.21; [1024,64] 0.21–0.39 and
 *  0.17–0.28; [256,128] 0.13–0.15 and 0.14–0.18).
 *  On a GPU, rows shorter than the subgroup. */
const THREAD_ROW_MAX_COLS = 64;
/** Rows a workgroup takes with a thread per row: 64 invocations, as elsewhere. */
const THREAD_ROWS_PER_WORKGROUP = 64;

function threadPerRow(cols: number, lanes: number): boolean {
  return isSoftwareAdapter() ? cols <= THREAD_ROW_MAX_COLS : cols < lanes;
}

function defaultsFor(lanes: number): { lanes: number; rowsPerWorkgroup: number } {
  return { lanes, rowsPerWorkgroup: lanes === 1 ? THREAD_ROWS_PER_WORKGROUP : rowsPerWorkgroup() };
}

/** The untuned kernel's configuration for rows of `cols` values, `lanes` the subgroup's. */
export function defaultRowConfig(cols: number, lanes = rowLanes()): RowConfig {
  return { online: false, ...defaultsFor(threadPerRow(cols, lanes) ? 1 : lanes) };
}

/** "online, 8 rows/wg", "two loops, 1 row/wg" or "two loops, a thread per row, 64 rows/wg":
 *  what the report calls a configuration. */
export function describeRowConfig(c: RowConfig): string {
  const rows = `${c.rowsPerWorkgroup} row${c.rowsPerWorkgroup === 1 ? "" : "s"}/wg`;
  return `${c.online ? "online" : "two loops"}, ${c.lanes === 1 ? "a thread per row, " : ""}${rows}`;
}

/** The search space, default first: the online loop where the kernel has a max and a sum of
 *  exp(x − max) to merge (`canOnline`); one row per workgroup where the default takes more; and
 *  the other lane count (a subgroup or a thread per row) with its own rows per workgroup. */
export function rowCandidates(canOnline: boolean, cols: number): RowConfig[] {
  const d = defaultRowConfig(cols);
  const other = defaultsFor(d.lanes === 1 ? rowLanes() : 1);
  const layouts = [
    { lanes: d.lanes, rowsPerWorkgroup: d.rowsPerWorkgroup },
    ...(d.rowsPerWorkgroup > 1 ? [{ lanes: d.lanes, rowsPerWorkgroup: 1 }] : []),
    ...(rowLanes() > 1 ? [other] : []),
  ];
  const out: RowConfig[] = [];
  for (const online of canOnline ? [false, true] : [false]) for (const l of layouts) out.push({ online, ...l });
  return out;
}

/** describeRowConfig's inverse over `rowCandidates(canOnline, cols)`; null for any other text. */
export function parseRowConfig(text: string, canOnline: boolean, cols: number): RowConfig | null {
  return rowCandidates(canOnline, cols).find((c) => describeRowConfig(c) === text) ?? null;
}
