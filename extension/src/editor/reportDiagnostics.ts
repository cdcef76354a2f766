// One report-driven diagnostic collection: the problems a report yields, placed at their lines,
// replaced on every report and cleared with it. Script errors and hints are two of these.

import * as vscode from "vscode";
import type { Report } from "@jitscope/contract";
import type { ResultsStore } from "../model/results.js";

/** A report item at a 0-based line and column of a file. */
export interface LineProblem {
  file: string;
  line: number;
  column: number;
  message: string;
  kind: string;
}

export class ReportDiagnostics implements vscode.Disposable {
  private readonly collection: vscode.DiagnosticCollection;
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly store: ResultsStore,
    name: string,
    private readonly problemsOf: (report: Report) => readonly LineProblem[],
    private readonly severity: vscode.DiagnosticSeverity,
  ) {
    this.collection = vscode.languages.createDiagnosticCollection(name);
    this.subscription = store.onChange((change) => change !== "edited" && this.update());
    this.update();
  }

  private update(): void {
    this.collection.clear();
    const loaded = this.store.current;
    if (!loaded) return;
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const p of this.problemsOf(loaded.report)) {
      const d = new vscode.Diagnostic(
        new vscode.Range(p.line, p.column, p.line, Number.MAX_SAFE_INTEGER),
        p.message,
        this.severity,
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
