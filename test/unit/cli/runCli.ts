// Runs the built CLI (dist/cli.mjs) as a user would and reads back its report.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdtempSync,
  openSync,
  closeSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { validateReport } from "@jitscope/contract";
import type { Report } from "@jitscope/contract";

export const REPO = resolve(import.meta.dirname, "../../..");
export const CLI = join(REPO, "dist/cli.mjs");
export const fixture = (name: string) => join(REPO, "test/fixtures/scripts", name);

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  report: Report;
  reportPath: string;
  dir: string;
}

/** `{dir}` in an argument becomes the run's own temp folder (for --trace, --html outputs). */
export function runCli(
  script: string,
  args: string[] = [],
  opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): CliRun {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const dir = mkdtempSync(join(tmpdir(), "jitscope-cli-test-"));
  const reportPath = join(dir, "report.json");
  const r = spawnSync(
    process.execPath,
    [CLI, "profile", script, "--json", reportPath, ...args.map((a) => a.replace("{dir}", dir))],
    {
      cwd: opts.cwd ?? REPO,
      encoding: "utf8",
      // The CLI's own default: on a fresh machine Mesa's shader cache is cold, and lavapipe
      // compiles each of a program's pipelines at first use (the ported LM program: 238 of them,
      // 72 s with the machine loaded, 2 s warm).
      timeout: opts.timeoutMs ?? 300_000,
      env: { ...process.env, XDG_RUNTIME_DIR: "/tmp", ...opts.env },
    },
  );
  if (!existsSync(reportPath)) throw new Error(`no report written (exit ${r.status})\n${r.stdout}\n${r.stderr}`);
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    report: validateReport(readFileSync(reportPath, "utf8")),
    reportPath,
    dir,
  };
}

/**
 * `runCli(script)` with no arguments, run once per test run and shared: the hint, port and render
 * suites each profile every fixture program on WebGPU alike, and read different things from the
 * same run. test/run.mjs names a fresh folder per run in JITSCOPE_TEST_RUNS; without it (a test
 * file run alone) this is `runCli(script)`. A file that finds another process profiling the same
 * script waits for its result.
 */
export function profileOnce(script: string, opts: { timeoutMs?: number } = {}): CliRun {
  const shared = process.env.JITSCOPE_TEST_RUNS;
  if (!shared) return runCli(script, [], opts);
  const key = createHash("sha256").update(resolve(script)).digest("hex").slice(0, 16);
  const result = join(shared, `${key}.json`);
  const lock = join(shared, `${key}.lock`);
  const read = (): CliRun => JSON.parse(readFileSync(result, "utf8")) as CliRun;
  const timeoutMs = opts.timeoutMs ?? 300_000;
  for (;;) {
    if (existsSync(result)) return read();
    try {
      closeSync(openSync(lock, "wx"));
      break; // ours to run
    } catch {
      // Another test file is profiling it: wait, unless its lock outlived any run (it died).
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > timeoutMs + 60_000) break;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  let run: CliRun;
  try {
    run = runCli(script, [], opts);
  } catch (e) {
    rmSync(lock, { force: true }); // no report: the next reader profiles it itself
    throw e;
  }
  writeFileSync(`${result}.tmp`, JSON.stringify(run));
  renameSync(`${result}.tmp`, result);
  return run;
}
