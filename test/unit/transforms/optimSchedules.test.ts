// optim's schedules, clip_by_global_norm and chain against optax (scripts/jax/run_optax.py wrote
// test/fixtures/jax/optax.json): schedule values at steps 0–12, and a few training steps of a
// small MLP (Adam + clipping + warmup-cosine, SGD + clipping, SGD momentum + exponential decay,
// AdamW + linear, RMSprop plain / centered with Nesterov momentum / bias-corrected / PyTorch's eps
// with a schedule, Adagrad, and chains of optax's building blocks: scale_by_adam + decayed weights
// + a scheduled learning rate, clip + trace + scale), each on the CPU backend and on WebGPU,
// eagerly and as a jitted step (where the schedule reads the traced step count).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as np from "../../../runtime/src/np.js";
import * as optim from "../../../runtime/src/optim.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { JitScopeError } from "../../../runtime/src/ir/errors.js";
import { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, webgpuOrSkip, type Nested } from "../ops/harness.js";
import { checkOptaxRuns, type Params } from "./optaxRuns.js";

config({ backend: "cpu" });
type T = Tracer;
interface Run {
  losses: number[];
  grad_norms: number[];
  params: Record<keyof Params, Nested>;
}
const file: {
  jax: string;
  optax: string;
  inputs: { x: Nested; y: Nested; params: Record<keyof Params, Nested> };
  schedules: Record<string, number[]>;
  runs: Record<string, Run>;
} = JSON.parse(readFileSync(new URL("../../fixtures/jax/optax.json", import.meta.url), "utf8"));

// run_optax.py's schedules and optimizers, with our API.
const SCHEDULES: Record<string, optim.Schedule> = {
  constant: optim.constant_schedule(0.1),
  linear: optim.linear_schedule(0, 1, 5, 2),
  exponential: optim.exponential_decay(1, 3, 0.5),
  exponential_staircase_floor: optim.exponential_decay(1, 2, 0.5, {
    transition_begin: 1,
    staircase: true,
    end_value: 0.2,
  }),
  cosine: optim.cosine_decay_schedule(0.5, 8, { alpha: 0.1, exponent: 2 }),
  warmup_cosine: optim.warmup_cosine_decay_schedule(0, 1, 3, 10, { end_value: 0.05 }),
};
const OPTS: Record<string, () => optim.GradientTransformation<unknown>> = {
  adam_clip_warmup_cosine: () =>
    optim.chain(
      optim.clip_by_global_norm(2.5),
      optim.adam(
        optim.warmup_cosine_decay_schedule(0, 0.05, 2, 8, { end_value: 0.005 }),
      ) as optim.GradientTransformation<unknown>,
    ) as optim.GradientTransformation<unknown>,
  sgd_clip: () =>
    optim.chain(
      optim.clip_by_global_norm(1),
      optim.sgd(0.1) as optim.GradientTransformation<unknown>,
    ) as optim.GradientTransformation<unknown>,
  sgd_momentum_exponential: () =>
    optim.sgd(optim.exponential_decay(0.1, 2, 0.5), 0.9) as optim.GradientTransformation<unknown>,
  // optax's keywords as an options object.
  chain_decay_sgd_nesterov: () =>
    optim.chain(
      optim.add_decayed_weights(5e-3),
      optim.sgd(0.05, { momentum: 0.9, nesterov: true }) as optim.GradientTransformation<unknown>,
    ) as optim.GradientTransformation<unknown>,
  adamw_linear: () =>
    optim.adamw(optim.linear_schedule(0.02, 0.001, 4), { weight_decay: 0.01 }) as optim.GradientTransformation<unknown>,
  rmsprop: () => optim.rmsprop(0.01) as optim.GradientTransformation<unknown>,
  rmsprop_centered_nesterov: () =>
    optim.rmsprop(0.01, {
      decay: 0.8,
      centered: true,
      momentum: 0.5,
      nesterov: true,
    }) as optim.GradientTransformation<unknown>,
  rmsprop_bias_correction: () =>
    optim.rmsprop(0.01, { decay: 0.8, bias_correction: true }) as optim.GradientTransformation<unknown>,
  rmsprop_torch_eps_schedule: () =>
    optim.rmsprop(optim.exponential_decay(0.02, 2, 0.5), {
      eps: 1e-3,
      initial_scale: 0.1,
      eps_in_sqrt: false,
    }) as optim.GradientTransformation<unknown>,
  adagrad: () => optim.adagrad(0.1) as optim.GradientTransformation<unknown>,
  chain_scale_by_adam_decay_schedule: () =>
    optim.chain(
      optim.scale_by_adam({ b1: 0.8, eps_root: 1e-8 }) as optim.GradientTransformation<unknown>,
      optim.add_decayed_weights(0.05) as optim.GradientTransformation<unknown>,
      optim.scale_by_learning_rate(optim.linear_schedule(0.05, 0.01, 3)),
    ) as optim.GradientTransformation<unknown>,
  flatten_clip_adamw: () =>
    optim.flatten(
      optim.chain(
        optim.clip_by_global_norm(2.5),
        optim.adamw(0.02, { weight_decay: 0.01 }) as optim.GradientTransformation<unknown>,
      ),
    ) as optim.GradientTransformation<unknown>,
  chain_clip_trace_scale: () =>
    optim.chain(
      optim.clip(0.05) as optim.GradientTransformation<unknown>,
      optim.trace(0.9) as optim.GradientTransformation<unknown>,
      optim.scale(-0.5) as optim.GradientTransformation<unknown>,
    ) as optim.GradientTransformation<unknown>,
};

test(`the optax fixture (JAX ${file.jax}, optax ${file.optax}) holds exactly the schedules and runs written here`, () => {
  assert.deepEqual(Object.keys(file.schedules).sort(), Object.keys(SCHEDULES).sort());
  assert.deepEqual(Object.keys(file.runs).sort(), Object.keys(OPTS).sort());
});

for (const backend of ["cpu", "webgpu"] as const) {
  test(`schedules match optax at steps 0–12 on ${backend}: JS-number count, int32 count, and jitted`, async (t) => {
    if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
    const got = onBackend(backend, () =>
      Object.entries(SCHEDULES).map(([id, s]) => {
        const counts = Array.from({ length: 13 }, (_, i) => i);
        const asNumber = counts.map((c) => s(c));
        const asArray = counts.map((c) => s(np.array(c, { dtype: "int32" })));
        const jitted = jit((c: T) => np.multiply(np.ones([]), s(c)));
        const underJit = counts.map((c) => jitted(np.array(c, { dtype: "int32" })));
        return [id, asNumber, asArray, underJit] as const;
      }),
    );
    const read = (v: T | number) => (typeof v === "number" ? v : (v.toArray() as Promise<number>));
    for (const [id, ...modes] of got) {
      for (const [m, vals] of modes.entries()) {
        assertClose(await Promise.all(vals.map(read)), file.schedules[id]!, "float32", 1e-5, 1e-6, `${id} mode ${m}`);
      }
    }
  });

  for (const useJit of [false, true]) {
    test(`training steps match optax (losses and final params, rtol 1e-4) on ${backend}${useJit ? " as a jitted step" : " eagerly"}`, async (t) => {
      if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
      await checkOptaxRuns(backend, useJit, file.inputs, OPTS, file.runs);
    });
  }
}

test("optax's keyword arguments given positionally read as the options object: the decay schedules at steps 0–12 equal optax's values", async () => {
  const positional: Record<string, optim.Schedule> = {
    exponential_staircase_floor: optim.exponential_decay(1, 2, 0.5, 1, true, 0.2),
    cosine: optim.cosine_decay_schedule(0.5, 8, 0.1, 2),
    warmup_cosine: optim.warmup_cosine_decay_schedule(0, 1, 3, 10, 0.05),
  };
  for (const [id, s] of Object.entries(positional)) {
    const got = await Promise.all(Array.from({ length: 13 }, (_, i) => np.asarray(s(i)).toArray()));
    assertClose(got as Nested, file.schedules[id]!, "float32", 1e-6, 1e-7);
  }
  assert.throws(
    () => (optim.cosine_decay_schedule as (...a: unknown[]) => unknown)(0.5, 8, { alpha: 0.1 }, 2),
    (e: unknown) => e instanceof JitScopeError && /either positionally or in one object, not both/.test(e.message),
  );
});

test("clip_by_global_norm leaves updates under the norm as they are and scales larger ones to it (3-4-12 → norm 13)", async () => {
  const clip = optim.clip_by_global_norm(6.5);
  const [small] = clip.update({ a: np.array([0.3, 0.4]) }, clip.init({}));
  assert.deepEqual(await (small as { a: T }).a.toArray(), [0.3, 0.4].map(Math.fround));
  const [big] = clip.update({ a: np.array([3, 4]), b: np.array([12]) }, {});
  const u = big as { a: T; b: T };
  assertClose([...((await u.a.toArray()) as number[]), ...((await u.b.toArray()) as number[])], [1.5, 2, 6], "float32");
});

test("bad optimizer input is an error naming it: a non-schedule learning rate, max_norm ≤ 0, a chain state of the wrong length, decay_steps 0, a decay outside [0, 1), clip's max_delta 0, decayed weights without params, sgd's unknown option or non-number momentum", () => {
  assert.throws(
    () => optim.sgd(0.1, { momentum: 0.9, nesterof: true } as never),
    /optim\.sgd: unknown option "nesterof": did you mean "nesterov"\? \(it takes momentum, nesterov\)/,
  );
  assert.throws(() => optim.sgd(0.1, { momentum: "0.9" } as never), /optim\.sgd: momentum must be a number, got 0\.9/);
  assert.throws(
    () => optim.adam(-1),
    (e: unknown) =>
      e instanceof JitScopeError && /learning_rate must be a positive number or a schedule/.test(e.message),
  );
  assert.throws(() => optim.clip_by_global_norm(0), /clip_by_global_norm: max_norm must be a positive number, got 0/);
  const c = optim.chain(optim.clip_by_global_norm(1), optim.sgd(0.1) as optim.GradientTransformation<unknown>);
  assert.throws(() => c.update({ a: np.array([1]) }, [{}]), /optim\.chain: the state must be the list of 2 states/);
  assert.throws(() => optim.cosine_decay_schedule(1, 0), /decay_steps must be positive/);
  assert.throws(() => optim.rmsprop(0.1, { decay: 1 }), /optim\.scale_by_rms: decay must be in \[0, 1\), got 1/);
  assert.throws(() => optim.trace(-0.5), /optim\.trace: decay must be in \[0, 1\), got -0\.5/);
  assert.throws(() => optim.clip(0), /optim\.clip: max_delta must be a positive number, got 0/);
  assert.throws(() => optim.rmsprop(0), /scale_by_learning_rate: learning_rate must be a positive number, got 0/);
  const decay = optim.add_decayed_weights(0.1);
  assert.throws(() => decay.update({ a: np.array([1]) }, decay.init({})), /add_decayed_weights: update needs params/);
});
