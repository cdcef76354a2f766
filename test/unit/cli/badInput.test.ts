import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixture, runCli } from "./runCli.js";
import type { Report } from "@jitscope/contract";

/** An ordinary failure is never reported as a crash (issue 12: "segmentation fault" after throws). */
function noFalseCrash(r: { report: Report; stderr: string }): void {
  assert.notEqual(r.report.status, "crashed");
  assert.ok(!r.report.errors.some((e) => e.kind === "crash"), r.report.errors.map((e) => e.message).join("\n"));
  assert.doesNotMatch(r.stderr, /segmentation fault|process crashed/);
}

// Written at test time: a .ts file with a syntax error in the repo would stop the type checker.
const SYNTAX_ERROR =
  '// A syntax error on line 3, column 22 (the stray ";").\nconst a: number = 1;\nconst b = (a + 2) * (;\nconsole.log(b);\n';

test("a syntax error: esbuild's message with file:line:column, non-zero exit, report kept", () => {
  const script = join(mkdtempSync(join(tmpdir(), "jitscope-syntax-")), "syntax_error.ts");
  writeFileSync(script, SYNTAX_ERROR);
  const r = runCli(script);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, new RegExp(`${script.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:3:22: error: Unexpected`));
  assert.equal(r.report.status, "error");
  assert.equal(r.report.errors[0]!.kind, "syntax");
  assert.deepEqual(r.report.errors[0]!.location, { file: script, line: 3, column: 22 });
  noFalseCrash(r);
});

// Written at test time too: the type checker would refuse the import.
const MISSING_EXPORT =
  'import { np,\n  jit, debugg } from "jitscope";\nconsole.log(np.ones([2]).shape, jit, debugg);\n';

test("an import of a name jitscope lacks: the import's line and column, the name likely meant, what it exports", () => {
  const script = join(mkdtempSync(join(tmpdir(), "jitscope-missing-export-")), "missing_export.ts");
  writeFileSync(script, MISSING_EXPORT);
  const r = runCli(script);
  assert.equal(r.code, 1);
  const e = r.report.errors[0]!;
  assert.deepEqual(e.location, { file: script, line: 2, column: 8 });
  assert.match(e.message, /"jitscope" has no export `debugg`: did you mean `debug`\? \(it exports Array, .*\bvmap\)$/);
  assert.doesNotMatch(e.message, /__jitscope/, "the bundle's own hooks are not listed");
  assert.match(
    r.stderr,
    new RegExp(`the script failed at ${script.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:2:8: "jitscope" has no export`),
  );
  noFalseCrash(r);
});

test("a throw: the stack is mapped to the user's .ts line", () => {
  const script = fixture("throws.ts");
  const r = runCli(script);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /first 2/, "output before the throw is shown");
  assert.match(r.stderr, new RegExp(`at checkPositive \\(${script.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:4:11\\)`));
  assert.equal(r.report.status, "error");
  const e = r.report.errors[0]!;
  assert.equal(e.kind, "runtime");
  assert.equal(e.message, "RangeError: expected a positive number, got -1");
  assert.deepEqual(e.location, { file: script, line: 4, column: 11 });
  assert.deepEqual(
    r.report.console.filter((l) => l.stream === "stdout").map((l) => l.text),
    ["first 2"],
  );
  noFalseCrash(r);
});

test("a missing file: a message naming it and a non-zero exit", () => {
  const r = runCli("/nonexistent/dir/model.ts");
  assert.equal(r.code, 1);
  assert.match(r.stderr, /script not found: \/nonexistent\/dir\/model\.ts/);
  assert.equal(r.report.status, "error");
});

test("a script that never ends is stopped by --timeout, with a message, and the report is kept", () => {
  const r = runCli(fixture("never_ends.ts"), ["--timeout", "2"]);
  assert.equal(r.code, 124);
  assert.match(r.stderr, /did not finish within 2 s and was stopped/);
  assert.equal(r.report.status, "timeout");
  assert.equal(r.report.errors[0]!.kind, "timeout");
  assert.deepEqual(
    r.report.console.filter((l) => l.stream === "stdout").map((l) => l.text),
    ["started, now waiting forever; x[0] = 3"],
  );
  assert.ok(
    r.report.kernels.some((k) => k.ops.includes("mul") && k.gpuTimesNs.length === 1),
    "the eager multiply before the hang is in the report",
  );
  noFalseCrash(r);
});

test("a script alone in an empty folder imports jitscope", () => {
  const dir = mkdtempSync(join(tmpdir(), "jitscope-alone-"));
  copyFileSync(fixture("alone_in_folder.ts"), join(dir, "alone.ts"));
  const r = runCli("alone.ts", [], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /jitscope loaded: disableJit true, was false/);
  assert.equal(r.report.status, "completed");
  assert.equal(r.report.script, join(dir, "alone.ts"));
});

test("a shape error inside jit: kind shape, at the user's line, eager work before it kept", () => {
  const script = fixture("shape_error.ts");
  const r = runCli(script);
  assert.equal(r.code, 1);
  const e = r.report.errors[0]!;
  assert.equal(e.kind, "shape");
  assert.match(e.message, /matmul: shapes float32\[3,4\] and float32\[5,4\]/);
  assert.equal(e.location!.file, script);
  assert.equal(e.location!.line, 7);
  assert.match(r.stderr, /the script failed at .*shape_error\.ts:7:/);
  assert.ok(
    r.report.kernels.some((k) => k.mode === "eager" && k.locations.some((l) => l.line === 6)),
    "the eager add of line 6 is in the report",
  );
  noFalseCrash(r);
});

test("a crash of the child (abort): status crashed, the line mapped back through the bundle, the report so far kept", () => {
  const script = fixture("crashes.ts");
  const r = runCli(script);
  assert.equal(r.code, 3);
  assert.equal(r.report.status, "crashed");
  const e = r.report.errors[0]!;
  assert.equal(e.kind, "crash");
  assert.deepEqual(e.location, { file: script, line: 6, column: 9 });
  assert.match(e.message, /aborted/);
  assert.match(e.message, /the last kernel dispatched was eager_add from .*crashes\.ts:4:/);
  assert.equal(r.report.kernels.length, 1, "the eager add dispatched before the crash");
  assert.deepEqual(
    r.report.console.filter((l) => l.stream === "stdout").map((l) => l.text),
    ["before the crash: 2"],
  );
});

test("a JavaScript call of a name the runtime lacks (np.nanargmax2): the error says JIT Scope's np has no such name, at the user's line; a user's own missing method gets no such hint", () => {
  const dir = mkdtempSync(join(tmpdir(), "jitscope-missing-"));
  const script = join(dir, "missing_name.js");
  writeFileSync(script, 'import { np } from "jitscope";\nconst x = np.ones([4]);\nconst y = np.nanargmax2(x);\n');
  const r = runCli(script);
  assert.equal(r.code, 1);
  const e = r.report.errors[0]!;
  assert.equal(
    e.message,
    "TypeError: np.nanargmax2 is not a function: JIT Scope's `np` has no `nanargmax2` (the README's API sections list what it has)",
  );
  assert.deepEqual(e.location, { file: script, line: 3, column: 14 });
  assert.match(r.stderr, /the script failed at .*missing_name\.js:3:14: JIT Scope's `np` has no `nanargmax2`/);
  noFalseCrash(r);
  const own = join(dir, "own_method.js");
  writeFileSync(own, "const model = {};\nmodel.forward(1);\n");
  const o = runCli(own);
  assert.equal(o.report.errors[0]!.message, "TypeError: model.forward is not a function");
});
