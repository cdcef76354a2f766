// Paints line heat in visible editors: one decoration type per heat bucket (five in all), each
// line a DecorationOptions with its own after-line text. Stale lines are dropped via the tracker.

import * as vscode from "vscode";
import { HEAT_BUCKETS, lineHeat } from "../model/lineHeat.js";
import type { ResultsStore } from "../model/results.js";

/** Tint strength per bucket: the hotter, the stronger. */
const BUCKET_ALPHA = [0.04, 0.08, 0.14, 0.22, 0.32];

function bucketType(bucket: number): vscode.TextEditorDecorationType {
  const alpha = BUCKET_ALPHA[bucket] ?? 0.3;
  const tint = `rgba(255, 140, 0, ${alpha})`;
  return vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: tint,
    overviewRulerColor: `rgba(255, 140, 0, ${Math.min(1, alpha * 3)})`,
    overviewRulerLane: vscode.OverviewRulerLane.Right,
    borderWidth: "0 0 0 3px",
    borderStyle: "solid",
    borderColor: `rgba(255, 140, 0, ${Math.min(1, alpha * 3)})`,
    after: { margin: "0 0 0 2em", color: new vscode.ThemeColor("editorCodeLens.foreground"), fontStyle: "italic" },
  });
}

export class LineHeatDecorations implements vscode.Disposable {
  private types: vscode.TextEditorDecorationType[] | null = null;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly store: ResultsStore,
    private readonly enabled: () => boolean,
  ) {
    this.subscriptions.push(
      store.onChange(() => this.renderAll()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.renderAll()),
    );
  }

  renderAll(): void {
    for (const editor of vscode.window.visibleTextEditors) this.render(editor);
  }

  private render(editor: vscode.TextEditor): void {
    const loaded = this.store.current;
    const show = loaded !== null && this.enabled() && editor.document.uri.scheme === "file";
    if (!show && !this.types) return;
    this.types ??= Array.from({ length: HEAT_BUCKETS }, (_, b) => bucketType(b));
    const perBucket: vscode.DecorationOptions[][] = this.types.map(() => []);
    if (show && loaded) {
      const file = editor.document.uri.fsPath;
      const tracker = this.store.tracker(file);
      for (const item of lineHeat(loaded.index, file, loaded.diff)) {
        const line = tracker ? tracker.currentLine(item.line) : item.line;
        if (line === null || line < 1 || line > editor.document.lineCount) continue;
        const range = editor.document.lineAt(line - 1).range;
        perBucket[item.bucket]!.push({ range, renderOptions: { after: { contentText: item.text } } });
      }
    }
    this.types.forEach((type, b) => editor.setDecorations(type, perBucket[b]!));
  }

  dispose(): void {
    for (const t of this.types ?? []) t.dispose();
    for (const d of this.subscriptions) d.dispose();
  }
}
