import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, hessian, jacrev, jit, np } from "../../../runtime/src/index.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { bindingNameBefore } from "../../../runtime/src/trace/jitName.js";

test("the name a jit call's result is bound to: const, let with a type, export, property, member", () => {
  assert.equal(bindingNameBefore("const accuracy = "), "accuracy");
  assert.equal(bindingNameBefore("  export const trainStep = "), "trainStep");
  assert.equal(bindingNameBefore("let f: (x: np.Array) => np.Array = "), "f");
  assert.equal(bindingNameBefore("const fns = { loss: "), "loss");
  assert.equal(bindingNameBefore("  this.step = "), "step");
  assert.equal(bindingNameBefore("console.log("), null);
  assert.equal(bindingNameBefore("return "), null);
  assert.equal(bindingNameBefore("if (a === "), null);
});

test("an anonymous arrow passed to jit is named after the const it is assigned to", () => {
  const accuracy = jit((x: np.ArrayLike) => np.add(x, 1));
  assert.equal(accuracy.fnName, "accuracy");
  const named = jit(function losses(x: np.ArrayLike) {
    return np.multiply(x, 2);
  });
  assert.equal(named.fnName, "losses", "a function's own name wins");
  const explicit = jit((x: np.ArrayLike) => x, { name: "given" });
  assert.equal(explicit.fnName, "given", "an explicit name wins");
  assert.equal([jit((x: np.ArrayLike) => x)][0]!.fnName, "anonymous", "nothing to name it after");
});

test("jit of grad/jacrev/hessian of an anonymous arrow is named after its binding; of a named function, grad_<name>", async () => {
  const gradStep = jit(grad((x: Tracer) => np.sum(np.square(x))));
  assert.equal(gradStep.fnName, "gradStep");
  const curvature = jit(hessian((x: Tracer) => np.sum(np.power(x, 3))));
  assert.equal(curvature.fnName, "curvature");
  const sensitivity = jit(jacrev((x: Tracer) => np.sin(x)));
  assert.equal(sensitivity.fnName, "sensitivity");
  function loss(x: Tracer): Tracer {
    return np.sum(np.square(x));
  }
  const step = jit(grad(loss));
  assert.equal(step.fnName, "grad_loss", "the transformed function's own name wins");
  // The derivative still computes: d/dx sum(x^2) = 2x.
  assert.deepEqual(Array.from(await (gradStep(np.array([1, -2])) as Tracer).data()), [2, -4]);
});
