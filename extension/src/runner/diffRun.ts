// The diff of two reports, computed by the CLI (`jitscope diff old new --json`) in a child, as the
// profile is: the extension gets the runtime's ReportDiff through the contract and never runs
// runtime code itself. No vscode import, so it is tested under plain Node.

import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { diffProblem, type ReportDiff } from "@jitscope/contract";
import type { JitScopeSettings } from "../model/settings.js";
import { runChild } from "./childRun.js";
import { nodeCommand } from "./profileRun.js";

export interface DiffRunOptions {
  cliPath: string;
  settings: JitScopeSettings;
  oldReport: string;
  newReport: string;
  nodeExecutable?: string;
  baseEnv?: NodeJS.ProcessEnv;
}

export type DiffRunResult = { ok: true; diff: ReportDiff } | { ok: false; error: string };

/** Long enough for two large reports on a loaded machine; a diff itself takes milliseconds. */
const DIFF_TIMEOUT_MS = 120_000;

export async function diffRun(opts: DiffRunOptions): Promise<DiffRunResult> {
  const dir = await mkdtemp(path.join(tmpdir(), "jitscope-diff-"));
  const out = path.join(dir, "diff.json");
  const node = nodeCommand(opts.settings, opts.nodeExecutable);
  let stderr = "";
  try {
    const child = await runChild({
      command: node.command,
      args: [opts.cliPath, "diff", opts.oldReport, opts.newReport, "--json", out],
      cwd: path.dirname(opts.newReport),
      env: { ...(opts.baseEnv ?? process.env), ...node.env },
      timeoutMs: DIFF_TIMEOUT_MS,
      onOutput: (stream, text) => {
        if (stream === "stderr") stderr += text;
      },
    });
    if (child.outcome !== "exited" || child.exitCode !== 0) {
      return {
        ok: false,
        error: `jitscope diff ${child.outcome === "exited" ? `exited with ${child.exitCode}` : child.outcome}${stderr ? `: ${stderr.trim().split("\n").at(-1)}` : ""}`,
      };
    }
    let json: unknown;
    try {
      json = JSON.parse(await readFile(out, "utf8"));
    } catch (e) {
      return { ok: false, error: `jitscope diff wrote no readable diff (${(e as Error).message})` };
    }
    const problem = diffProblem(json);
    return problem ? { ok: false, error: `jitscope diff wrote ${problem}` } : { ok: true, diff: json as ReportDiff };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
