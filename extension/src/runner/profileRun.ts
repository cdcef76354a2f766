// One profiling run: the CLI child on a script, then its report read back and validated. No vscode
// import, so the whole path (spawn, stream, cancel, timeout, report) is tested under plain Node.

import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { Report } from "@jitscope/contract";
import { cliArgs, cliEnv, type JitScopeSettings } from "../model/settings.js";
import { loadReportFile } from "../report/loadReport.js";
import { runChild, type ChildRunResult } from "./childRun.js";

export interface ProfileRunOptions {
  cliPath: string;
  script: string;
  settings: JitScopeSettings;
  compare: boolean;
  /** Defaults to VS Code's own executable run as Node. */
  nodeExecutable?: string;
  reportPath?: string;
  tracePath?: string;
  signal?: AbortSignal;
  onOutput?: (stream: "stdout" | "stderr", text: string) => void;
  baseEnv?: NodeJS.ProcessEnv;
}

export interface ProfileRunResult {
  child: ChildRunResult;
  reportPath: string;
  /** The report, when the child wrote a valid one (also on failure). */
  report: Report | null;
  /** Why there is no report. */
  reportError: string | null;
}

/** The Node that runs the child: the `nodePath` setting, else this process run as Node. */
export function nodeCommand(
  settings: JitScopeSettings,
  fallback = process.execPath,
): { command: string; env: Record<string, string> } {
  if (settings.nodePath) return { command: settings.nodePath, env: {} };
  return { command: fallback, env: { ELECTRON_RUN_AS_NODE: "1" } };
}

export async function profileRun(opts: ProfileRunOptions): Promise<ProfileRunResult> {
  const reportPath = opts.reportPath ?? path.join(await mkdtemp(path.join(tmpdir(), "jitscope-")), "report.json");
  const node = nodeCommand(opts.settings, opts.nodeExecutable);
  const args = cliArgs(opts.settings, {
    cliPath: opts.cliPath,
    script: opts.script,
    reportPath,
    compare: opts.compare,
    tracePath: opts.tracePath,
  });
  const child = await runChild({
    command: node.command,
    args,
    cwd: path.dirname(opts.script),
    env: { ...(opts.baseEnv ?? process.env), ...node.env, ...cliEnv(opts.settings) },
    // The CLI enforces --timeout itself and writes a "timeout" report; this is the backstop.
    timeoutMs: (opts.settings.timeoutSeconds + 10) * 1000,
    signal: opts.signal,
    onOutput: opts.onOutput,
  });
  const loaded = await loadReportFile(reportPath);
  return {
    child,
    reportPath,
    report: loaded.ok ? loaded.report : null,
    reportError: loaded.ok ? null : loaded.error,
  };
}

/** One line saying how the run ended, for the output channel and notifications. */
export function describeOutcome(result: ProfileRunResult, timeoutSeconds: number): string {
  const c = result.child;
  switch (c.outcome) {
    case "cancelled":
      return "Cancelled: the script and everything it started were stopped.";
    case "timeout":
      return `Timed out after ${timeoutSeconds} s: the script was stopped.`;
    case "spawn-error":
      return `Could not start Node: ${c.error ?? "unknown error"} (check the jitscope.nodePath setting).`;
    case "exited":
      if (c.exitCode === 0) return `Finished in ${(c.durationMs / 1000).toFixed(1)} s.`;
      return c.signal ? `The script was killed by ${c.signal}.` : `The script failed (exit code ${c.exitCode}).`;
  }
}
