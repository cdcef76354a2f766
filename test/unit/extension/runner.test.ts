import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runChild, type ChildRunOptions } from "../../../extension/src/runner/childRun.js";
import { describeOutcome, profileRun } from "../../../extension/src/runner/profileRun.js";
import { DEFAULT_SETTINGS } from "../../../extension/src/model/settings.js";

const SCRIPTS = resolve("test/fixtures/ext/scripts");
const FAKE_CLI = resolve("test/fixtures/ext/fakeCli.mjs");

function run(script: string, extra: Partial<ChildRunOptions> = {}, scriptArgs: string[] = []) {
  const output: { stream: string; text: string }[] = [];
  const done = runChild({
    command: process.execPath,
    args: [join(SCRIPTS, script), ...scriptArgs],
    cwd: SCRIPTS,
    env: process.env,
    timeoutMs: 0,
    onOutput: (stream, text) => output.push({ stream, text }),
    ...extra,
  });
  return {
    done,
    output,
    text: (s: string) =>
      output
        .filter((o) => o.stream === s)
        .map((o) => o.text)
        .join(""),
  };
}

/** Alive and not a zombie (a reparented zombie may wait for a reaper that never comes). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

async function eventuallyDead(pid: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** Resolves with the grandchild pid once the script printed it. */
function grandchildPid(output: { text: string }[]): Promise<number> {
  return new Promise((resolvePid) => {
    const poll = setInterval(() => {
      const m = /grandchild=(\d+)/.exec(output.map((o) => o.text).join(""));
      if (m) {
        clearInterval(poll);
        resolvePid(Number(m[1]));
      }
    }, 20);
  });
}

test("a script that prints: both streams arrive, in its own folder, exit code 0", async () => {
  const r = run("prints.mjs");
  const result = await r.done;
  assert.equal(result.outcome, "exited");
  assert.equal(result.exitCode, 0);
  assert.equal(r.text("stdout"), `hello from the script\ncwd=${SCRIPTS}\n`);
  assert.equal(r.text("stderr"), "a warning on stderr\n");
});

test("a script that exits 1 is reported as failed with its exit code", async () => {
  const r = run("fails.mjs");
  const result = await r.done;
  assert.deepEqual([result.outcome, result.exitCode], ["exited", 1]);
  assert.equal(r.text("stderr"), "Error: boom\n");
});

test("Cancel kills a script that never ends, and the process it started", async () => {
  const controller = new AbortController();
  const r = run("hangs.mjs", { signal: controller.signal });
  const gc = await grandchildPid(r.output);
  assert.ok(alive(gc));
  controller.abort();
  const result = await r.done;
  assert.equal(result.outcome, "cancelled");
  assert.equal(result.signal, "SIGTERM");
  assert.ok(await eventuallyDead(result.pid!), "the script is gone");
  assert.ok(await eventuallyDead(gc), "its grandchild is gone too");
});

test("a timeout stops the script and its process group", async () => {
  // Long enough for Node to start and print the grandchild's pid on a loaded machine: a timeout
  // that fires first leaves nothing to check.
  const r = run("hangs.mjs", { timeoutMs: 3000 });
  const gc = await grandchildPid(r.output);
  const result = await r.done;
  assert.equal(result.outcome, "timeout");
  assert.ok(await eventuallyDead(gc));
});

test("a script that ignores SIGTERM is killed after the grace period", async () => {
  const controller = new AbortController();
  // The grace period leaves the script time to run its SIGTERM handler (which prints) first.
  const r = run("hangs.mjs", { signal: controller.signal, killGraceMs: 1000 }, ["--ignore-term"]);
  const gc = await grandchildPid(r.output);
  controller.abort();
  const result = await r.done;
  assert.equal(result.outcome, "cancelled");
  assert.equal(result.signal, "SIGKILL");
  assert.ok(r.text("stdout").includes("ignoring SIGTERM"));
  assert.ok(await eventuallyDead(gc));
});

test("a Node path that does not exist is a spawn error, not a crash", async () => {
  const result = await runChild({
    command: "/nonexistent/node",
    args: [],
    cwd: SCRIPTS,
    env: process.env,
    timeoutMs: 0,
  });
  assert.equal(result.outcome, "spawn-error");
  assert.match(result.error!, /ENOENT/);
});

test("a profile run calls the CLI by the contract, under VS Code's runtime as Node, and loads its report", async () => {
  const reportPath = join(await mkdtemp(join(tmpdir(), "jitscope-run-")), "report.json");
  const printed: string[] = [];
  const result = await profileRun({
    cliPath: FAKE_CLI,
    script: join(SCRIPTS, "prints.ts"),
    settings: { ...DEFAULT_SETTINGS, runs: 2, backend: "cpu" },
    compare: true,
    nodeExecutable: process.execPath,
    reportPath,
    onOutput: (_s, t) => printed.push(t),
  });
  assert.equal(result.child.exitCode, 0);
  assert.equal(result.reportError, null);
  assert.equal(printed.join(""), `profiling ${join(SCRIPTS, "prints.ts")}\n`);
  const seen = JSON.parse(result.report!.console[0]!.text) as {
    args: string[];
    cwd: string;
    electron: string;
    calls: string;
  };
  // A comparison runs each mode at least 3 times (the runs setting is 2): it needs a spread.
  assert.deepEqual(seen.args, [
    "profile",
    join(SCRIPTS, "prints.ts"),
    "--json",
    reportPath,
    "--runs",
    "3",
    "--timeout",
    "120",
    "--backend",
    "cpu",
    "--compare",
  ]);
  assert.equal(seen.cwd, SCRIPTS);
  assert.equal(seen.electron, "1");
  assert.equal(seen.calls, "1,10,100,1000");
  assert.equal(describeOutcome(result, 120).startsWith("Finished in "), true);
});

test("a failing script still yields its report, with the error's location, and a non-zero exit", async () => {
  const result = await profileRun({
    cliPath: FAKE_CLI,
    script: join(SCRIPTS, "fails.ts"),
    settings: { ...DEFAULT_SETTINGS, nodePath: process.execPath },
    compare: false,
  });
  assert.equal(result.child.exitCode, 1);
  assert.equal(result.report!.status, "error");
  assert.deepEqual(result.report!.errors[0]!.location, { file: join(SCRIPTS, "fails.ts"), line: 3, column: 7 });
  assert.equal(describeOutcome(result, 120), "The script failed (exit code 1).");
});

test("a CLI that writes no report is told apart from a failed script", async () => {
  const result = await profileRun({
    cliPath: join(SCRIPTS, "fails.mjs"),
    script: join(SCRIPTS, "whatever.ts"),
    settings: { ...DEFAULT_SETTINGS, nodePath: process.execPath },
    compare: false,
  });
  assert.equal(result.report, null);
  assert.match(result.reportError!, /^cannot read .*report\.json: ENOENT$/);
});

test("each way a run ends is told in one line", () => {
  const ended = (child: Partial<import("../../../extension/src/runner/childRun.js").ChildRunResult>) =>
    describeOutcome(
      {
        child: { outcome: "exited", exitCode: 0, signal: null, durationMs: 2500, ...child },
        reportPath: "r",
        report: null,
        reportError: null,
      },
      30,
    );
  assert.equal(ended({}), "Finished in 2.5 s.");
  assert.equal(
    ended({ outcome: "cancelled", signal: "SIGTERM" }),
    "Cancelled: the script and everything it started were stopped.",
  );
  assert.equal(ended({ outcome: "timeout", signal: "SIGTERM" }), "Timed out after 30 s: the script was stopped.");
  assert.equal(
    ended({ outcome: "spawn-error", error: "spawn /x ENOENT" }),
    "Could not start Node: spawn /x ENOENT (check the jitscope.nodePath setting).",
  );
  assert.equal(ended({ exitCode: null, signal: "SIGSEGV" }), "The script was killed by SIGSEGV.");
});
