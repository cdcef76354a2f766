// The status bar item: the last run's device and total GPU time; clicking opens the panel.

import * as vscode from "vscode";
import { CommandIds } from "../model/commandIds.js";
import type { ResultsStore } from "../model/results.js";
import { statusBarText, statusBarTooltip } from "../model/summary.js";

export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("jitscope.lastRun", vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: { dispose(): void };

  constructor(private readonly store: ResultsStore) {
    this.item.name = "JIT Scope";
    this.item.command = CommandIds.showGraphPanel;
    this.subscription = store.onChange(() => this.update());
  }

  /** Shown while a run is in progress. */
  running(script: string): void {
    this.item.text = "$(sync~spin) JIT Scope";
    this.item.tooltip = `Profiling ${script}`;
    this.item.show();
  }

  update(): void {
    const loaded = this.store.current;
    if (!loaded) {
      this.item.hide();
      return;
    }
    this.item.text = statusBarText(loaded.report);
    this.item.tooltip = statusBarTooltip(loaded.report);
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
