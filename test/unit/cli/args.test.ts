import { test } from "node:test";
import assert from "node:assert/strict";
import { helpText, parseArgs, UsageError } from "../../../runtime/src/cli/args.js";

test("profile options are parsed with their defaults", () => {
  const c = parseArgs(["profile", "a.ts"]);
  assert.deepEqual(c, {
    kind: "profile",
    options: {
      script: "a.ts",
      compare: false,
      runs: 1,
      json: null,
      trace: null,
      html: null,
      timeoutS: 300,
      backend: null,
      timing: null,
      eagerSites: true,
      ablate: [],
      tune: false,
      tuneBudgetMs: null,
    },
  });
  const d = parseArgs([
    "profile",
    "--compare",
    "b.ts",
    "--runs",
    "3",
    "--json",
    "r.json",
    "--trace",
    "t.json",
    "--html",
    "p.html",
    "--timeout",
    "2",
    "--backend",
    "cpu",
    "--timing",
    "every",
    "--eager-sites",
    "off",
    "--ablate",
    "fuse",
    "--ablate",
    "cse",
  ]);
  assert.deepEqual(d, {
    kind: "profile",
    options: {
      script: "b.ts",
      compare: true,
      runs: 3,
      json: "r.json",
      trace: "t.json",
      html: "p.html",
      timeoutS: 2,
      backend: "cpu",
      timing: "every",
      eagerSites: false,
      ablate: ["fuse", "cse"],
      tune: false,
      tuneBudgetMs: null,
    },
  });
  const e = parseArgs(["profile", "--compare", "c.ts"]);
  assert.equal(
    e.kind === "profile" && e.options.runs,
    3,
    "--compare runs each mode 3 times unless --runs says otherwise",
  );
  const g = parseArgs(["profile", "--compare", "c.ts", "--runs", "5"]);
  assert.equal(g.kind === "profile" && g.options.runs, 5);
});

test("bad options are usage errors that say what is wrong", () => {
  assert.throws(() => parseArgs(["profile"]), /which script/);
  assert.throws(() => parseArgs(["profile", "a.ts", "--runs", "0"]), UsageError);
  assert.throws(() => parseArgs(["profile", "a.ts", "--backend", "tpu"]), /webgpu or cpu/);
  assert.throws(() => parseArgs(["profile", "a.ts", "--json"]), /--json needs a value/);
  assert.throws(
    () => parseArgs(["profile", "a.ts", "--timing", "some"]),
    /--timing must be every or sampled, got "some"/,
  );
  assert.throws(
    () => parseArgs(["profile", "a.ts", "--eager-sites", "no"]),
    /--eager-sites must be on or off, got "no"/,
  );
  assert.throws(() => parseArgs(["profile", "a.ts", "--fast"]), /unknown option --fast/);
  assert.throws(() => parseArgs(["build"]), /unknown command/);
  assert.deepEqual(parseArgs([]), { kind: "help", topic: "all" });
});

test("diff takes two reports and optional --json, --html, --all", () => {
  assert.deepEqual(parseArgs(["diff", "a.json", "b.json"]), {
    kind: "diff",
    options: { old: "a.json", new: "b.json", json: null, html: null, all: false },
  });
  assert.deepEqual(parseArgs(["diff", "a.json", "--json", "d.json", "b.json", "--html", "d.html", "--all"]), {
    kind: "diff",
    options: { old: "a.json", new: "b.json", json: "d.json", html: "d.html", all: true },
  });
  assert.throws(() => parseArgs(["diff", "a.json"]), /diff takes two reports \(old and new\), got 1/);
});

test("check needs a script and --baseline; --max-regression reads a percentage", () => {
  const c = parseArgs([
    "check",
    "s.ts",
    "--baseline",
    "b.json",
    "--max-regression",
    "5%",
    "--budget",
    "budget.json",
    "--runs",
    "2",
    "--backend",
    "cpu",
  ]);
  assert.deepEqual(c, {
    kind: "check",
    options: {
      script: "s.ts",
      baseline: "b.json",
      maxRegression: 0.05,
      budget: "budget.json",
      json: null,
      markdown: null,
      report: null,
      runs: 2,
      timeoutS: 300,
      backend: "cpu",
    },
  });
  assert.equal(
    parseArgs(["check", "s.ts", "--baseline", "b.json"]).kind === "check" &&
      (parseArgs(["check", "s.ts", "--baseline", "b.json"]) as { options: { maxRegression: number } }).options
        .maxRegression,
    0.1,
  );
  assert.throws(() => parseArgs(["check", "s.ts"]), /check needs --baseline/);
  assert.throws(
    () => parseArgs(["check", "s.ts", "--baseline", "b.json", "--max-regression", "lots"]),
    /--max-regression: expected a percentage/,
  );
});

test("--help and -h after a command ask for that command's page; alone, for every command's", () => {
  assert.deepEqual(parseArgs(["--help"]), { kind: "help", topic: "all" });
  assert.deepEqual(parseArgs(["profile", "--help"]), { kind: "help", topic: "profile" });
  assert.deepEqual(parseArgs(["profile", "x.ts", "-h"]), { kind: "help", topic: "profile" });
  assert.deepEqual(parseArgs(["diff", "--help"]), { kind: "help", topic: "diff" });
  assert.deepEqual(parseArgs(["check", "-h"]), { kind: "help", topic: "check" });
  assert.match(helpText("profile"), /^usage: jitscope profile <script/);
  assert.deepEqual(parseArgs(["tune", "--help"]), { kind: "help", topic: "tune" });
  assert.match(helpText("tune"), /^usage: jitscope tune <script/);
  assert.match(helpText("profile"), /--compare/);
  assert.match(helpText("diff"), /jitscope diff <old\.json> <new\.json>/);
  for (const cmd of ["profile", "diff", "check"]) assert.ok(helpText("all").includes(`jitscope ${cmd} `), cmd);
});

test("jitscope tune is a profile run with the autotuner searching; --tune and --tune-budget on profile", () => {
  const t = parseArgs(["tune", "a.ts", "--tune-budget", "500"]);
  assert.equal(t.kind, "profile");
  if (t.kind !== "profile") return;
  assert.equal(t.options.tune, true);
  assert.equal(t.options.tuneBudgetMs, 500);
  const p = parseArgs(["profile", "a.ts", "--tune"]);
  assert.equal(p.kind === "profile" && p.options.tune, true);
  assert.throws(() => parseArgs(["tune", "a.ts", "--tune-budget", "0"]), /--tune-budget must be a number of ms > 0/);
  assert.throws(() => parseArgs(["tune"]), /which script\? jitscope tune <script.ts>/);
});

test("--ablate names a pass that can be turned off; anything else is a usage error listing them", () => {
  assert.throws(
    () => parseArgs(["profile", "a.ts", "--ablate", "lower"]),
    (e: Error) =>
      e instanceof UsageError &&
      e.message ===
        '--ablate: "lower" is not a pass that can be turned off; one of simplify, cse, dce, fuse, recurrence',
  );
  assert.throws(
    () => parseArgs(["profile", "a.ts", "--ablate"]),
    (e: Error) =>
      e instanceof UsageError && e.message === "--ablate needs a pass: one of simplify, cse, dce, fuse, recurrence",
  );
});
