// Runs one child process without a shell, streams its output, and ends it on Cancel or timeout by
// killing its whole process group (it is spawned detached, so the group is its own), so that a
// script that hangs, forks or crashes never outlives the request or touches the editor.

import { execFile, spawn } from "node:child_process";

export interface ChildRunOptions {
  command: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Kill the group after this long; 0 means no limit. */
  timeoutMs: number;
  signal?: AbortSignal;
  onOutput?: (stream: "stdout" | "stderr", text: string) => void;
  /** Between SIGTERM and SIGKILL. */
  killGraceMs?: number;
}

export type ChildOutcome = "exited" | "timeout" | "cancelled" | "spawn-error";

export interface ChildRunResult {
  outcome: ChildOutcome;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Set for spawn errors (e.g. the Node path does not exist). */
  error?: string;
  durationMs: number;
  pid?: number;
}

/** Runs a program without a shell (arguments are never parsed by one). */
export type ExecNoShell = (file: string, args: readonly string[]) => void;
const execNoShell: ExecNoShell = (file, args) =>
  void execFile(file, [...args], { shell: false, windowsHide: true }, () => {});

/**
 * Ends the process tree led by `pid`; false if it is already gone. POSIX: `sig` to the process
 * group (the child is spawned detached, so the group is its own). Windows has no process groups
 * nor catchable signals for a console child: `taskkill /T /F` ends the child and every process it
 * started, whatever `sig` is.
 */
export function killGroup(
  pid: number,
  sig: NodeJS.Signals,
  platform: NodeJS.Platform = process.platform,
  exec: ExecNoShell = execNoShell,
): boolean {
  if (platform === "win32") {
    exec("taskkill", ["/PID", String(pid), "/T", "/F"]);
    return true;
  }
  try {
    process.kill(-pid, sig);
    return true;
  } catch {
    return false;
  }
}

export function runChild(opts: ChildRunOptions): Promise<ChildRunResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    let outcome: ChildOutcome = "exited";
    let settled = false;
    const child = spawn(opts.command, [...opts.args], {
      cwd: opts.cwd,
      env: opts.env,
      shell: false,
      detached: process.platform !== "win32",
      stdio: ["ignore", "pipe", "pipe"],
      windowsHide: true,
    });
    const finish = (result: Omit<ChildRunResult, "durationMs" | "pid">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      opts.signal?.removeEventListener("abort", onAbort);
      resolve({ ...result, durationMs: Date.now() - started, pid: child.pid });
    };
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (why: "timeout" | "cancelled") => {
      if (settled || child.pid === undefined) return;
      outcome = why;
      killGroup(child.pid, "SIGTERM");
      killTimer = setTimeout(
        () => child.pid !== undefined && killGroup(child.pid, "SIGKILL"),
        opts.killGraceMs ?? 2000,
      );
    };
    const onAbort = () => stop("cancelled");
    const timer = opts.timeoutMs > 0 ? setTimeout(() => stop("timeout"), opts.timeoutMs) : undefined;
    if (opts.signal?.aborted) queueMicrotask(onAbort);
    else opts.signal?.addEventListener("abort", onAbort, { once: true });

    child.stdout.setEncoding("utf8").on("data", (t: string) => opts.onOutput?.("stdout", t));
    child.stderr.setEncoding("utf8").on("data", (t: string) => opts.onOutput?.("stderr", t));
    child.on("error", (err) => finish({ outcome: "spawn-error", exitCode: null, signal: null, error: err.message }));
    child.on("close", (code, sig) => {
      // The leader exited; make sure nothing it started keeps running after a stop.
      if (outcome !== "exited" && child.pid !== undefined) killGroup(child.pid, "SIGKILL");
      finish({ outcome, exitCode: code, signal: sig });
    });
  });
}
