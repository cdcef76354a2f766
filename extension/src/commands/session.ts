// What every command handler shares: the store, the output channel, the panel, the virtual
// documents, and the context keys that tell menus (and end-to-end tests) where things stand.

import * as vscode from "vscode";
import type { Report } from "@jitscope/contract";
import type { ResultsStore } from "../model/results.js";
import { readSettings, type JitScopeSettings } from "../model/settings.js";
import type { VirtualDocuments } from "../editor/virtualDocuments.js";
import type { PanelHost } from "../panel/panelHost.js";
import type { RunStatusBar } from "../editor/statusBar.js";
import type { RunHistory } from "../model/runHistory.js";
import type { ReportFolder } from "../runner/reportFolder.js";

export interface Session {
  context: vscode.ExtensionContext;
  store: ResultsStore;
  output: vscode.OutputChannel;
  panel: PanelHost;
  docs: VirtualDocuments;
  statusBar: RunStatusBar;
  /** Each script's baseline for the next comparison. */
  history: RunHistory;
  /** Where profile runs write their reports (the extension's storage), and which it keeps. */
  reports: ReportFolder;
  /** Set while a profile run is in flight (one at a time). */
  running: AbortController | null;
  /** Resolves when the run in flight has ended and its results are loaded (null when none). */
  runEnded: Promise<void> | null;
}

export function settings(): JitScopeSettings {
  const config = vscode.workspace.getConfiguration("jitscope");
  return readSettings((key) => config.get(key));
}

export function log(session: Session, line: string): void {
  session.output.appendLine(line);
}

let finishedRuns = 0;

/**
 * Context keys: `jitscope.hasResults`, `jitscope.running`, and after each run or opened report
 * `jitscope.lastRunStatus` and `jitscope.finishedRuns` (a counter, so a test can wait for the
 * next run to finish even when its status equals the last one).
 */
export async function setContextKeys(session: Session, lastStatus?: string): Promise<void> {
  await vscode.commands.executeCommand("setContext", "jitscope.hasResults", session.store.current !== null);
  await vscode.commands.executeCommand("setContext", "jitscope.running", session.running !== null);
  if (lastStatus !== undefined) {
    await vscode.commands.executeCommand("setContext", "jitscope.lastRunStatus", lastStatus);
    await vscode.commands.executeCommand("setContext", "jitscope.finishedRuns", ++finishedRuns);
  }
}

const LAST_REPORT_KEY = "jitscope.lastReportPath";

/** Remembers the report on disk, so a panel restored after a reload can show it again. */
export function rememberReport(session: Session, reportPath: string | null): void {
  void session.context.workspaceState.update(LAST_REPORT_KEY, reportPath ?? undefined);
}

export function rememberedReport(session: Session): string | undefined {
  const v = session.context.workspaceState.get<unknown>(LAST_REPORT_KEY);
  return typeof v === "string" ? v : undefined;
}

/** Removes the report folder's old reports, keeping every one still in use. */
export async function pruneReports(session: Session): Promise<void> {
  const inUse = [...session.history.inUse(), session.store.current?.reportPath, rememberedReport(session)];
  try {
    await session.reports.prune(inUse);
  } catch (e) {
    // A report that cannot be removed now goes at a later run; the results on screen are unaffected.
    log(session, `Could not remove old reports in ${session.reports.dir}: ${(e as Error).message}`);
  }
}

/** The loaded report, or a message saying how to get one. */
export function requireReport(session: Session): Report | null {
  const loaded = session.store.current;
  if (!loaded) {
    void vscode.window.showInformationMessage(
      "JIT Scope: no results yet. Run “JIT Scope: Profile Current File” or “JIT Scope: Open Report…” first.",
    );
    return null;
  }
  return loaded.report;
}
