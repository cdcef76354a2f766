// What every view gets from the app: the report, the remembered state, the host, and a way to
// change state (which persists it and redraws).

import type { KernelReport, Report, ReportDiff } from "@jitscope/contract";
import type { PanelHost } from "../host.js";
import type { PanelState } from "../state.js";
import type { Tooltip } from "./tooltip.js";

export interface PanelContext {
  readonly report: Report;
  /** The report against its baseline, when there is one. */
  readonly diff: ReportDiff | null;
  readonly kernels: ReadonlyMap<string, KernelReport>;
  readonly state: Readonly<PanelState>;
  readonly host: PanelHost;
  readonly tooltip: Tooltip;
  update(patch: Partial<PanelState>): void;
  /** A line in the status bar (and what the standalone page shows instead of opening an editor). */
  status(text: string): void;
  /** Shows a block of text (IR, WGSL) on the page: the standalone stand-in for an editor. */
  showText(title: string, text: string): void;
}

export interface PanelViewImpl {
  readonly element: HTMLElement;
  /** Redraws from ctx; called on every state change while the view is visible. */
  update(ctx: PanelContext): void;
}
