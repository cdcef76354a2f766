import { test } from "node:test";
import assert from "node:assert/strict";
import { parseArgs, UsageError } from "../../../runtime/src/cli/args.js";

test("profile options are parsed with their defaults", () => {
  const c = parseArgs(["profile", "a.ts"]);
  assert.deepEqual(c, { kind: "profile", options: { script: "a.ts", compare: false, runs: 1, json: null, trace: null, html: null, timeoutS: 300, backend: null, timing: null } });
  const d = parseArgs(["profile", "--compare", "b.ts", "--runs", "3", "--json", "r.json", "--trace", "t.json", "--html", "p.html", "--timeout", "2", "--backend", "cpu", "--timing", "every"]);
  assert.deepEqual(d, { kind: "profile", options: { script: "b.ts", compare: true, runs: 3, json: "r.json", trace: "t.json", html: "p.html", timeoutS: 2, backend: "cpu", timing: "every" } });
  const e = parseArgs(["profile", "--compare", "c.ts"]);
  assert.equal(e.kind === "profile" && e.options.runs, 3, "--compare runs each mode 3 times unless --runs says otherwise");
  const g = parseArgs(["profile", "--compare", "c.ts", "--runs", "5"]);
  assert.equal(g.kind === "profile" && g.options.runs, 5);
});

test("bad options are usage errors that say what is wrong", () => {
  assert.throws(() => parseArgs(["profile"]), /which script/);
  assert.throws(() => parseArgs(["profile", "a.ts", "--runs", "0"]), UsageError);
  assert.throws(() => parseArgs(["profile", "a.ts", "--backend", "tpu"]), /webgpu or cpu/);
  assert.throws(() => parseArgs(["profile", "a.ts", "--json"]), /--json needs a value/);
  assert.throws(() => parseArgs(["profile", "a.ts", "--timing", "some"]), /--timing must be every or sampled, got "some"/);
  assert.throws(() => parseArgs(["profile", "a.ts", "--fast"]), /unknown option --fast/);
  assert.throws(() => parseArgs(["build"]), /unknown command/);
  assert.deepEqual(parseArgs([]), { kind: "help" });
});
