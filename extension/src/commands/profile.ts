// "Profile Current File" and "Compare Eager vs JIT": save the file, run the CLI child under a
// cancellable progress notification, stream its console to the output channel, load the report,
// then summarise. Returns a result object so tests (and other extensions) can await the outcome.

import * as path from "node:path";
import * as vscode from "vscode";
import { CommandIds } from "../model/commandIds.js";
import { failureSummary, partialWorthShowing, runSummary } from "../model/summary.js";
import { describeOutcome, profileRun } from "../runner/profileRun.js";
import { diffAgainstBaseline } from "./baseline.js";
import { log, pruneReports, setContextKeys, settings, type Session } from "./session.js";

export type ProfileStatus =
  "completed" | "error" | "timeout" | "cancelled" | "crashed" | "untrusted" | "no-file" | "busy" | "no-report";

export interface ProfileCommandResult {
  status: ProfileStatus;
  reportPath?: string;
  summary?: string;
}

const RUNNABLE = new Set([".ts", ".mts", ".js", ".mjs"]);

/** Explains why nothing runs in an untrusted workspace; false when trusted. */
export function refuseUntrusted(): boolean {
  if (vscode.workspace.isTrusted) return false;
  void vscode.window.showWarningMessage(
    "JIT Scope runs your script to profile it, which needs a trusted workspace. Trust this workspace (Manage Workspace Trust) to profile; “Open Report…” works without trust.",
  );
  return true;
}

async function scriptToRun(): Promise<string | null> {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc || doc.uri.scheme !== "file" || !RUNNABLE.has(path.extname(doc.uri.fsPath).toLowerCase())) {
    void vscode.window.showWarningMessage("JIT Scope: open a .ts, .js or .mjs file saved on disk to profile it.");
    return null;
  }
  if (doc.isDirty && !(await doc.save())) {
    void vscode.window.showWarningMessage("JIT Scope: the file could not be saved, so it was not run.");
    return null;
  }
  return doc.uri.fsPath;
}

export async function profileCommand(session: Session, compare: boolean): Promise<ProfileCommandResult> {
  if (refuseUntrusted()) return { status: "untrusted" };
  if (session.running) {
    void vscode.window.showInformationMessage("JIT Scope: a profile is already running.");
    return { status: "busy" };
  }
  const script = await scriptToRun();
  if (!script) return { status: "no-file" };

  const config = settings();
  const controller = new AbortController();
  session.running = controller;
  let endRun = () => {};
  session.runEnded = new Promise<void>((resolve) => (endRun = resolve));
  await setContextKeys(session);
  session.statusBar.running(path.basename(script));
  session.output.show(true);
  log(
    session,
    `\n▶ ${compare ? "Comparing eager vs jit" : "Profiling"} ${script} (runs ${config.runs}, backend ${config.backend}, timeout ${config.timeoutSeconds} s)`,
  );

  try {
    const result = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `JIT Scope: ${compare ? "comparing" : "profiling"} ${path.basename(script)}`,
        cancellable: true,
      },
      async (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        progress.report({ message: "running…" });
        return profileRun({
          cliPath: session.context.asAbsolutePath(path.join("dist", "cli.mjs")),
          script,
          settings: config,
          compare,
          // Were the storage folder not writable, the run still goes ahead (in a temporary folder).
          reportPath: await session.reports.newPath(script).catch(() => undefined),
          signal: controller.signal,
          onOutput: (_stream, text) => session.output.append(text),
        });
      },
    );
    log(session, describeOutcome(result, config.timeoutSeconds));

    if (result.child.outcome === "cancelled" || result.child.outcome === "timeout") {
      // A partial report (the CLI writes one when stopped) replaces the last results only when
      // it has something to show; an empty one would just wipe them.
      if (result.report && partialWorthShowing(result.report)) session.store.load(result.report, result.reportPath);
      const status = result.child.outcome;
      void vscode.window.showWarningMessage(`JIT Scope: ${describeOutcome(result, config.timeoutSeconds)}`);
      await setContextKeys(session, status);
      return { status, reportPath: result.report ? result.reportPath : undefined };
    }
    if (!result.report) {
      log(session, `No report: ${result.reportError ?? "unknown"}`);
      void vscode.window
        .showErrorMessage(
          `JIT Scope: ${describeOutcome(result, config.timeoutSeconds)} No report was written.`,
          "Show Output",
        )
        .then((b) => b && session.output.show());
      await setContextKeys(session, "no-report");
      return { status: result.child.outcome === "spawn-error" ? "crashed" : "no-report" };
    }

    const report = result.report;
    const compared = await diffAgainstBaseline(session, report, result.reportPath);
    session.store.load(report, result.reportPath, compared?.diff ?? null, compared?.label);
    session.history.recordRun(script, result.reportPath);
    if (compared) log(session, `vs ${compared.label}: ${compared.diff.summary.text}`);
    for (const note of report.device.notes) log(session, `Note: ${note}`);
    log(session, `Report: ${result.reportPath}`);
    const failure = failureSummary(report);
    if (failure) {
      log(session, failure);
      void vscode.window
        .showErrorMessage(`JIT Scope: ${failure}`, "Show Output")
        .then((b) => b && session.output.show());
      await setContextKeys(session, report.status);
      return { status: report.status, reportPath: result.reportPath };
    }
    const summary = compared
      ? `${runSummary(report)} · vs ${compared.label}: ${compared.diff.summary.text}`
      : runSummary(report);
    log(session, summary);
    if (compare) session.panel.show("compare");
    const compareButton = report.comparison ? "Open Comparison" : "Compare Eager vs JIT";
    void vscode.window.showInformationMessage(`JIT Scope: ${summary}`, "Open Graph", compareButton).then((choice) => {
      if (choice === "Open Graph") session.panel.show("graph");
      else if (choice === "Open Comparison") session.panel.show("compare");
      else if (choice === "Compare Eager vs JIT") void vscode.commands.executeCommand(CommandIds.compareEagerVsJit);
    });
    await setContextKeys(session, "completed");
    return { status: "completed", reportPath: result.reportPath, summary };
  } finally {
    await pruneReports(session);
    session.running = null;
    session.runEnded = null;
    endRun();
    session.statusBar.update();
    await setContextKeys(session);
  }
}
