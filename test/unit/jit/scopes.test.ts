// Name stacks from the user's functions: each equation of a jitted program names the functions it
// was traced under, transformations merged in where their function appears, and repeated calls
// (an unrolled loop) as numbered instances.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, config, grad } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { mergeNameStack, numberFirstInstances, ScopeTracker } from "../../../runtime/src/trace/scopes.js";

config({ backend: "cpu" });

const frame = (name: string, line: number, column = 1) => ({ name, file: "/u.ts", line, column });

test("the tracker numbers a function's instances when its caller calls it again from the same line", () => {
  const t = new ScopeTracker();
  // step → loss at line 10, loss → cell at line 3 then 4; a second call from line 10 starts at line 3 again.
  assert.deepEqual(t.label([frame("step", 10), frame("loss", 3)]), ["step", "loss"]);
  assert.deepEqual(t.label([frame("step", 10), frame("loss", 4)]), ["step", "loss"]);
  assert.deepEqual(t.label([frame("step", 10), frame("loss", 3)]), ["step", "loss#2"]);
  // Columns going backwards on one line (f(g(x)) calls g first) stay in the same call.
  assert.deepEqual(t.label([frame("step", 10), frame("loss", 3, 40)]), ["step", "loss#2"]);
  assert.deepEqual(t.label([frame("step", 10), frame("loss", 3, 5)]), ["step", "loss#2"]);
  // A different function under the same caller is a fresh scope, numbered on its own.
  assert.deepEqual(t.label([frame("step", 11), frame("norm", 7)]), ["step", "norm"]);
  assert.deepEqual(t.label([frame("step", 12), frame("norm", 7)]), ["step", "norm#2"]);
});

test("transformation names take the place of the function they apply to; transpose goes right after grad", () => {
  assert.deepEqual(mergeNameStack(["trainStep", "grad(loss)"], ["trainStep", "loss", "block", "attention"]), [
    "trainStep",
    "grad(loss)",
    "block",
    "attention",
  ]);
  assert.deepEqual(
    mergeNameStack(["trainStep", "grad(loss)", "transpose"], ["trainStep", "loss", "block#2", "attention"]),
    ["trainStep", "grad(loss)", "transpose", "block", "#2", "attention"],
  );
  assert.deepEqual(mergeNameStack(["step", "grad(loss)", "transpose"], ["step", "loss#3", "cell"]), [
    "step",
    "grad(loss)",
    "transpose",
    "#3",
    "cell",
  ]);
  assert.deepEqual(mergeNameStack(["renamed"], ["step", "mlp"]), ["renamed", "step", "mlp"]);
  assert.deepEqual(mergeNameStack(["step"], []), ["step"]);
});

test("a scope with a second instance gets #1 on its first", () => {
  assert.deepEqual(
    numberFirstInstances([
      ["s", "cell"],
      ["s", "cell", "#2"],
      ["s", "other"],
    ]).stacks,
    [
      ["s", "cell", "#1"],
      ["s", "cell", "#2"],
      ["s", "other"],
    ],
  );
});

function cell(h: Tracer, x: Tracer, w: Tracer): Tracer {
  const pre = np.add(np.matmul(h, w), x);
  return np.tanh(pre);
}
function unrolled(h: Tracer, xs: Tracer, w: Tracer): Tracer {
  for (let t = 0; t < 3; t++) {
    const x = np.take(xs, t, 0);
    h = cell(h, x, w);
  }
  return h;
}
function lossOf(w: Tracer, h: Tracer, xs: Tracer): Tracer {
  return np.sum(unrolled(h, xs, w));
}

test("an unrolled loop under jit: each iteration's ops carry their own instance of cell", async () => {
  const lowered = await jit(unrolled).lower(np.zeros([2, 4]), np.ones([3, 2, 4]), np.ones([4, 4]));
  const stacks = lowered.program.eqns.map((e) => `${e.prim}: ${e.nameStack.join("/")}`);
  const tanhs = stacks.filter((s) => s.startsWith("tanh"));
  assert.deepEqual(tanhs, ["tanh: unrolled/#1/cell", "tanh: unrolled/#2/cell", "tanh: unrolled/#3/cell"]);
  const matmuls = stacks.filter((s) => s.startsWith("matmul"));
  assert.deepEqual(matmuls, ["matmul: unrolled/#1/cell", "matmul: unrolled/#2/cell", "matmul: unrolled/#3/cell"]);
});

test("under grad, backward ops sit in the forward op's scopes after grad(f)/transpose", async () => {
  const step = jit(function step(w: Tracer, h: Tracer, xs: Tracer) {
    return np.subtract(w, np.multiply(0.1, grad(lossOf)(w, h, xs) as Tracer));
  });
  const lowered = await step.lower(np.ones([4, 4]), np.zeros([2, 4]), np.ones([3, 2, 4]));
  const eqns = lowered.program.eqns;
  const forwardTanh = eqns.filter((e) => e.prim === "tanh").map((e) => e.nameStack.join("/"));
  assert.deepEqual(forwardTanh, [
    "step/grad(lossOf)/unrolled/#1/cell",
    "step/grad(lossOf)/unrolled/#2/cell",
    "step/grad(lossOf)/unrolled/#3/cell",
  ]);
  // tanh's backward (1 - y²) multiplies in cell's scope, under transpose.
  const backward = eqns.filter((e) => e.nameStack.includes("transpose")).map((e) => e.nameStack.join("/"));
  for (const i of [1, 2, 3])
    assert.ok(
      backward.includes(`step/grad(lossOf)/transpose/unrolled/#${i}/cell`),
      `iteration ${i}'s backward: ${[...new Set(backward)]}`,
    );
  // The update outside grad is in step alone.
  assert.deepEqual(eqns[eqns.length - 1]!.nameStack, ["step"]);
});

test("each instance's call site is its caller's line: cell #1 to #3 at line 73, forward and backward alike", async () => {
  const step = jit(function step(w: Tracer, h: Tracer, xs: Tracer) {
    return np.subtract(w, np.multiply(0.1, grad(lossOf)(w, h, xs) as Tracer));
  });
  const lowered = await step.lower(np.ones([4, 4]), np.zeros([2, 4]), np.ones([3, 2, 4]));
  const line = (path: string) => lowered.scopeSites[path]?.line;
  for (const i of [1, 2, 3]) {
    assert.equal(line(`step/grad(lossOf)/unrolled/#${i}/cell`), 73, `cell #${i}`);
    assert.equal(line(`step/grad(lossOf)/transpose/unrolled/#${i}/cell`), 73, `cell #${i} under transpose`);
  }
  // Each pass of unrolled's loop is an instance of unrolled, called from lossOf's line 78; the
  // group of all of them is no one call. grad(lossOf) is called from step's own line.
  assert.equal(line("step/grad(lossOf)/unrolled/#2"), 78);
  assert.equal(line("step/grad(lossOf)/unrolled"), undefined);
  assert.ok(lowered.scopeSites["step/grad(lossOf)"]!.file.endsWith("scopes.test.ts"));
  // Every path with a site is one some op's name stack passes through.
  const prefixes = new Set(
    lowered.program.eqns.flatMap((e) => e.nameStack.map((_, i) => e.nameStack.slice(0, i + 1).join("/"))),
  );
  for (const path of Object.keys(lowered.scopeSites)) assert.ok(prefixes.has(path), path);
});
