// The baseline each script is compared with: the report of its previous run, or one the person
// picked with "Compare with Report…" (kept until another is picked). No vscode import.

import { fileKey } from "./paths.js";

export class RunHistory {
  private readonly previous = new Map<string, string>();
  private readonly pinned = new Map<string, string>();

  /** The report path to diff a new run of `script` against, if any. */
  baselineFor(script: string): string | null {
    const key = fileKey(script);
    return this.pinned.get(key) ?? this.previous.get(key) ?? null;
  }

  /** Whether the baseline was picked by the person (else it is the previous run). */
  isPinned(script: string): boolean {
    return this.pinned.has(fileKey(script));
  }

  /** A run of `script` finished with a report at `reportPath`: the next run compares with it. */
  recordRun(script: string, reportPath: string): void {
    this.previous.set(fileKey(script), reportPath);
  }

  pin(script: string, reportPath: string): void {
    this.pinned.set(fileKey(script), reportPath);
  }

  /** Every report a later comparison may read: none of them may be removed. */
  inUse(): string[] {
    return [...this.previous.values(), ...this.pinned.values()];
  }
}
