// Where the editor's profile runs write their reports: one folder in the extension's storage
// (per workspace), not a new temporary folder per run. A temporary folder was never removed, so
// every run left its report behind (0.6 MB for a small program, 50 MB for a big one), and after a
// reboot emptied /tmp the "previous run" to compare with and the report restored with a reloaded
// panel were gone. The folder keeps the newest reports and every report still in use; the rest
// go after each run. No vscode import: the extension gives it the storage path.

import { mkdir, readdir, rm, stat } from "node:fs/promises";
import * as path from "node:path";

/** The suffix of the files this folder names and may remove: nothing else in it is touched. */
const SUFFIX = ".report.json";

/** How many reports the folder keeps beyond those in use. */
export const KEPT_REPORTS = 20;

export class ReportFolder {
  private lastStamp = "";
  private sameStamp = 0;

  constructor(
    readonly dir: string,
    private readonly kept = KEPT_REPORTS,
  ) {}

  /** A new report's path, named after the time and the script (`2026-12-06T22-40-01.123Z-mlp.report.json`),
   *  so a person who opens the folder can tell the runs apart. The folder is created if missing. */
  async newPath(script: string, now = new Date()): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const stamp = now.toISOString().replace(/:/g, "-");
    // Two runs in one millisecond (tests) still get two files.
    this.sameStamp = stamp === this.lastStamp ? this.sameStamp + 1 : 0;
    this.lastStamp = stamp;
    const base =
      path
        .basename(script)
        .replace(/\.[^.]+$/, "")
        .replace(/[^\w.-]+/g, "_") || "script";
    const count = this.sameStamp > 0 ? `-${this.sameStamp}` : "";
    return path.join(this.dir, `${stamp}${count}-${base}${SUFFIX}`);
  }

  /**
   * Removes this folder's reports beyond the newest `kept`, except those in `inUse` (a run's
   * baseline, the report on screen, the one a reloaded panel shows). Paths outside the folder are
   * never touched. Returns the removed paths.
   */
  async prune(inUse: Iterable<string | null | undefined>): Promise<string[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => n.endsWith(SUFFIX));
    } catch {
      return []; // no folder yet: nothing to remove
    }
    const keep = new Set<string>();
    for (const p of inUse) if (p) keep.add(path.resolve(p));
    const files = await Promise.all(
      names.map(async (n) => {
        const file = path.join(this.dir, n);
        const s = await stat(file).catch(() => null);
        return { file, mtime: s?.mtimeMs ?? 0, name: n };
      }),
    );
    // Newest first; the name (which starts with the time) breaks ties between equal mtimes.
    files.sort((a, b) => b.mtime - a.mtime || (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
    const removed: string[] = [];
    for (const [i, f] of files.entries()) {
      if (i < this.kept || keep.has(path.resolve(f.file))) continue;
      await rm(f.file, { force: true });
      removed.push(f.file);
    }
    return removed;
  }
}
