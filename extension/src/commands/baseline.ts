// Comparing runs in the editor: after each run the report is diffed against the script's baseline
// (its previous run, or a report picked with "Compare with Report…"), and the CodeLens, line heat
// and the panel's Diff view show what moved. The diff is the runtime's own (diffReports), so it
// reads exactly as `jitscope diff` does.

import * as path from "node:path";
import * as vscode from "vscode";
import { diffReports } from "../../../runtime/src/profile/diff.js";
import type { ReportDiff } from "../../../runtime/src/profile/reportDiff.js";
import type { Report } from "../../../runtime/src/profile/report.js";
import { loadReportFile } from "../report/loadReport.js";
import { log, requireReport, type Session } from "./session.js";

export interface BaselineDiff {
  diff: ReportDiff;
  label: string;
}

/** The new report against its script's baseline, or null when the script has none (first run). */
export async function diffAgainstBaseline(session: Session, report: Report): Promise<BaselineDiff | null> {
  const baselinePath = session.history.baselineFor(report.script);
  if (!baselinePath) return null;
  const loaded = await loadReportFile(baselinePath);
  if (!loaded.ok) {
    log(session, `Baseline ${baselinePath} could not be read (${loaded.error}); no comparison this time.`);
    return null;
  }
  const label = session.history.isPinned(report.script) ? path.basename(baselinePath) : "previous run";
  return { diff: diffReports(loaded.report, report), label };
}

/** "Compare with Report…": `file` (a path or Uri) skips the dialog, for tests. */
export async function compareWithReport(session: Session, file?: unknown): Promise<{ status: "compared" | "invalid" | "dismissed" | "no-results"; summary?: string; error?: string }> {
  const current = requireReport(session);
  if (!current) return { status: "no-results" };
  let target: string | undefined;
  if (typeof file === "string") target = file;
  else if (file instanceof vscode.Uri) target = file.fsPath;
  else {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { "JIT Scope report": ["json"] }, openLabel: "Compare with This Report" });
    target = picked?.[0]?.fsPath;
  }
  if (!target) return { status: "dismissed" };
  const loaded = await loadReportFile(target);
  if (!loaded.ok) {
    void vscode.window.showErrorMessage(`JIT Scope: ${path.basename(target)} is not a valid report (${loaded.error}).`);
    return { status: "invalid", error: loaded.error };
  }
  session.history.pin(current.script, target);
  const diff = diffReports(loaded.report, current);
  const label = path.basename(target);
  session.store.setDiff(diff, label);
  log(session, `Compared with ${target}: ${diff.summary.text}`);
  session.panel.show("diff");
  void vscode.window.showInformationMessage(`JIT Scope: vs ${label}: ${diff.summary.text}`);
  return { status: "compared", summary: diff.summary.text };
}
