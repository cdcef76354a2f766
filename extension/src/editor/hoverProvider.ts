// Hover on a line that produced kernels: a lookup in the report's line index (through the line
// tracker, so an edited file never shows another line's results).

import * as vscode from "vscode";
import { HOVER_LINK_COMMANDS } from "../model/commandIds.js";
import { lineHoverMarkdown } from "../model/hover.js";
import type { ResultsStore } from "../model/results.js";

export class ReportHoverProvider implements vscode.HoverProvider {
  constructor(private readonly store: ResultsStore) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | null {
    const loaded = this.store.current;
    if (!loaded) return null;
    const file = document.uri.fsPath;
    const tracker = this.store.tracker(file);
    const reportLine = tracker ? tracker.reportLineAt(position.line + 1) : null;
    if (reportLine === null) return null;
    const text = lineHoverMarkdown(loaded.index, file, reportLine, { edited: tracker?.edited ?? false });
    if (!text) return null;
    const md = new vscode.MarkdownString(text);
    // Only our own argument-taking commands may run from these links.
    md.isTrusted = { enabledCommands: [...HOVER_LINK_COMMANDS] };
    return new vscode.Hover(md, document.lineAt(position.line).range);
  }
}
