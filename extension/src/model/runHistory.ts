// The baseline each script is compared with: the report of its previous run, or one the person
// picked with "Compare with Report…" (kept until another is picked). It is saved in the
// workspace's state after each change, so a script's next run after VS Code restarts still
// compares with its last one. No vscode import.

import { existsSync } from "node:fs";
import { fileKey } from "./paths.js";

/** What is saved: [file key, report path] pairs. */
export interface RunHistoryState {
  previous: [string, string][];
  pinned: [string, string][];
}

/** The pairs of a saved state whose report is still on disk; anything malformed is dropped. */
function restoredPairs(saved: unknown): [string, string][] {
  if (!Array.isArray(saved)) return [];
  return saved.filter(
    (p): p is [string, string] =>
      Array.isArray(p) && p.length === 2 && typeof p[0] === "string" && typeof p[1] === "string" && existsSync(p[1]),
  );
}

export class RunHistory {
  private readonly previous: Map<string, string>;
  private readonly pinned: Map<string, string>;

  /** `saved`: a state read back from storage (validated here); `save` is told every change. */
  constructor(
    saved?: unknown,
    private readonly save: (state: RunHistoryState) => void = () => {},
  ) {
    const s = typeof saved === "object" && saved !== null ? (saved as Record<string, unknown>) : {};
    this.previous = new Map(restoredPairs(s.previous));
    this.pinned = new Map(restoredPairs(s.pinned));
  }

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
    this.save(this.state());
  }

  pin(script: string, reportPath: string): void {
    this.pinned.set(fileKey(script), reportPath);
    this.save(this.state());
  }

  /** Every report a later comparison may read: none of them may be removed. */
  inUse(): string[] {
    return [...this.previous.values(), ...this.pinned.values()];
  }

  state(): RunHistoryState {
    return { previous: [...this.previous], pinned: [...this.pinned] };
  }
}
