// Feeds document edits to the results store so annotations move with their lines or go stale.

import * as vscode from "vscode";
import type { ResultsStore } from "../model/results.js";

export function trackEdits(store: ResultsStore): vscode.Disposable {
  return vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.document.uri.scheme !== "file" || e.contentChanges.length === 0 || !store.current) return;
    store.applyEdits(
      e.document.uri.fsPath,
      e.contentChanges.map((c) => ({
        startLine: c.range.start.line,
        startCharacter: c.range.start.character,
        endLine: c.range.end.line,
        endCharacter: c.range.end.character,
        text: c.text,
      })),
    );
  });
}
