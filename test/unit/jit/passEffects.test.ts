// Passes describe themselves (counts, the rules that fired), and the IR type-checks itself.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, config } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { runPipeline } from "../../../runtime/src/passes/pipeline.js";
import { typecheckProgram } from "../../../runtime/src/passes/typecheck.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import type { Aval, Eqn, Program, Var } from "../../../runtime/src/ir/types.js";

config({ backend: "cpu" });

test("each pass says what it did: simplify names the identities that fired, cse and dce count equations, fuse and lower count kernels", async () => {
  const f = (x: Tracer) => {
    np.cos(x); // dead
    const a = np.divide(np.multiply(np.add(x, 0), 1), 1);
    return np.add(np.exp(a), np.exp(a));
  };
  const lo = await jit(f).lower(np.ones([2, 3]));
  const effect = (name: string) => lo.passes.find((p) => p.name === name)!.effect!;
  assert.deepEqual(effect("trace").counts, { equations: 7 });
  assert.deepEqual(effect("simplify").rules, { "x + 0 → x": 1, "x * 1 → x": 1, "x / 1 → x": 1 });
  assert.deepEqual(effect("simplify").counts, { "equations removed": 3 });
  assert.deepEqual(effect("cse").counts, { "equations merged": 1 });
  assert.deepEqual(effect("dce").counts, { "equations removed": 1 });
  assert.deepEqual(effect("fuse").counts, { kernels: 1, "multi-op kernels": 1, boundaries: 0 });
  assert.equal(effect("lower").counts.kernels, 1);
  assert.deepEqual(
    lo.passes.map((p) => p.name),
    ["trace", "simplify", "cse", "dce", "fuse", "lower", "memory"],
  );
});

const aval = (shape: number[]): Aval => ({ shape, dtype: "float32" });
const v = (id: number, shape: number[]): Var => ({ kind: "var", id, aval: aval(shape) });
const eqn = (id: number, prim: Eqn["prim"], inputs: Var[], outputs: Var[]): Eqn => ({
  id,
  prim,
  params: {} as Eqn["params"],
  inputs,
  outputs,
  location: null,
  nameStack: [],
});
const program = (eqns: Eqn[], outputs: Var[]): Program => ({ name: "f", inputs: [v(0, [2, 3])], eqns, outputs });

test("the IR type-check accepts a well-formed program and names the first bad equation and the pass", () => {
  assert.doesNotThrow(() =>
    typecheckProgram(program([eqn(0, "sin", [v(0, [2, 3])], [v(1, [2, 3])])], [v(1, [2, 3])]), "simplify"),
  );
  assert.throws(
    () => typecheckProgram(program([eqn(0, "sin", [v(0, [2, 3])], [v(1, [3, 2])])], [v(1, [3, 2])]), "simplify"),
    /after the simplify pass is ill-formed: equation 0 \(sin\) output 0 is float32\[3,2\], its shape rule gives float32\[2,3\]/,
  );
  assert.throws(
    () => typecheckProgram(program([eqn(0, "exp", [v(5, [2, 3])], [v(1, [2, 3])])], [v(1, [2, 3])]), "cse"),
    /after the cse pass is ill-formed: variable 5 is used by equation 0 \(exp\) before it is defined/,
  );
  assert.throws(
    () => typecheckProgram(program([eqn(0, "exp", [v(0, [2, 3])], [v(0, [2, 3])])], [v(0, [2, 3])]), "dce"),
    /variable 0 is defined twice \(again by equation 0 \(exp\)\)/,
  );
  assert.throws(
    () => typecheckProgram(program([], [v(9, [2, 3])]), "trace"),
    /variable 9 is used by program output 0 before it is defined/,
  );
});

test("the pipeline type-checks after every pass when asked, so an ill-formed program fails at the first pass", () => {
  const bad = program([eqn(0, "sin", [v(0, [2, 3])], [v(1, [3, 2])])], [v(1, [3, 2])]);
  assert.throws(() => runPipeline(bad, 0, { checkIr: true }), /after the trace pass is ill-formed/);
  assert.doesNotThrow(() => runPipeline(bad, 0, { checkIr: false, snapshots: false }));
});

test("the pipeline's steps tile its time: the first starts at the given start, each next where the last ended, and it returns the last end", async () => {
  const lo = await jit((x: Tracer) => np.exp(np.add(x, 1))).lower(np.ones([4]));
  const program = lo.program;
  const steps: { name: string; start: number; ms: number }[] = [];
  const record = (kind: string) => (name: string, start: number, ms: number) =>
    steps.push({ name: `${kind}:${name}`, start, ms });
  // A start 5 ms back stands for a stall between the trace and the pipeline: it lands in the first step.
  const startMs = performance.now() - 5;
  const { endMs } = runPipeline(program, 0, {
    startMs,
    checkIr: true,
    onPass: record("pass"),
    onSnapshot: record("ir"),
    onCheck: record("check"),
  });
  assert.deepEqual(
    steps.slice(0, 4).map((s) => s.name),
    ["check:trace", "ir:trace", "pass:simplify", "check:simplify"],
  );
  assert.equal(steps[0]!.start, startMs);
  assert.ok(steps[0]!.ms >= 5, `the first step holds the 5 ms before it: ${steps[0]!.ms}`);
  // start + (end − start) is end up to float rounding.
  const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);
  for (let i = 1; i < steps.length; i++)
    close(
      steps[i]!.start,
      steps[i - 1]!.start + steps[i - 1]!.ms,
      `${steps[i]!.name} starts where the step before ended`,
    );
  const last = steps[steps.length - 1]!;
  close(endMs, last.start + last.ms, "the end");
  assert.equal(last.name, "ir:memory");
});
