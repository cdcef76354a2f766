// What the panel remembers across hide/show (vscode.setState): which view, compilation and pass,
// the graph's large-graph controls and the table's sort. Read back from getState defensively.

import { PANEL_VIEWS, type PanelView } from "@jitscope/contract";
import { DEFAULT_KERNEL_SORT, type KernelSort, type KernelSortKey } from "./model/kernelTable.js";

export interface PanelState {
  view: PanelView;
  compilation: string | null;
  /** Pass index per compilation id. */
  passIndex: Record<string, number>;
  hideConstants: boolean;
  collapsed: string[];
  /** Kernels expanded where kernels start collapsed (the kernel graph, big programs). */
  expanded: string[];
  search: string;
  kernelSort: KernelSort;
  /** Node ids to emphasise (a revealed kernel or line), in the graph shown: the open loop body's. */
  revealed: string[];
  /** The loop body open in the Graph view: loop node ids, outermost first ([]: the function). */
  loop: string[];
  /** Scopes the user opened (true) or closed (false); the rest follow the default. */
  scopeToggles: Record<string, boolean>;
  /** The kernel graph: one node per kernel. */
  kernelView: boolean;
  /** The Kernels table grouped by function. */
  groupKernels: boolean;
}

// Every column's key (a Record, so a new column cannot be left out: the Bound and Autotune
// sorts were not restored when this was a list).
const SORT_KEY_SET: Record<KernelSortKey, true> = {
  name: true,
  fn: true,
  scope: true,
  calls: true,
  medianNs: true,
  p90Ns: true,
  totalNs: true,
  gbPerS: true,
  gflopPerS: true,
  efficiency: true,
  ops: true,
  lines: true,
  autotune: true,
};
const SORT_KEYS = Object.keys(SORT_KEY_SET) as KernelSortKey[];

export function defaultState(): PanelState {
  return {
    view: "graph",
    compilation: null,
    passIndex: {},
    hideConstants: false,
    collapsed: [],
    expanded: [],
    search: "",
    kernelSort: DEFAULT_KERNEL_SORT,
    revealed: [],
    loop: [],
    scopeToggles: {},
    kernelView: false,
    groupKernels: false,
  };
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : []);

/** A PanelState from whatever getState returned (older shapes, nothing at all). */
export function restoreState(saved: unknown): PanelState {
  const s = defaultState();
  if (typeof saved !== "object" || saved === null) return s;
  const r = saved as Record<string, unknown>;
  if (PANEL_VIEWS.includes(r.view as PanelView)) s.view = r.view as PanelView;
  if (typeof r.compilation === "string") s.compilation = r.compilation;
  if (typeof r.passIndex === "object" && r.passIndex !== null) {
    for (const [k, v] of Object.entries(r.passIndex)) if (Number.isInteger(v)) s.passIndex[k] = v as number;
  }
  s.hideConstants = r.hideConstants === true;
  s.collapsed = strings(r.collapsed);
  s.expanded = strings(r.expanded);
  s.search = typeof r.search === "string" ? r.search : "";
  const ks = r.kernelSort as Record<string, unknown> | undefined;
  if (ks && SORT_KEYS.includes(ks.key as KernelSortKey))
    s.kernelSort = { key: ks.key as KernelSortKey, descending: ks.descending === true };
  s.revealed = strings(r.revealed);
  s.loop = strings(r.loop);
  if (typeof r.scopeToggles === "object" && r.scopeToggles !== null) {
    for (const [k, v] of Object.entries(r.scopeToggles)) if (typeof v === "boolean") s.scopeToggles[k] = v;
  }
  s.kernelView = r.kernelView === true;
  s.groupKernels = r.groupKernels === true;
  return s;
}
