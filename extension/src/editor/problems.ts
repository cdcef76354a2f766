// Script errors from the report → the Problems panel, on the line the runtime mapped them to.

import * as vscode from "vscode";
import { reportProblems } from "../model/problems.js";
import type { ResultsStore } from "../model/results.js";

export class ScriptProblems implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection("jitscope");
  private readonly subscription: { dispose(): void };

  constructor(private readonly store: ResultsStore) {
    this.subscription = store.onChange((change) => change !== "edited" && this.update());
  }

  private update(): void {
    this.collection.clear();
    const loaded = this.store.current;
    if (!loaded) return;
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const p of reportProblems(loaded.report)) {
      const d = new vscode.Diagnostic(
        new vscode.Range(p.line, p.column, p.line, Number.MAX_SAFE_INTEGER),
        p.message,
        vscode.DiagnosticSeverity.Error,
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
