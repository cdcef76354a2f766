// Runs test files with Node's own test runner (TypeScript through tsx).
// `node test/run.mjs [folder-or-file …]` (default: test/unit). Node 20's `--test` does not
// expand globs or pick up .ts files itself, so we list them here.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

function collect(path, out) {
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) collect(join(path, name), out);
  } else if (/\.test\.(ts|mjs|js)$/.test(path)) {
    out.push(path);
  }
  return out;
}

const roots = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const flags = process.argv.slice(2).filter((a) => a.startsWith("--"));
const files = (roots.length ? roots : ["test/unit"]).flatMap((r) => collect(r, []));
if (files.length === 0) {
  console.error("test/run.mjs: no test files found");
  process.exit(1);
}
const concurrency = process.env.JITSCOPE_TEST_CONCURRENCY ?? "2";
// Profiles of the fixture programs shared by the suites that read them (test/unit/cli/runCli.ts
// profileOnce), for this run only.
const sharedRuns = mkdtempSync(join(tmpdir(), "jitscope-test-runs-"));
// Every temporary file the tests and what they start (CLI children, code-server, Chromium) make
// goes under one folder, removed when the run ends: tests make their folders with mkdtemp and
// many never removed them (each run of the whole suite left hundreds of MB in /tmp).
// JITSCOPE_KEEP_TEST_TMP=1 keeps it, to look at after a failure.
const testTmp = mkdtempSync(join(tmpdir(), "jitscope-test-tmp-"));
const runFiles = (list) =>
  spawn(
    process.execPath,
    ["--import", "tsx", "--enable-source-maps", "--test", `--test-concurrency=${concurrency}`, ...flags, ...list],
    {
      stdio: ["inherit", "pipe", "inherit"],
      // One calibration cache for every test run on this machine (the device is measured once,
      // not once per profiled test script), kept apart from the user's own ~/.cache/jitscope.
      env: {
        XDG_RUNTIME_DIR: "/tmp",
        JITSCOPE_CHECK_IR: "1",
        JITSCOPE_CACHE_DIR: join(tmpdir(), "jitscope-test-cache"),
        JITSCOPE_TEST_RUNS: sharedRuns,
        ...process.env,
        TMPDIR: testTmp,
      },
    },
  );

// The output passes through as it comes; each failure's block is kept and printed again at the
// end, because a CI log is often read from its tail and 2,000 passing tests bury a failure. What a
// file's process printed to stderr arrives as "# " lines just before its own result; a failure
// keeps them, since for a process that died by a signal they are the only account of why.
function runAndScan(list) {
  const failures = [];
  let current = null;
  let printed = [];
  let pending = "";
  function scan(line) {
    const failed = /^(\s*)not ok \d+ - (.*)$/.exec(line);
    if (failed) {
      current = { indent: failed[1].length, lines: [line], printed: failed[1] ? [] : printed };
      failures.push(current);
      printed = [];
      return;
    }
    if (/^ok \d+ - /.test(line)) printed = [];
    else if (line.startsWith("# ") && !line.startsWith("# Subtest:")) printed = [...printed.slice(-29), line];
    if (!current) return;
    current.lines.push(line);
    // The YAML block of a failure ends with "..." at its own indentation plus two.
    if (line === " ".repeat(current.indent + 2) + "..." || current.lines.length > 60) current = null;
  }
  const child = runFiles(list);
  child.stdout.on("data", (chunk) => {
    process.stdout.write(chunk);
    pending += chunk.toString("utf8");
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) scan(line);
  });
  return new Promise((done) =>
    child.on("close", (code, signal) => {
      if (pending) scan(pending);
      done({ failed: code !== 0 || signal !== null, failures });
    }),
  );
}

// The title, the error and where it was thrown: the first lines of the stack name the test's line.
function brief(lines) {
  const stack = lines.findIndex((l) => l.startsWith("  stack:"));
  return stack < 0 ? lines : [...lines.slice(0, stack + 4), "  ..."];
}
const crashSignal = (f) => /^\s*signal: '(SIGABRT|SIGSEGV|SIGBUS|SIGILL)'/m.exec(f.lines.join("\n"))?.[1];
// Node names a file's test by its absolute path; say it as it was given.
const fileOf = (f) => {
  const path = /^not ok \d+ - (.*)$/.exec(f.lines[0])?.[1];
  return path === undefined ? undefined : files.find((given) => resolve(given) === path);
};

// A test whose subtests failed (a file, a suite) fails too; its block says only that.
const ownOf = (failures) => failures.filter((f) => !f.lines.some((l) => l.includes("failureType: 'subtestsFailed'")));

function report(failures) {
  const own = ownOf(failures);
  const shown = own.length ? own : failures;
  if (!shown.length) return;
  console.log(`\n# ${shown.length} failing test${shown.length === 1 ? "" : "s"} (repeated from above):`);
  for (const f of shown) {
    console.log(brief(f.lines.map((l) => l.slice(f.indent))).join("\n"));
    if (crashSignal(f)) {
      console.log(`# what this file's process printed before it died (${f.printed.length} lines):`);
      for (const l of f.printed) console.log(l);
    }
  }
}

const first = await runAndScan(files);
report(first.failures);
let failed = first.failed;
// A test file whose own process died by a signal, with no assertion failing anywhere in the run,
// runs once more, alone. A native abort that does not come back (stop 75's CI lost its landing to
// a SIGABRT in test/unit/jit/loopScopes.test.ts, CPU-only, which then passed 150 runs of 150 here)
// then does not sink the run; one that comes back fails it. Either way the crash, and what its
// process printed, stay in the log.
const ownFailures = ownOf(first.failures);
const crashed = ownFailures.filter((f) => f.indent === 0 && crashSignal(f) && fileOf(f) !== undefined);
if (first.failed && crashed.length && crashed.length === ownFailures.length) {
  const again = crashed.map(fileOf);
  console.log(`\n# ${again.length} test file(s) died by a signal; running each once more, alone: ${again.join(", ")}`);
  const second = await runAndScan(again);
  report(second.failures);
  failed = second.failed;
  console.log(
    failed
      ? "# the crash came back: the run fails"
      : `# CRASHED ONCE, passed when run again: ${crashed.map((f) => `${fileOf(f)} (${crashSignal(f)})`).join(", ")}`,
  );
}
rmSync(sharedRuns, { recursive: true, force: true });
if (process.env.JITSCOPE_KEEP_TEST_TMP === "1") console.log(`test/run.mjs: temporary files kept in ${testTmp}`);
else rmSync(testTmp, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
