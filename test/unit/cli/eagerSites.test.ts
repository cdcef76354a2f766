// `--eager-sites off` end to end: the loop's 200 eager multiplies are still counted and timed,
// but reported at no source line (no stack capture per op), and the report says so.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { fixture, REPO, runCli } from "./runCli.js";

const LOOP_LINE = 5;
const multiplies = (r: ReturnType<typeof runCli>) => {
  assert.equal(r.code, 0, r.stderr);
  return r.report.kernels.filter((k) => k.ops.includes("mul"));
};
const loopLine = (r: ReturnType<typeof runCli>) =>
  Object.values(r.report.lines).find((l) => l.file.endsWith("tiny_loop.ts") && l.line === LOOP_LINE);

test("default: the loop's eager multiply is one kernel at the loop's line, with all 200 dispatches", () => {
  const r = runCli(fixture("tiny_loop.ts"));
  const [k, ...more] = multiplies(r);
  assert.equal(more.length, 0);
  assert.equal(k!.dispatches, 200);
  assert.deepEqual(
    k!.locations.map((l) => l.line),
    [LOOP_LINE],
  );
  assert.deepEqual(loopLine(r)?.kernels, [k!.id]);
  assert.ok(!r.report.device.notes.some((n) => /eager call sites/.test(n)));
});

test("--eager-sites off: the multiply keeps its 200 dispatches but has no location, no line lists it, and a device note says why", () => {
  const r = runCli(fixture("tiny_loop.ts"), ["--eager-sites", "off"]);
  const [k, ...more] = multiplies(r);
  assert.equal(more.length, 0);
  assert.equal(k!.dispatches, 200);
  assert.deepEqual(k!.locations, []);
  assert.ok(!k!.id.includes("tiny_loop.ts"), k!.id);
  assert.equal(loopLine(r), undefined);
  assert.match(r.stdout, /^eager_mul\b.*\s–\s*$/m, "the summary's lines column reads –");
  assert.ok(
    r.report.device.notes.includes(
      "eager call sites were not recorded (--eager-sites off): eager kernels are listed per kernel, at no source line",
    ),
    r.report.device.notes.join("\n"),
  );
});

test("--eager-sites off on the CPU reference backend: the host-timed multiply has 200 dispatches and no location", () => {
  const r = runCli(fixture("tiny_loop.ts"), ["--backend", "cpu", "--eager-sites", "off"]);
  assert.equal(r.report.device.backend, "cpu");
  const [k, ...more] = multiplies(r);
  assert.equal(more.length, 0);
  assert.equal(k!.dispatches, 200);
  assert.deepEqual(k!.locations, []);
  assert.equal(loopLine(r), undefined);
  assert.ok(r.report.device.notes.some((n) => n.startsWith("eager call sites were not recorded")));
});

test("--compare --eager-sites off: gelu's eager and jit costs are compared, and no line claims an eager cost it was not measured for", () => {
  const file = join(REPO, "examples/gelu.ts");
  const r = runCli(file, ["--compare", "--runs", "1", "--eager-sites", "off"]);
  assert.equal(r.code, 0, r.stderr);
  const cmp = r.report.comparison!.functions.find((f) => f.name === "gelu")!;
  assert.equal(cmp.eager.dispatchesPerCall, 9);
  assert.ok(cmp.eager.msPerCall > 0 && cmp.jit.msPerCall > 0);
  const withEager = Object.values(r.report.lines).filter((l) => l.eagerMs !== undefined);
  assert.deepEqual(withEager, []);
  const eagerKernels = r.report.kernels.filter((k) => k.mode === "eager");
  assert.ok(eagerKernels.length > 0, "the script's own eager ops (random.normal, mean) are reported");
  assert.ok(eagerKernels.every((k) => k.locations.length === 0));
});

// Marks (cli/callSiteMarks.ts) against the stack (JITSCOPE_MARK_CALLS=0): the same report.
const kernelsOf = (r: ReturnType<typeof runCli>, mode?: "eager") => {
  assert.equal(r.code, 0, r.stderr);
  return r.report.kernels
    .filter((k) => mode === undefined || k.mode === mode)
    .map((k) => ({
      id: k.id,
      dispatches: k.dispatches,
      at: k.locations.map((l) => `${l.file.split("/").pop()}:${l.line}`),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
};
const lineKernels = (r: ReturnType<typeof runCli>) =>
  Object.fromEntries(
    Object.values(r.report.lines)
      .map((l) => [`${l.file.split("/").pop()}:${l.line}`, [...l.kernels].sort()] as const)
      .sort(),
  );

test("call_shapes.ts: every eager kernel's id, dispatches and line read the same from call-site marks as from the stack", () => {
  const marked = runCli(fixture("call_shapes.ts"));
  const stack = runCli(fixture("call_shapes.ts"), [], { env: { JITSCOPE_MARK_CALLS: "0" } });
  const kernels = kernelsOf(marked, "eager");
  assert.deepEqual(kernels, kernelsOf(stack, "eager"));
  assert.deepEqual(lineKernels(marked), lineKernels(stack));
  // Ops inside helpers belong to the helper's line, however the helper was reached.
  assert.deepEqual(
    kernels.filter((k) => k.at.includes("layers.ts:5")).map((k) => k.dispatches),
    [3, 3, 3],
    "affine's cast, multiply and add, once a step",
  );
  assert.equal(kernels.filter((k) => k.at.includes("layers.ts:11")).length, 1, "Scaler.apply's multiply");
  assert.equal(kernels.filter((k) => k.at.includes("layers.ts:14")).length, 1, "the getter's function's multiply");
  assert.equal(kernels.filter((k) => k.at.includes("call_shapes.ts:8")).length, 1, "tools.f's tanh, at its own line");
  // The eager scan: the body's ops at the body's line (4 rows × 3 steps), the loop's slicing and
  // stacking at the scan's line.
  const body = kernels.filter((k) => k.at.includes("call_shapes.ts:22"));
  assert.deepEqual(
    body.map((k) => k.dispatches),
    [12, 12],
  );
  assert.ok(kernels.filter((k) => k.at.includes("call_shapes.ts:21")).length >= 2, "slices and the stack of ys");
});

test("rnn_unrolled.ts: a realistic program's kernels (eager and jitted), dispatches and lines read the same from marks as from the stack", () => {
  const file = join(REPO, "test/fixtures/programs/rnn_unrolled.ts");
  const marked = runCli(file);
  const stack = runCli(file, [], { env: { JITSCOPE_MARK_CALLS: "0" } });
  assert.ok(kernelsOf(marked, "eager").length > 20, "the program's eager ops are there to compare");
  assert.deepEqual(kernelsOf(marked), kernelsOf(stack));
  assert.deepEqual(lineKernels(marked), lineKernels(stack));
});
