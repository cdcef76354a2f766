// Report hints → information diagnostics in the Problems panel ("JIT Scope hints"), replaced on
// every report and cleared with it.

import * as vscode from "vscode";
import { reportHintProblems } from "../model/hints.js";
import type { ResultsStore } from "../model/results.js";

export const HINTS_COLLECTION = "JIT Scope hints";

export class HintDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(HINTS_COLLECTION);
  private readonly subscription: { dispose(): void };

  constructor(private readonly store: ResultsStore) {
    this.subscription = store.onChange((change) => change !== "edited" && this.update());
    this.update();
  }

  private update(): void {
    this.collection.clear();
    const loaded = this.store.current;
    if (!loaded) return;
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const p of reportHintProblems(loaded.report)) {
      const d = new vscode.Diagnostic(
        new vscode.Range(p.line, p.column, p.line, Number.MAX_SAFE_INTEGER),
        p.message,
        vscode.DiagnosticSeverity.Information,
      );
      d.source = "JIT Scope";
      d.code = p.kind;
      const list = byFile.get(p.file) ?? [];
      list.push(d);
      byFile.set(p.file, list);
    }
    for (const [file, list] of byFile) this.collection.set(vscode.Uri.file(file), list);
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }
}
