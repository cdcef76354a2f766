// "kernels" (in the compiled program) and "dispatches/call" (what one call dispatches) are two
// numbers with two names: a fori_loop's body counts once per step, a while_loop's by the
// iterations it ran, never 0 (README "What each number means").
import { test } from "node:test";
import assert from "node:assert/strict";
import { fixture, runCli } from "./runCli.js";

// The fixture's loops with recurrence kernels off (--ablate recurrence's setting): each body's
// kernels then dispatch per step, the counts these tests are about; the last test runs the
// default, where elementwise bodies are one recurrence kernel.
const run = (() => {
  let r: ReturnType<typeof runCli> | null = null;
  return () => (r ??= runCli(fixture("loop_dispatches.ts"), [], { env: { JITSCOPE_DISABLE_PASSES: "recurrence" } }));
})();

test("a 200-step fori_loop of 2 kernels: 2 kernels in its program, 400 dispatches per call", () => {
  const r = run();
  assert.equal(r.code, 0, r.stderr);
  const fn = r.report.functions.find((f) => f.name === "power")!;
  const c = r.report.compilations.find((x) => x.functionName === "power")!;
  assert.equal(c.kernels.length, 2);
  assert.equal(fn.kernelsPerCall, 400);
  // Each kernel ran 200 times in each of the 3 calls.
  for (const id of c.kernels) assert.equal(r.report.kernels.find((k) => k.id === id)!.dispatches, 600);
});

test("a 15-iteration while_loop: 3 kernels in its program, 46 dispatches per call (16 of the condition, 15 of each body kernel)", () => {
  const r = run();
  assert.equal(r.code, 0, r.stderr);
  const fn = r.report.functions.find((f) => f.name === "loop")!;
  const c = r.report.compilations.find((x) => x.functionName === "loop")!;
  assert.equal(c.kernels.length, 3);
  assert.equal(fn.kernelsPerCall, 46);
  const perCall = c.kernels.map((id) => r.report.kernels.find((k) => k.id === id)!.dispatches / fn.calls).sort();
  assert.deepEqual(perCall, [15, 15, 16]);
});

test("the summary's 'kernels' column (compiled functions) reads 2 and 3, its 'dispatches/call' column 400 and 46", () => {
  const r = run();
  const row = (name: string, header: string): string[] => {
    const table = r.stdout.slice(r.stdout.indexOf(header));
    const line = table.split("\n").find((l) => l.startsWith(`${name} `));
    assert.ok(line, `no ${name} row after "${header}" in\n${r.stdout}`);
    return line.split(/ {2,}/);
  };
  assert.match(r.stdout, /\nfunction +kernels +compile +per pass\n/);
  assert.equal(row("power", "compiled functions")[1], "2");
  assert.equal(row("loop", "compiled functions")[1], "3");
  assert.match(r.stdout, /\nfunction +calls +compiled +dispatches\/call +cost\/call/);
  assert.equal(row("power", "jitted functions")[3], "400");
  assert.equal(row("loop", "jitted functions")[3], "46");
  assert.doesNotMatch(r.stdout, /kernels\/call/);
});

test("a 4-step fori_loop inside a 5-step fori_loop: the inner body's kernels report under the compilation, 50 dispatches per call", () => {
  const r = run();
  assert.equal(r.code, 0, r.stderr);
  const fn = r.report.functions.find((f) => f.name === "nested")!;
  const c = r.report.compilations.find((x) => x.functionName === "nested")!;
  // The outer body: its counter's add, the multiply, and the inner loop's counter add and add·sin.
  assert.equal(c.kernels.length, 4);
  assert.equal(fn.kernelsPerCall, 5 * (2 + 4 * 2));
  const perCall = c.kernels.map((id) => r.report.kernels.find((k) => k.id === id)!.dispatches / fn.calls);
  assert.deepEqual(
    perCall.sort((a, b) => a - b),
    [5, 5, 20, 20],
  );
  // No dispatch fell outside a registered kernel (an unregistered id reads as an eager kernel
  // with no code).
  const orphans = r.report.kernels.filter((k) => k.compilation === null && k.wgsl === "");
  assert.deepEqual(
    orphans.map((k) => k.id),
    [],
  );
});

test("by default the 200-step fori_loop is one recurrence kernel, 1 dispatch per call; the nested one dispatches its inner loop's kernel once per outer step", () => {
  const r = runCli(fixture("loop_dispatches.ts"));
  assert.equal(r.code, 0, r.stderr);
  const fn = (name: string) => r.report.functions.find((f) => f.name === name)!;
  const kernels = (name: string) => r.report.compilations.find((x) => x.functionName === name)!.kernels;
  assert.deepEqual(
    kernels("power").map((id) => r.report.kernels.find((k) => k.id === id)!.name),
    ["scan_add_mul_tanh"],
  );
  assert.equal(fn("power").kernelsPerCall, 1);
  // The outer body: its counter's add, the multiply, the inner loop as one kernel.
  assert.equal(kernels("nested").length, 3);
  assert.equal(fn("nested").kernelsPerCall, 5 * 3);
  assert.equal(fn("loop").kernelsPerCall, 46, "a while_loop is unchanged");
});
