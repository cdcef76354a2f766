// CodeLens above each `jit(` call site the last run called: "3 kernels · 0.41 ms/call · 4.2× vs
// eager"; clicking opens the panel on that function's compilation.

import * as vscode from "vscode";
import { jitLenses } from "../model/codeLens.js";
import { CommandIds } from "../model/commandIds.js";
import { findJitSites } from "../model/jitSites.js";
import type { ResultsStore } from "../model/results.js";

export class JitCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: { dispose(): void };

  constructor(private readonly store: ResultsStore) {
    this.subscription = store.onChange(() => this.changed.fire());
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const loaded = this.store.current;
    if (!loaded) return [];
    const file = document.uri.fsPath;
    const tracker = this.store.tracker(file);
    if (!tracker) return [];
    // Sites are found in today's text; the report knows lines as they were run. Map the report's
    // site lines forward and keep only those still in place.
    const sites = findJitSites(document.getText());
    const reportSites = sites.flatMap((s) => {
      const reportLine = tracker.reportLineAt(s.line);
      return reportLine === null ? [] : [{ ...s, line: reportLine, currentLine: s.line }];
    });
    return jitLenses(loaded.report, file, reportSites, loaded.diff, loaded.baselineLabel).map((lens) => {
      const current = reportSites.find((s) => s.line === lens.site.line && s.column === lens.site.column)!.currentLine;
      const range = new vscode.Range(current - 1, 0, current - 1, 0);
      return new vscode.CodeLens(range, {
        title: lens.title,
        tooltip: `JIT Scope: open the graph of ${lens.functionName}`,
        command: CommandIds.showGraphPanel,
        arguments: [{ compilation: lens.compilation ?? undefined }],
      });
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
