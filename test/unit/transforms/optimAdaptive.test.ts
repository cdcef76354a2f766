// optim's adaptive optimizers and extra losses against optax (scripts/jax/run_optax_adaptive.py
// wrote test/fixtures/jax/optax_adaptive.json): adamax, nadam, radam (before and after its
// rectification starts, with Nesterov), adabelief (with Nesterov), yogi, amsgrad and lamb (with
// weight decay and with a schedule) trained for several steps on run_optax.py's MLP, losses and
// final parameters compared with optax run in float64 (rtol 1e-4; optax's own float32 RAdam is
// 1e-3 off float64 at its default b2, this runtime's 1e-5), on the CPU backend and on WebGPU,
// eagerly and as a jitted step; then
// kl_divergence, cosine_similarity / cosine_distance, hinge_loss, smooth_labels and
// sigmoid_focal_loss with gradients, and bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as np from "../../../runtime/src/np.js";
import * as nn from "../../../runtime/src/nn.js";
import * as optim from "../../../runtime/src/optim.js";
import { config } from "../../../runtime/src/config.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, refuses, webgpuOrSkip, type Nested } from "../ops/harness.js";
import { checkOptaxRuns, type OptaxInputs, type OptaxRun } from "./optaxRuns.js";

config({ backend: "cpu" });
type T = Tracer;
const base: { inputs: OptaxInputs } = JSON.parse(
  readFileSync(new URL("../../fixtures/jax/optax.json", import.meta.url), "utf8"),
);
const file: {
  jax: string;
  optax: string;
  runs: Record<string, OptaxRun>;
  loss_inputs: Record<string, Nested>;
  losses: Record<string, Nested>;
} = JSON.parse(readFileSync(new URL("../../fixtures/jax/optax_adaptive.json", import.meta.url), "utf8"));

const any = (t: unknown) => t as optim.GradientTransformation<unknown>;
const OPTS: Record<string, () => optim.GradientTransformation<unknown>> = {
  adamax: () => any(optim.adamax(0.05)),
  nadam: () => any(optim.nadam(0.03, { b1: 0.8 })),
  radam: () => any(optim.radam(0.05)),
  radam_nesterov_rectified_at_step_5: () => any(optim.radam(0.05, { b2: 0.95, threshold: 4.5, nesterov: true })),
  adabelief: () => any(optim.adabelief(0.05)),
  adabelief_nesterov: () => any(optim.adabelief(0.05, { nesterov: true })),
  yogi: () => any(optim.yogi(0.05)),
  amsgrad: () => any(optim.amsgrad(0.05, { b2: 0.9 })),
  lamb: () => any(optim.lamb(0.05, { weight_decay: 0.01 })),
  lamb_schedule: () => any(optim.lamb(optim.linear_schedule(0.05, 0.005, 4))),
};

test(`the optax fixture (JAX ${file.jax}, optax ${file.optax}) holds exactly the runs written here`, () => {
  assert.deepEqual(Object.keys(file.runs).sort(), Object.keys(OPTS).sort());
});

for (const backend of ["cpu", "webgpu"] as const) {
  for (const useJit of [false, true]) {
    test(`adaptive optimizers' training steps match optax (losses and final params, rtol 1e-4) on ${backend}${useJit ? " as a jitted step" : " eagerly"}`, async (t) => {
      if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
      await checkOptaxRuns(backend, useJit, base.inputs, OPTS, file.runs);
    });
  }

  test(`kl_divergence, cosine_similarity / distance, hinge_loss, smooth_labels and sigmoid_focal_loss match optax with gradients on ${backend}`, async (t) => {
    if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
    const got = onBackend(backend, () => {
      const i = Object.fromEntries(
        Object.entries(file.loss_inputs).map(([k, v]) => [k, np.array(v as never, { dtype: "float32" })]),
      );
      const logPreds = nn.log_softmax(i.logits!);
      return {
        kl_divergence: optim.kl_divergence(logPreds, i.probs!),
        cosine_similarity: optim.cosine_similarity(i.a!, i.b!, { epsilon: 1e-6 }),
        cosine_distance: optim.cosine_distance(i.a!, i.b!, { epsilon: 1e-6 }),
        hinge_loss: optim.hinge_loss(i.outs!, i.signs!),
        smooth_labels: optim.smooth_labels(i.onehot!, 0.1),
        sigmoid_focal_loss: optim.sigmoid_focal_loss(i.logits!, i.labels01!),
        sigmoid_focal_loss_alpha: optim.sigmoid_focal_loss(i.logits!, i.labels01!, { alpha: 0.25, gamma: 1.5 }),
        grad_focal: grad((z: T) => np.sum(optim.sigmoid_focal_loss(z, i.labels01!, { alpha: 0.25 })))(i.logits!) as T,
        grad_kl: grad((z: T) => np.sum(optim.kl_divergence(nn.log_softmax(z), i.probs!)))(i.logits!) as T,
        grad_cosine: grad((z: T) => np.sum(optim.cosine_similarity(z, i.b!, { epsilon: 1e-6 })))(i.a!) as T,
      };
    });
    assert.deepEqual(Object.keys(got).sort(), Object.keys(file.losses).sort());
    for (const [k, v] of Object.entries(got)) assertClose(await v.toArray(), file.losses[k]!, "float32", 2e-5, 1e-6, k);
  });
}

test("bad input is an error naming it: lamb's unknown option, scale_by_trust_ratio without params, smooth_labels of a scalar", () => {
  assert.throws(
    () => optim.lamb(0.1, { weight_decy: 0.1 } as never),
    /optim\.lamb: unknown option "weight_decy": did you mean "weight_decay"\?/,
  );
  const tr = optim.scale_by_trust_ratio();
  refuses(() => tr.update({ a: np.ones([2]) }, tr.init({})), /optim\.scale_by_trust_ratio: update needs params/);
  refuses(() => optim.smooth_labels(np.array(1), 0.1), /optim\.smooth_labels: labels need a last axis of categories/);
});
