// The issue-14 examples profiled on WebGPU through the CLI: mlp_adam (randint labels, one_hot,
// log_softmax cross-entropy, optim.adam in one jitted step) and per_example_grads (vmap of grad,
// norm clipping), checked against what the scripts print and what the report says.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO, runCli } from "./runCli.js";
import { webgpuOrSkip } from "../ops/harness.js";

const example = (name: string) => join(REPO, "examples", name);
const stdoutLines = (r: ReturnType<typeof runCli>) =>
  r.report.console.filter((l) => l.stream === "stdout").map((l) => l.text);
const lossesOf = (lines: string[]) =>
  lines.filter((l) => l.startsWith("step ")).map((l) => Number(l.split("loss ")[1]));
const lineOf = (file: string, text: string) =>
  readFileSync(file, "utf8")
    .split("\n")
    .findIndex((l) => l.includes(text)) + 1;

test("mlp_adam on webgpu: loss falls, accuracy > 0.9, the Adam step is one compiled function called 101 times", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const file = example("mlp_adam.ts");
  const r = runCli(file);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.report.device.backend, "webgpu");
  const lines = stdoutLines(r);
  const losses = lossesOf(lines);
  assert.equal(losses.length, 5);
  assert.ok(losses[4]! < losses[0]! / 4, `loss falls: ${losses}`);
  const accuracy = Number(lines.find((l) => l.startsWith("accuracy "))!.split(" ")[1]);
  assert.ok(accuracy > 0.9, `accuracy ${accuracy}`);
  const fn = r.report.functions.find((f) => f.name === "trainStep")!;
  assert.equal(fn.calls, 101);
  assert.equal(fn.compilations.length, 1, "state and params keep their shapes: compiled once");
  assert.equal(fn.location!.line, lineOf(file, "jit(trainStep, { donate_argnums"));
  const jitKernels = r.report.kernels.filter((k) => k.mode === "jit");
  assert.equal(jitKernels.length, fn.kernelsPerCall);
  assert.ok(
    jitKernels.every((k) => k.dispatches === 101 && k.gpuTimesNs.length > 0),
    "every kernel of the step ran and was timed",
  );
  // one_hot's compare and the Adam update are in the step's kernels, at the user's lines.
  const lossLine = lineOf(file, "nn.one_hot(y, classes)");
  const adamLine = lineOf(file, "opt.update(grads, state, p)");
  const jitLines = new Set(jitKernels.flatMap((k) => k.locations.map((l) => l.line)));
  assert.ok(jitLines.has(lossLine) && jitLines.has(adamLine), `kernel lines ${[...jitLines]}`);
  // The labels are gathered by np.take with traced indices: one gather kernel, not a one-hot sum.
  assert.ok(
    r.report.kernels.some((k) => k.ops.includes("gather")),
    "np.take is a gather kernel",
  );
});

test("per_example_grads on webgpu: vmap(grad) equals a loop, the clipped step is one compiled call with no per-example kernels", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const file = example("per_example_grads.ts");
  const r = runCli(file);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.report.device.backend, "webgpu");
  const lines = stdoutLines(r);
  const diff = Number(lines.find((l) => l.startsWith("vmap vs loop"))!.split("difference ")[1]);
  assert.ok(diff <= 1e-6, `vmap vs loop differ by ${diff}`);
  const losses = lossesOf(lines);
  assert.equal(losses.length, 4);
  assert.ok(Math.abs(losses[0]! - Math.LN2) < 1e-3, "w = 0 gives log 2 per example");
  assert.ok(losses[3]! < losses[0]! * 0.5, `loss falls: ${losses}`);
  const fn = r.report.functions.find((f) => f.name === "clippedStep")!;
  assert.equal(fn.calls, 61);
  // 64 examples, yet a handful of kernels per call: the batch is a tensor axis, not a loop.
  assert.ok(fn.kernelsPerCall > 0 && fn.kernelsPerCall < 16, `kernels per call ${fn.kernelsPerCall}`);
  const normLine = lineOf(file, "np.linalg.norm(g, 2, 1");
  assert.ok(
    r.report.kernels.some((k) => k.mode === "jit" && k.locations.some((l) => l.line === normLine)),
    "the norm's reduction is in a jit kernel",
  );
});
