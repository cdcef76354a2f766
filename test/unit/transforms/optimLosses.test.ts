// optim's losses against optax (scripts/jax/run_optax_losses.py wrote
// test/fixtures/jax/optax_losses.json): each loss's per-example values and the gradient of their
// sum in its first argument, on inputs with edge values (logits of ±100, errors of ±50, soft
// labels, class axis 0), on the CPU backend and on WebGPU, eagerly and under jit. Then the
// argument errors, each naming the loss.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as np from "../../../runtime/src/np.js";
import * as optim from "../../../runtime/src/optim.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import { JitScopeError } from "../../../runtime/src/ir/errors.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, webgpuOrSkip, type Nested } from "../ops/harness.js";

interface Case {
  inputs: Nested[];
  dtypes: string[];
  value: Nested;
  grad: Nested;
}
const fixture = JSON.parse(readFileSync(new URL("../../fixtures/jax/optax_losses.json", import.meta.url), "utf8")) as {
  optax: string;
  cases: Record<string, Case>;
};

type Loss = (...args: Tracer[]) => Tracer;
const L = optim.losses;
const LOSSES: Record<string, Loss> = {
  squared_error: (p, t) => L.squared_error(p!, t),
  squared_error_no_targets: (p) => L.squared_error(p!),
  l2_loss: (p, t) => L.l2_loss(p!, t),
  huber_loss: (p, t) => L.huber_loss(p!, t),
  "huber_loss_delta_0.5": (p, t) => L.huber_loss(p!, t, 0.5),
  log_cosh: (p, t) => L.log_cosh(p!, t),
  softmax_cross_entropy_onehot: (l, y) => L.softmax_cross_entropy(l!, y!),
  softmax_cross_entropy_soft: (l, y) => L.softmax_cross_entropy(l!, y!),
  softmax_cross_entropy_axis0: (l, y) => L.softmax_cross_entropy(l!, y!, 0),
  softmax_cross_entropy_with_integer_labels: (l, y) => L.softmax_cross_entropy_with_integer_labels(l!, y!),
  softmax_cross_entropy_with_integer_labels_axis0: (l, y) => L.softmax_cross_entropy_with_integer_labels(l!, y!, 0),
  sigmoid_binary_cross_entropy: (l, y) => L.sigmoid_binary_cross_entropy(l!, y!),
};

test("every loss in the fixture has our version, and optim exports each at the top level too", () => {
  assert.deepEqual(Object.keys(LOSSES).sort(), Object.keys(fixture.cases).sort());
  for (const name of Object.keys(L))
    assert.equal((optim as Record<string, unknown>)[name], (L as Record<string, unknown>)[name]);
});

const inputsOf = (c: Case) =>
  c.inputs.map((v, i) => np.array(v as never, { dtype: c.dtypes[i] === "int32" ? "int32" : "float32" }));
const sumLoss =
  (f: Loss) =>
  (first: Tracer, ...rest: Tracer[]) =>
    np.sum(f(first, ...rest));

for (const backend of ["cpu", "webgpu"] as const) {
  for (const mode of ["eager", "jit"] as const) {
    test(`on ${backend} ${mode}, each loss's values and the gradient of their sum in its first argument match optax ${fixture.optax}`, async (t) => {
      if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
      for (const [name, c] of Object.entries(fixture.cases)) {
        const f = LOSSES[name]!;
        const [value, g] = onBackend(backend, () => {
          const args = inputsOf(c);
          const run = mode === "jit" ? jit(f, { name }) : f;
          const dRun = mode === "jit" ? jit(grad(sumLoss(f))) : grad(sumLoss(f));
          return [run(...args), dRun(...(args as [Tracer, ...Tracer[]])) as Tracer];
        });
        assertClose(await value.toArray(), c.value, "float32", 2e-5, 2e-6, `${name} value`);
        assertClose(await g.toArray(), c.grad, "float32", 2e-5, 2e-6, `${name} gradient`);
      }
    });
  }
}

test("the losses refuse, naming the loss: float class labels, labels of the wrong shape, an axis out of range, a non-positive huber delta", () => {
  const refuses = (f: () => unknown, message: RegExp) =>
    assert.throws(f, (e: unknown) => e instanceof JitScopeError && message.test(e.message));
  const logits = np.zeros([4, 3]);
  refuses(
    () => L.softmax_cross_entropy_with_integer_labels(logits, np.zeros([4])),
    /softmax_cross_entropy_with_integer_labels: labels must be int32 class indices, got float32\[4\]/,
  );
  refuses(
    () => L.softmax_cross_entropy_with_integer_labels(logits, np.zeros([3], { dtype: "int32" })),
    /labels of shape \[3\] must have the logits' shape \[4,3\] without axis -1, \[4\]/,
  );
  refuses(
    () => L.softmax_cross_entropy_with_integer_labels(logits, np.zeros([4], { dtype: "int32" }), 2),
    /axis 2 is out of range for logits of shape \[4,3\]/,
  );
  refuses(() => L.huber_loss(logits, null, 0), /huber_loss: delta must be a positive number, got 0/);
});
