// Read-only `jitscope:` documents for IR after a pass and kernel WGSL, and the pass diff through
// VS Code's own diff editor.

import * as vscode from "vscode";
import type { ResultsStore } from "../model/results.js";
import {
  parseVirtualDocPath,
  previousPass,
  VIRTUAL_SCHEME,
  virtualDocContent,
  virtualDocPath,
  irDocLinesOf,
  wgslDocLinesOf,
  WGSL_LANGUAGE,
  type VirtualDoc,
} from "../model/virtualDocuments.js";

export class VirtualDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly opened = new Set<string>();
  private readonly subscription: { dispose(): void };

  constructor(private readonly store: ResultsStore) {
    // A new report changes what every open jitscope: document shows.
    this.subscription = store.onChange((change) => {
      if (change === "edited") return;
      for (const uri of this.opened) this.changed.fire(vscode.Uri.parse(uri));
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    this.opened.add(uri.toString());
    const loaded = this.store.current;
    const doc = parseVirtualDocPath(uri.path);
    if (!loaded) return "// JIT Scope: no results loaded (run JIT Scope: Profile Current File or Open Report…).";
    if (!doc) return "// JIT Scope: unknown document.";
    return virtualDocContent(loaded.report, doc) ?? "// JIT Scope: the current report has no such pass or kernel.";
  }

  uriFor(doc: VirtualDoc): vscode.Uri | null {
    const loaded = this.store.current;
    if (!loaded) return null;
    return vscode.Uri.from({ scheme: VIRTUAL_SCHEME, path: virtualDocPath(loaded.report, doc) });
  }

  /** Opens `doc`; opened `at` a source line, a kernel's WGSL has the lines computing it selected,
   *  the IR the equations that line made. */
  async open(doc: VirtualDoc, at?: { file: string; line: number }): Promise<void> {
    const uri = this.uriFor(doc);
    const report = this.store.current?.report;
    if (!uri || !report) return;
    let text = await vscode.workspace.openTextDocument(uri);
    // The `.wgsl` suffix lets VS Code pick our contributed language; set it outright in case
    // another extension's association or a user's files.associations wins.
    if (doc.kind === "wgsl" && text.languageId !== WGSL_LANGUAGE) {
      text = await vscode.languages.setTextDocumentLanguage(text, WGSL_LANGUAGE);
    }
    // One group for our documents: the one already showing one of them, else a new one beside.
    const ours = vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === VIRTUAL_SCHEME);
    const lines = !at
      ? []
      : doc.kind === "wgsl"
        ? wgslDocLinesOf(report, doc.kernel, at.file, at.line)
        : irDocLinesOf(report, doc.compilation, doc.pass, at.file, at.line);
    const selections = lines.map((l) => new vscode.Selection(l, 0, l + 1, 0));
    const editor = await vscode.window.showTextDocument(text, {
      preview: true,
      viewColumn: ours?.viewColumn ?? vscode.ViewColumn.Beside,
      ...(selections[0] ? { selection: selections[0] } : {}),
    });
    if (editor && selections.length > 1) editor.selections = selections;
  }

  /** Diff of `from` → `to` passes; `from` defaults to the pass before `to`. */
  async diff(compilation: string, to: string, from?: string): Promise<boolean> {
    const loaded = this.store.current;
    if (!loaded) return false;
    const before = from ?? previousPass(loaded.report, compilation, to);
    if (!before) return false;
    const left = this.uriFor({ kind: "ir", compilation, pass: before });
    const right = this.uriFor({ kind: "ir", compilation, pass: to });
    if (!left || !right) return false;
    const name = loaded.index.compilation(compilation)?.functionName ?? compilation;
    await vscode.commands.executeCommand("vscode.diff", left, right, `${name}: ${before} ↔ ${to}`, { preview: true });
    return true;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
