// Registers every command with its handler (ids from model/commandIds.ts; titles in package.json).

import * as vscode from "vscode";
import { PANEL_VIEWS, type PanelView } from "@jitscope/contract";
import { CommandIds } from "../model/commandIds.js";
import {
  openKernelWgslAt,
  openSourceAt,
  openPassDiffAt,
  openPassIrAt,
  revealKernel,
  showIrAfterPass,
  showKernelWgsl,
  showPassDiff,
} from "./browse.js";
import { compareWithReport } from "./baseline.js";
import { openExample } from "./openExample.js";
import { profileCommand } from "./profile.js";
import { clearResults, exportChromeTrace, openReport } from "./reportFiles.js";
import type { Session } from "./session.js";

/** `showGraphPanel` takes an optional `{ view, compilation }` (from CodeLens and tests). */
function panelArgs(arg: unknown): { view: PanelView; compilation?: string } {
  const a = typeof arg === "object" && arg !== null ? (arg as Record<string, unknown>) : {};
  const view = PANEL_VIEWS.find((v) => v === a.view) ?? "graph";
  const compilation = typeof a.compilation === "string" && a.compilation.length <= 256 ? a.compilation : undefined;
  return { view, compilation };
}

export function registerCommands(session: Session): vscode.Disposable[] {
  const reg = (id: string, fn: (...args: unknown[]) => unknown) => vscode.commands.registerCommand(id, fn);
  return [
    reg(CommandIds.profileCurrentFile, () => profileCommand(session, false)),
    reg(CommandIds.compareEagerVsJit, () => profileCommand(session, true)),
    reg(CommandIds.showGraphPanel, (arg) => {
      const { view, compilation } = panelArgs(arg);
      session.panel.show(view, compilation);
      return true;
    }),
    reg(CommandIds.showIrAfterPass, () => showIrAfterPass(session)),
    reg(CommandIds.showPassDiff, () => showPassDiff(session)),
    reg(CommandIds.showKernelWgsl, () => showKernelWgsl(session)),
    reg(CommandIds.openReport, (file) => openReport(session, file)),
    reg(CommandIds.compareWithReport, (file) => compareWithReport(session, file)),
    reg(CommandIds.exportChromeTrace, (file) => exportChromeTrace(session, file)),
    reg(CommandIds.clearResults, () => clearResults(session)),
    reg(CommandIds.openExample, (name) => openExample(session, name)),
    reg(CommandIds.revealKernel, (kernel) => revealKernel(session, kernel)),
    reg(CommandIds.openKernelWgslAt, (kernel, file, line) => openKernelWgslAt(session, kernel, file, line)),
    reg(CommandIds.openPassIrAt, (c, p, file, line) => openPassIrAt(session, c, p, file, line)),
    reg(CommandIds.openPassDiffAt, (c, p) => openPassDiffAt(session, c, p)),
    reg(CommandIds.openSourceAt, (file, line, column) => openSourceAt(session, file, line, column)),
  ];
}
