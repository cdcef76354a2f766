// The cancel holds at every point of a run. The CLI is held at each phase of a run
// (JITSCOPE_TEST_PAUSE_AT, see runtime/src/cli/cancelSignal.ts) and the signal is delivered
// there, so every phase is hit on every run, whatever the machine's load; no timing is assumed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI_PHASES, type CliPhase } from "../../../runtime/src/cli/cliPhases.js";
import { validateReport } from "@jitscope/contract";
import type { Report } from "@jitscope/contract";
import { CLI, fixture, REPO } from "./runCli.js";

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  report: Report | null;
  stderr: string;
}

/**
 * Runs the CLI held at `pauseAt`; once it says it is there, sends `sig`, then again every 2 ms
 * until it exits when `keepSending` (a cancel clicked repeatedly, landing on the exit path too).
 */
async function cancelAt(pauseAt: CliPhase, sig: NodeJS.Signals, keepSending = false): Promise<Ended> {
  const reportPath = join(mkdtempSync(join(tmpdir(), "jitscope-cancel-")), "report.json");
  const cli = spawn(
    process.execPath,
    [CLI, "profile", fixture("tiny_loop.ts"), "--backend", "cpu", "--json", reportPath],
    {
      cwd: REPO,
      env: { ...process.env, XDG_RUNTIME_DIR: "/tmp", JITSCOPE_TEST_PAUSE_AT: pauseAt },
    },
  );
  let stderr = "";
  let repeat: NodeJS.Timeout | undefined;
  cli.stdout.resume();
  cli.stderr.setEncoding("utf8").on("data", (c: string) => {
    const before = stderr.includes(`jitscope-phase: ${pauseAt}`);
    stderr += c;
    if (before || !stderr.includes(`jitscope-phase: ${pauseAt}`)) return;
    cli.kill(sig);
    if (keepSending) repeat = setInterval(() => cli.kill(sig), 2);
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    cli.on("close", (c, s) => resolve([c, s])),
  );
  clearInterval(repeat);
  const report = existsSync(reportPath) ? validateReport(readFileSync(reportPath, "utf8")) : null;
  return { code, signal, report, stderr };
}

const before = CLI_PHASES.filter((p) => p !== "written");

for (const p of before) {
  test(`SIGTERM while the CLI is at phase "${p}": exit 130, report kept with status cancelled`, async () => {
    const r = await cancelAt(p, "SIGTERM");
    assert.equal(r.signal, null, `the CLI died of the signal\n${r.stderr}`);
    assert.equal(r.code, 130, r.stderr);
    assert.equal(r.report?.status, "cancelled");
    assert.deepEqual(
      r.report?.errors.map((e) => e.kind),
      ["cancelled"],
    );
  });
}

test("SIGINT (Ctrl-C) while the script runs: exit 130, report kept with status cancelled", async () => {
  const r = await cancelAt("child-running", "SIGINT");
  assert.equal(r.code, 130, r.stderr);
  assert.equal(r.report?.status, "cancelled");
});

test("SIGTERM repeated every 2 ms from the CLI's start to its exit: exit 130 (never death by the signal), report cancelled", async () => {
  for (let i = 0; i < 3; i++) {
    const r = await cancelAt("start", "SIGTERM", true);
    assert.equal(r.signal, null, `run ${i}: the CLI died of the signal\n${r.stderr}`);
    assert.equal(r.code, 130, r.stderr);
    assert.equal(r.report?.status, "cancelled");
  }
});

test("SIGTERM after the report is written (nothing left to cancel): the CLI exits with the report's status, not of the signal", async () => {
  const r = await cancelAt("written", "SIGTERM", true);
  assert.equal(r.signal, null, `the CLI died of the signal\n${r.stderr}`);
  assert.equal(r.report?.status, "completed");
  assert.equal(r.code, 0, r.stderr);
});
