// One purpose-built script per hint kind (test/fixtures/hints/<kind>.ts), profiled with the CLI:
// its hint appears at the line that causes it with a positive saving; the fixed script
// (<kind>_fixed.ts) gets no such hint, and what it saves against the original has the same sign
// as the estimate and is within 10× of it either way (orders of magnitude, not a timed assert:
// the sizes make each saving tens of times the timing noise of a loaded lavapipe; a second pair
// of runs is taken when a burst of load flips the first).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { HintKind, Report } from "@jitscope/contract";
import { REPO, runCli } from "../cli/runCli.js";

const script = (name: string) => join(REPO, "test/fixtures/hints", `${name}.ts`);

/** The 1-based line of `file` holding `text` (exactly one). */
function lineOf(file: string, text: string): number {
  const lines = readFileSync(file, "utf8")
    .split("\n")
    .flatMap((l, i) => (l.includes(text) ? [i + 1] : []));
  assert.equal(lines.length, 1, `one line of ${file} contains ${text}`);
  return lines[0]!;
}

/** What one run costs, as the measure the kind is about: a jitted call's GPU part, the GPU parts
 *  of one call of each jitted function, or the time the script printed for its loop ("ms per
 *  call: x" / "ms per run: x"). */
type Measure = "gpu-per-call" | "gpu-per-call-each" | "printed";
function costOf(r: Report, measure: Measure): number {
  if (measure === "gpu-per-call") {
    assert.equal(r.functions.length, 1, "one jitted function");
    return r.functions[0]!.cost!.gpuMs;
  }
  if (measure === "gpu-per-call-each") {
    assert.ok(r.functions.length > 1, "several jitted functions");
    return r.functions.reduce((sum, f) => sum + f.cost!.gpuMs, 0);
  }
  const line = r.console.find((l) => /ms per (call|run): /.test(l.text));
  assert.ok(line, "the script printed its own time");
  return Number(/ms per (?:call|run): ([0-9.]+)/.exec(line.text)![1]);
}

/** Row-local kernels off (as on a device without subgroups): with them the reshape boundary is
 *  fused away (the last test below). */
const NO_ROW_KERNELS = { JITSCOPE_ROW_KERNELS: "0" };

const CASES: { kind: HintKind; name: string; at: string; measure: Measure; env?: Record<string, string> }[] = [
  { kind: "dense-lookup", name: "dense_lookup", at: "np.matmul(nn.one_hot(", measure: "gpu-per-call" },
  { kind: "materialized-transpose", name: "materialized_transpose", at: "np.transpose(k,", measure: "gpu-per-call" },
  {
    kind: "reshape-boundary",
    name: "reshape_boundary",
    at: "np.reshape(y,",
    measure: "gpu-per-call",
    env: NO_ROW_KERNELS,
  },
  { kind: "recompile", name: "recompile", at: "const score = jit(", measure: "printed" },
  { kind: "dispatch-bound", name: "dispatch_bound", at: "x = np.tanh(", measure: "printed" },
  { kind: "host-sync-in-loop", name: "host_sync_in_loop", at: "const value = await x.data()", measure: "printed" },
  // The host part of a call, which the script times itself (the saving is host time).
  { kind: "donate-arguments", name: "donate_arguments", at: "const step = jit(trainStep);", measure: "printed" },
  // Compile time, which the printed time of a run of four calls includes (the saving is one-time work).
  { kind: "unrolled-loop", name: "unrolled_loop", at: "for (let t = 0; t < steps; t++) h = cell(", measure: "printed" },
  // GPU time, not the printed wall clock: on 2 cores a neighbouring test file's load moved the
  // printed time of a call by more than the saving (a run saved −3.9 ms, then −10.8 ms, against an
  // estimate of 13.4 ms).
  {
    kind: "duplicate-compute",
    name: "duplicate_compute",
    at: "return np.sum(np.matmul(x, w), 1)",
    measure: "gpu-per-call-each",
  },
];

for (const c of CASES) {
  test(`${c.kind}: ${c.name}.ts gets the hint at its line; ${c.name}_fixed.ts saves the estimate within 10× (in the first pair of runs or a second)`, () => {
    const file = script(c.name);
    const profile = (name: string) => runCli(script(name), [], { env: c.env ?? {} }).report;
    const broken = profile(c.name);
    assert.equal(broken.status, "completed");
    assert.equal(broken.device.backend, "webgpu", "profiled on WebGPU (lavapipe)");
    const hints = broken.hints ?? [];
    assert.deepEqual(
      hints.map((h) => h.kind),
      [c.kind],
      `exactly one hint, of kind ${c.kind}: ${JSON.stringify(hints.map((h) => h.message))}`,
    );
    const hint = hints[0]!;
    assert.equal(hint.location?.file, file);
    assert.equal(hint.location?.line, lineOf(file, c.at), hint.message);
    assert.ok(hint.estimatedSavingMs > 0, `a positive saving: ${hint.estimatedSavingMs}`);

    const fixed = profile(`${c.name}_fixed`);
    assert.equal(fixed.status, "completed");
    assert.deepEqual(fixed.hints ?? [], [], "the fixed script gets no hint");
    const within = (saved: number) =>
      saved > 0 && hint.estimatedSavingMs / saved > 0.1 && hint.estimatedSavingMs / saved < 10;
    const saved = [costOf(broken, c.measure) - costOf(fixed, c.measure)];
    // Two processes run one after the other on a shared machine: a burst of load in one of them
    // can flip a single comparison, so one more pair is run before the claim is called false.
    if (!within(saved[0]!))
      saved.push(costOf(profile(c.name), c.measure) - costOf(profile(`${c.name}_fixed`), c.measure));
    assert.ok(
      within(saved.at(-1)!),
      `the fixed script saves within 10× of the estimate ${hint.estimatedSavingMs} ms: saved ${saved.join(" ms, then ")} ms`,
    );
  });
}

test("with row kernels (the default on lavapipe) reshape_boundary.ts is one row-local kernel across the reshape and gets no hint", () => {
  const r = runCli(script("reshape_boundary")).report;
  assert.equal(r.status, "completed");
  assert.deepEqual(r.hints ?? [], []);
  const [c] = r.compilations;
  assert.deepEqual(
    c!.fusion.decisions.map((d) => d.kind),
    ["row"],
  );
  const jitted = r.kernels.filter((k) => k.mode === "jit");
  assert.deepEqual(
    jitted.map((k) => [...k.ops].sort()),
    [["mul", "reduce_sum", "reshape", "tanh"]],
  );
  assert.match(
    c!.fusion.decisions[0]!.reason,
    /^row-local: 1 reduction \(reduce_sum\) over the last axis of \[4096,1024\]/,
  );
  assert.deepEqual(c!.fusion.boundaries, []);
});
