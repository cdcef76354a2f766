// Comparing runs in the editor: after each run the report is diffed against the script's baseline
// (its previous run, or a report picked with "Compare with Report…"), and the CodeLens, line heat
// and the panel's Diff view show what moved. The diff is the CLI's (`jitscope diff --json`), so it
// reads exactly as it does in a terminal.

import * as path from "node:path";
import * as vscode from "vscode";
import type { Report, ReportDiff } from "@jitscope/contract";
import { loadReportFile } from "../report/loadReport.js";
import { diffRun } from "../runner/diffRun.js";
import { reportFileFrom } from "./reportFiles.js";
import { log, requireReport, settings, type Session } from "./session.js";

export interface BaselineDiff {
  diff: ReportDiff;
  label: string;
}

async function diffFiles(session: Session, oldReport: string, newReport: string): Promise<ReportDiff | null> {
  const result = await diffRun({
    cliPath: session.context.asAbsolutePath(path.join("dist", "cli.mjs")),
    settings: settings(),
    oldReport,
    newReport,
  });
  if (result.ok) return result.diff;
  log(session, `No comparison with ${oldReport}: ${result.error}`);
  return null;
}

/** The new report against its script's baseline, or null when the script has none (first run). */
export async function diffAgainstBaseline(
  session: Session,
  report: Report,
  reportPath: string,
): Promise<BaselineDiff | null> {
  const baselinePath = session.history.baselineFor(report.script);
  if (!baselinePath) return null;
  const diff = await diffFiles(session, baselinePath, reportPath);
  if (!diff) return null;
  return { diff, label: session.history.isPinned(report.script) ? path.basename(baselinePath) : "previous run" };
}

/** "Compare with Report…": `file` (a path or Uri) skips the dialog, for tests. */
export async function compareWithReport(
  session: Session,
  file?: unknown,
): Promise<{ status: "compared" | "invalid" | "dismissed" | "no-results"; summary?: string; error?: string }> {
  const current = requireReport(session);
  const currentPath = session.store.current?.reportPath ?? null;
  if (!current || !currentPath) return { status: "no-results" };
  const target = await reportFileFrom(file, "Compare with This Report", session.reports.dir);
  if (!target) return { status: "dismissed" };
  const loaded = await loadReportFile(target);
  if (!loaded.ok) {
    void vscode.window.showErrorMessage(`JIT Scope: ${path.basename(target)} is not a valid report (${loaded.error}).`);
    return { status: "invalid", error: loaded.error };
  }
  const diff = await diffFiles(session, target, currentPath);
  if (!diff) {
    void vscode.window.showErrorMessage(
      `JIT Scope: could not compare with ${path.basename(target)} (see the JIT Scope output).`,
    );
    return { status: "invalid", error: "diff failed" };
  }
  session.history.pin(current.script, target);
  const label = path.basename(target);
  session.store.setDiff(diff, label);
  log(session, `Compared with ${target}: ${diff.summary.text}`);
  session.panel.show("diff");
  void vscode.window.showInformationMessage(`JIT Scope: vs ${label}: ${diff.summary.text}`);
  return { status: "compared", summary: diff.summary.text };
}
