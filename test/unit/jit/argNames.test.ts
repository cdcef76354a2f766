// Inputs and outputs named from the user's code: each array leaf of the arguments by its path
// from the parameter it came in (`p.w1`, `opt.m[1]`, `x`), outputs by their path in the result.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, config } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { leafPaths, paramNames } from "../../../runtime/src/trace/argNames.js";

config({ backend: "cpu" });

test("parameter names are read from function declarations, arrows and methods; others are argN", () => {
  assert.deepEqual(
    paramNames(
      function step(p: unknown, opt: unknown, x: unknown) {
        return [p, opt, x];
      } as never,
      3,
    ),
    ["p", "opt", "x"],
  );
  assert.deepEqual(paramNames(((w: unknown, b = 2) => [w, b]) as never, 2), ["w", "b"]);
  assert.deepEqual(paramNames(((x: unknown) => x) as never, 1), ["x"]);
  assert.deepEqual(paramNames((({ a, b }: { a: unknown; b: unknown }, y: unknown) => [a, b, y]) as never, 3), [
    "arg0",
    "y",
    "arg2",
  ]);
});

test("leaf paths follow flatten's order through objects and lists", () => {
  assert.deepEqual(
    leafPaths(
      {
        kind: "dict",
        keys: ["w", "m"],
        children: [{ kind: "leaf" }, { kind: "list", children: [{ kind: "leaf" }, { kind: "number" }] }],
      },
      "opt",
    ),
    ["opt.w", "opt.m[0]", "opt.m[1]"],
  );
});

test("a jitted step's graph labels its inputs with argument paths and its outputs with result paths", async () => {
  function update(p: { w: Tracer; b: Tracer }, opt: { m: Tracer[] }, x: Tracer) {
    return [{ w: np.add(p.w, opt.m[1]!), b: np.multiply(p.b, x) }, np.sum(x)];
  }
  const lowered = await jit(update).lower(
    { w: np.ones([2]), b: np.ones([2]) },
    { m: [np.ones([2]), np.ones([2])] },
    np.ones([2]),
  );
  for (const pass of lowered.passes) {
    const inputs = pass.graph.nodes.filter((n) => n.kind === "input").map((n) => n.label);
    const outputs = pass.graph.nodes.filter((n) => n.kind === "output").map((n) => n.label);
    assert.deepEqual(inputs, ["p.w", "p.b", "opt.m[0]", "opt.m[1]", "x"], pass.name);
    assert.deepEqual(outputs, ["result[0].w", "result[0].b", "result[1]"], pass.name);
  }
});
