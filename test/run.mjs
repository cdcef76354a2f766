// Runs test files with Node's own test runner (TypeScript through tsx).
// `node test/run.mjs [folder-or-file …]` (default: test/unit). Node 20's `--test` does not
// expand globs or pick up .ts files itself, so we list them here.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

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
const child = spawn(
  process.execPath,
  ["--import", "tsx", "--enable-source-maps", "--test", `--test-concurrency=${concurrency}`, ...flags, ...files],
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
// end, because a CI log is often read from its tail and 2,000 passing tests bury a failure.
const failures = [];
let current = null;
let pending = "";
function scan(line) {
  const failed = /^(\s*)not ok \d+ - (.*)$/.exec(line);
  if (failed) {
    current = { indent: failed[1].length, lines: [line] };
    failures.push(current);
    return;
  }
  if (!current) return;
  current.lines.push(line);
  // The YAML block of a failure ends with "..." at its own indentation plus two.
  if (line === " ".repeat(current.indent + 2) + "..." || current.lines.length > 60) current = null;
}
child.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  pending += chunk.toString("utf8");
  const lines = pending.split("\n");
  pending = lines.pop() ?? "";
  for (const line of lines) scan(line);
});
// The title, the error and where it was thrown: the first lines of the stack name the test's line.
function brief(lines) {
  const stack = lines.findIndex((l) => l.startsWith("  stack:"));
  return stack < 0 ? lines : [...lines.slice(0, stack + 4), "  ..."];
}
child.on("close", (code, signal) => {
  rmSync(sharedRuns, { recursive: true, force: true });
  if (process.env.JITSCOPE_KEEP_TEST_TMP === "1") console.log(`test/run.mjs: temporary files kept in ${testTmp}`);
  else rmSync(testTmp, { recursive: true, force: true });
  if (pending) scan(pending);
  // A test whose subtests failed (a file, a suite) fails too; its block says only that.
  const own = failures.filter((f) => !f.lines.some((l) => l.includes("failureType: 'subtestsFailed'")));
  const shown = own.length ? own : failures;
  if (shown.length) {
    console.log(`\n# ${shown.length} failing test${shown.length === 1 ? "" : "s"} (repeated from above):`);
    for (const f of shown) console.log(brief(f.lines.map((l) => l.slice(f.indent))).join("\n"));
  }
  process.exit(code ?? (signal ? 1 : 0));
});
