// Hover on a line that produced kernels: a lookup in the report's line index (through the line
// tracker, so an edited file never shows another line's results).
//
// While a run is in flight, the hover waits for it to end instead of answering "nothing": VS Code
// keeps a hover computation alive while the mouse returns to the same word (its other providers,
// TypeScript's among them, may still be busy), so an early "nothing" stayed the answer for that
// word long after the results had loaded.

import * as vscode from "vscode";
import { HOVER_LINK_COMMANDS } from "../model/commandIds.js";
import { lineHoverMarkdown } from "../model/hover.js";
import type { ResultsStore } from "../model/results.js";

export class ReportHoverProvider implements vscode.HoverProvider {
  /** `runInFlight` resolves when the profile run in flight ends; null when none is running. */
  constructor(
    private readonly store: ResultsStore,
    private readonly runInFlight: () => Promise<unknown> | null = () => null,
  ) {}

  provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
    token?: vscode.CancellationToken,
  ): vscode.ProviderResult<vscode.Hover> {
    const run = this.runInFlight();
    return run ? this.afterRun(run, document, position, token) : this.hoverNow(document, position);
  }

  private async afterRun(
    run: Promise<unknown>,
    document: vscode.TextDocument,
    position: vscode.Position,
    token?: vscode.CancellationToken,
  ): Promise<vscode.Hover | null> {
    let onCancel: vscode.Disposable | undefined;
    const cancelled = new Promise<void>((resolve) => (onCancel = token?.onCancellationRequested(() => resolve())));
    try {
      await Promise.race([
        run.then(
          () => undefined,
          () => undefined,
        ),
        cancelled,
      ]);
    } finally {
      onCancel?.dispose();
    }
    return token?.isCancellationRequested ? null : this.hoverNow(document, position);
  }

  private hoverNow(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | null {
    const loaded = this.store.current;
    if (!loaded) return null;
    const file = document.uri.fsPath;
    const tracker = this.store.tracker(file);
    const reportLine = tracker ? tracker.reportLineAt(position.line + 1) : null;
    if (reportLine === null) return null;
    const diff = loaded.diff ? { diff: loaded.diff, label: loaded.baselineLabel } : null;
    const text = lineHoverMarkdown(loaded.index, file, reportLine, { edited: tracker?.edited ?? false, diff });
    if (!text) return null;
    const md = new vscode.MarkdownString(text);
    // Only our own argument-taking commands may run from these links.
    md.isTrusted = { enabledCommands: [...HOVER_LINK_COMMANDS] };
    return new vscode.Hover(md, document.lineAt(position.line).range);
  }
}
