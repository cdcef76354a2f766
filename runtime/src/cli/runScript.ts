// Runs one bundled script in a child Node process (no shell), streams its console as it comes,
// enforces the timeout by killing the child's whole process group, and returns what happened.
// The recorder data comes back through the journal file, which survives a crash or a kill.

import { spawn } from "node:child_process";
import type { ConsoleLine } from "@jitscope/contract";
import { CONSOLE_LIMIT } from "../profile/reportBuilder.js";

/** Dawn prints these on every device creation on some drivers; they say nothing about the script. */
const DAWN_NOISE = /^Warning: max\w+ artificially reduced from \d+ to \d+ to fit dynamic offset allocation limit\.$/;

export interface ChildRunRequest {
  cliPath: string;
  bundle: string;
  journal: string;
  timeoutS: number;
  env: Record<string, string>;
  /** Where to echo the child's output (the CLI's own stdout/stderr). */
  echo?: { stdout: (s: string) => void; stderr: (s: string) => void };
  /** Abort (Ctrl-C in the parent): the child's group is killed and the outcome says cancelled. */
  signal?: AbortSignal;
}

export interface ChildOutcome {
  how: "exited" | "timeout" | "cancelled" | "signal";
  code: number | null;
  signal: NodeJS.Signals | null;
  wallMs: number;
  /** The first CONSOLE_LIMIT lines the script printed (the report keeps no more); a script that
   *  prints a line a step for a million steps would otherwise hold them all here. */
  console: ConsoleLine[];
  /** Lines printed beyond those (echoed all the same). */
  consoleDropped: number;
  /** The last few lines of stderr, for a crash message. */
  stderrTail: string[];
}

export function runChildScript(req: ChildRunRequest): Promise<ChildOutcome> {
  const started = performance.now();
  // Cancelled before it started (an abort event never fires again for a late listener).
  if (req.signal?.aborted)
    return Promise.resolve({
      how: "cancelled",
      code: null,
      signal: null,
      wallMs: 0,
      console: [],
      consoleDropped: 0,
      stderrTail: [],
    });
  const child = spawn(process.execPath, ["--enable-source-maps", req.cliPath, "__child", req.bundle], {
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so a timeout ends everything the script started.
    detached: process.platform !== "win32",
    env: {
      ...process.env,
      XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? "/tmp",
      ...req.env,
      JITSCOPE_EVENTS_FILE: req.journal,
      // Where the user's parameter names are found again after bundling renamed them (ir/renamedParams.ts).
      JITSCOPE_BUNDLE: req.bundle,
      JITSCOPE_PARENT_PID: String(process.pid),
    },
  });
  const lines: ConsoleLine[] = [];
  let dropped = 0;
  const keep = (line: ConsoleLine) => {
    if (lines.length < CONSOLE_LIMIT) lines.push(line);
    else dropped++;
  };
  const stderrTail: string[] = [];
  const partial = { stdout: "", stderr: "" };

  const collect = (stream: "stdout" | "stderr", chunk: string) => {
    // stdout is echoed as it comes; stderr by whole lines, so Dawn's start-up notices can be dropped.
    if (stream === "stdout") req.echo?.stdout(chunk);
    const text = partial[stream] + chunk;
    const parts = text.split("\n");
    partial[stream] = parts.pop() ?? "";
    const t = performance.now() - started;
    for (const p of parts) {
      if (stream === "stderr") {
        if (DAWN_NOISE.test(p)) continue;
        req.echo?.stderr(p + "\n");
      }
      keep({ stream, text: p, t });
      if (stream === "stderr") {
        stderrTail.push(p);
        if (stderrTail.length > 60) stderrTail.shift();
      }
    }
  };
  child.stdout!.setEncoding("utf8").on("data", (c: string) => collect("stdout", c));
  child.stderr!.setEncoding("utf8").on("data", (c: string) => collect("stderr", c));

  let stoppedBy: "timeout" | "cancelled" | null = null;
  const kill = (why: "timeout" | "cancelled") => {
    if (stoppedBy || child.exitCode !== null || child.signalCode !== null) return;
    stoppedBy = why;
    try {
      if (child.pid !== undefined && process.platform !== "win32") process.kill(-child.pid, "SIGKILL");
      else child.kill("SIGKILL");
    } catch {
      child.kill("SIGKILL");
    }
  };
  const timer = setTimeout(() => kill("timeout"), req.timeoutS * 1000);
  const onAbort = () => kill("cancelled");
  req.signal?.addEventListener("abort", onAbort);

  return new Promise((resolve) => {
    child.on("error", (err) => {
      keep({ stream: "stderr", text: `could not start node: ${err.message}`, t: performance.now() - started });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      req.signal?.removeEventListener("abort", onAbort);
      const t = performance.now() - started;
      for (const s of ["stdout", "stderr"] as const) if (partial[s]) keep({ stream: s, text: partial[s], t });
      if (partial.stderr) {
        stderrTail.push(partial.stderr);
        req.echo?.stderr(partial.stderr); // a last line without a newline is still shown
      }
      const how = stoppedBy ?? (signal ? "signal" : "exited");
      resolve({ how, code, signal, wallMs: t, console: lines, consoleDropped: dropped, stderrTail });
    });
  });
}
