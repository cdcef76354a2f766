// Hosts the graph panel (webview/ draws it): one panel beside the editor, kept alive when hidden,
// fed the current report, and answering the page's messages after validating them.

import * as vscode from "vscode";
import { validatePanelMessage, type HostToPanel, type PanelToHost, type PanelView } from "@jitscope/contract";
import type { ResultsStore } from "../model/results.js";
import { makeNonce, panelHtml } from "./panelHtml.js";

export interface PanelActions {
  revealLocation(file: string, line: number, column: number): Promise<void>;
  openWgsl(kernel: string): Promise<void>;
  openPassIr(compilation: string, pass: string): Promise<void>;
  openPassDiff(compilation: string, pass: string): Promise<void>;
}

export class PanelHost implements vscode.Disposable {
  static readonly viewType = "jitscope.graphPanel";
  private panel: vscode.WebviewPanel | null = null;
  private ready = false;
  private view: PanelView = "graph";
  private compilation: string | undefined;
  /** A reveal asked for before the page said "ready"; sent right after the report. */
  private pendingReveal: Extract<HostToPanel, { type: "reveal" }> | null = null;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: ResultsStore,
    private readonly actions: PanelActions,
    private readonly log: (line: string) => void,
  ) {
    this.subscriptions.push(this.store.onChange((change) => change !== "edited" && this.sendReport()));
  }

  get isOpen(): boolean {
    return this.panel !== null;
  }

  /** Opens (or reveals) the panel on a view, optionally on one compilation. */
  show(view: PanelView = "graph", compilation?: string): void {
    this.view = view;
    this.compilation = compilation;
    if (this.panel) {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
      this.post({ type: "showView", view, compilation });
      return;
    }
    const dist = vscode.Uri.joinPath(this.extensionUri, "dist");
    const panel = vscode.window.createWebviewPanel(
      PanelHost.viewType,
      "JIT Scope",
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [dist] },
    );
    this.attach(panel);
  }

  /** Wires a panel created by us or restored by VS Code after a reload. */
  attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    const dist = vscode.Uri.joinPath(this.extensionUri, "dist");
    panel.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    panel.webview.html = panelHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, "webview.js")).toString(),
      nonce: makeNonce(),
    });
    panel.onDidDispose(
      () => {
        this.panel = null;
        this.ready = false;
      },
      null,
      this.subscriptions,
    );
    panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m), null, this.subscriptions);
  }

  /** Reveals a kernel (or a source line) in the graph, opening the panel if needed. */
  reveal(message: Extract<HostToPanel, { type: "reveal" }>, compilation?: string): void {
    this.show("graph", compilation);
    if (this.ready) this.post(message);
    else this.pendingReveal = message;
  }

  /** The editor's cursor is on `line` of `file`: the open panel marks that line's ops. */
  cursorMoved(file: string, line: number): void {
    this.post({ type: "cursor", location: { file, line } });
  }

  private post(message: HostToPanel): void {
    if (this.panel && this.ready) void this.panel.webview.postMessage(message);
  }

  private sendReport(): void {
    if (!this.panel || !this.ready) return;
    const loaded = this.store.current;
    if (!loaded) this.post({ type: "clear" });
    else
      this.post({
        type: "report",
        report: loaded.report,
        diff: loaded.diff,
        view: this.view,
        compilation: this.compilation,
      });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message: PanelToHost | null = validatePanelMessage(raw);
    if (!message) {
      this.log("Panel sent a malformed message; ignored.");
      return;
    }
    try {
      switch (message.type) {
        case "ready":
          this.ready = true;
          this.sendReport();
          if (this.pendingReveal) this.post(this.pendingReveal);
          this.pendingReveal = null;
          return;
        case "revealLocation":
          return await this.actions.revealLocation(
            message.location.file,
            message.location.line,
            message.location.column,
          );
        case "openWgsl":
          return await this.actions.openWgsl(message.kernel);
        case "openPassIr":
          return await this.actions.openPassIr(message.compilation, message.pass);
        case "openPassDiff":
          return await this.actions.openPassDiff(message.compilation, message.pass);
        default:
          message satisfies never;
      }
    } catch (e) {
      this.log(`Panel action ${message.type} failed: ${(e as Error).message}`);
    }
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.subscriptions) d.dispose();
  }
}
