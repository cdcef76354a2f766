// Reports on disk: Open Report… (validated before use), Export Chrome Trace…, Clear Results.

import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import * as path from "node:path";
import * as vscode from "vscode";
import { toChromeTrace } from "@jitscope/contract";
import { failureSummary, runSummary } from "../model/summary.js";
import { loadReportFile } from "../report/loadReport.js";
import { log, requireReport, setContextKeys, type Session } from "./session.js";

/** The report file a command was given (a path or Uri, for tests and other extensions), else
 *  the one the person picks in an open dialog labelled `openLabel`; undefined when dismissed.
 *  The dialog opens in the folder of the runs' reports (`reportsDir`, deep in VS Code's storage,
 *  where nobody would look) once it exists. */
export async function reportFileFrom(
  file: unknown,
  openLabel: string,
  reportsDir: string,
): Promise<string | undefined> {
  if (typeof file === "string") return file;
  if (file instanceof vscode.Uri) return file.fsPath;
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    filters: { "JIT Scope report": ["json"] },
    openLabel,
    defaultUri: existsSync(reportsDir) ? vscode.Uri.file(reportsDir) : undefined,
  });
  return picked?.[0]?.fsPath;
}

/** Opens a report; `file` (a path or Uri) skips the dialog, for tests and other extensions. */
export async function openReport(
  session: Session,
  file?: unknown,
): Promise<{ status: "loaded" | "invalid" | "dismissed"; error?: string }> {
  const target = await reportFileFrom(file, "Open Report", session.reports.dir);
  if (!target) return { status: "dismissed" };
  const loaded = await loadReportFile(target);
  if (!loaded.ok) {
    log(session, `Could not open ${target}: ${loaded.error}`);
    void vscode.window.showErrorMessage(`JIT Scope: ${path.basename(target)} is not a valid report (${loaded.error}).`);
    return { status: "invalid", error: loaded.error };
  }
  session.store.load(loaded.report, target);
  await setContextKeys(session, loaded.report.status);
  const line = failureSummary(loaded.report) ?? runSummary(loaded.report);
  log(session, `Opened ${target}: ${line}`);
  void vscode.window
    .showInformationMessage(`JIT Scope: ${line}`, "Open Graph")
    .then((b) => b && session.panel.show("graph"));
  return { status: "loaded" };
}

export async function exportChromeTrace(session: Session, file?: unknown): Promise<string | null> {
  const report = requireReport(session);
  if (!report) return null;
  let target = typeof file === "string" ? file : undefined;
  if (!target) {
    const base = path.basename(report.script).replace(/\.[^.]+$/, "");
    const picked = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(path.join(path.dirname(report.script), `${base}.trace.json`)),
      filters: { "Chrome trace": ["json"] },
      saveLabel: "Export Chrome Trace",
    });
    target = picked?.fsPath;
  }
  if (!target) return null;
  await writeFile(target, JSON.stringify(toChromeTrace(report)));
  log(session, `Chrome trace written to ${target} (open it in https://ui.perfetto.dev or chrome://tracing).`);
  void vscode.window.showInformationMessage(
    `JIT Scope: Chrome trace written to ${path.basename(target)}. Open it in Perfetto (ui.perfetto.dev).`,
  );
  return target;
}

export async function clearResults(session: Session): Promise<void> {
  session.store.clear();
  await setContextKeys(session, "");
  log(session, "Results cleared.");
}
