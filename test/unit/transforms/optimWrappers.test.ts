// optim's masking, partition and accumulation wrappers against optax
// (scripts/jax/run_optax_wrappers.py wrote test/fixtures/jax/optax_wrappers.json): masked,
// adamw / add_decayed_weights with masks, partition / multi_transform, freeze,
// selective_transform, MultiSteps (mean, sum, a schedule of k, skipped mini-steps), ema,
// apply_if_finite and zero_nans, each trained for several steps on run_optax.py's MLP (step i on
// the batch x · (1 + 0.1 (i mod 3))), losses, final parameters and MultiSteps' has_updated
// compared with optax run in float64 (rtol 1e-4), on the CPU backend and on WebGPU, eagerly and as
// a jitted step; inject_hyperparams the same way (a rate replaced in the state mid-run, a
// schedule's recorded values); then non-finite gradients and nested prefix masks by hand, and bad
// input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as np from "../../../runtime/src/np.js";
import * as optim from "../../../runtime/src/optim.js";
import * as tree from "../../../runtime/src/tree.js";
import { config } from "../../../runtime/src/config.js";
import { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, refuses, webgpuOrSkip } from "../ops/harness.js";
import { checkOptaxRuns, mlpLoss, type OptaxInputs, type OptaxRun, type Params } from "./optaxRuns.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { valueAndGrad } from "../../../runtime/src/trace/grad.js";

config({ backend: "cpu" });
type T = Tracer;
const f32 = (v: unknown): T => np.array(v as never, { dtype: "float32" });
const base: { inputs: OptaxInputs } = JSON.parse(
  readFileSync(new URL("../../fixtures/jax/optax.json", import.meta.url), "utf8"),
);
const file: {
  jax: string;
  optax: string;
  max_squared_norm: number;
  runs: Record<string, OptaxRun>;
  inject: Record<string, OptaxRun & { rates: number[] }>;
} = JSON.parse(readFileSync(new URL("../../fixtures/jax/optax_wrappers.json", import.meta.url), "utf8"));

const any = (t: unknown) => t as optim.GradientTransformation<unknown>;
const weightsOnly = (p: unknown) => tree.map((a: T) => a.ndim > 1, p as never) as optim.PrefixTree<boolean>;
const OPTS: Record<string, () => optim.GradientTransformation<unknown>> = {
  masked_fn: () => any(optim.chain(any(optim.masked(optim.scale_by_adam(), weightsOnly)), any(optim.scale(-0.05)))),
  adamw_mask_fn: () => any(optim.adamw(0.05, { weight_decay: 0.5, mask: weightsOnly })),
  add_decayed_weights_mask_tree: () =>
    any(
      optim.chain(
        any(optim.add_decayed_weights(0.5, { w1: true, b1: false, w2: true, b2: false })),
        any(optim.sgd(0.1)),
      ),
    ),
  partition: () =>
    any(
      optim.partition(
        { adam: any(optim.adam(0.05)), sgd: any(optim.sgd(0.2, { momentum: 0.9 })), frozen: any(optim.set_to_zero()) },
        { w1: "adam", b1: "sgd", w2: "adam", b2: "frozen" },
      ),
    ),
  multi_transform_fn: () =>
    any(
      optim.multi_transform(
        { w: any(optim.adamw(0.05, { weight_decay: 0.1 })), b: any(optim.sgd(0.1)) },
        (p: never) => tree.map((a: T) => (a.ndim > 1 ? "w" : "b"), p) as optim.PrefixTree<string>,
      ),
    ),
  freeze: () =>
    any(optim.chain(any(optim.freeze({ w1: true, b1: true, w2: false, b2: false })), any(optim.adam(0.05)))),
  selective_transform: () =>
    any(
      optim.selective_transform(any(optim.adam(0.05)), { freeze_mask: { w1: false, b1: true, w2: false, b2: true } }),
    ),
  multisteps_mean_k3: () => any(optim.MultiSteps(any(optim.adam(0.05)), 3)),
  multisteps_sum_k2: () => any(optim.MultiSteps(any(optim.sgd(0.05)), 2, { use_grad_mean: false })),
  multisteps_schedule: () => any(optim.MultiSteps(any(optim.adam(0.05)), (s) => np.where(np.less(s, 1), 2, 3))),
  multisteps_skip_large: () =>
    any(
      optim.MultiSteps(any(optim.adam(0.05)), 2, {
        should_skip_update_fn: (u, s, p) => optim.skip_large_updates(u, s, p, file.max_squared_norm),
      }),
    ),
  ema: () => any(optim.chain(any(optim.ema(0.8)), any(optim.scale(-0.1)))),
  ema_no_debias: () => any(optim.chain(any(optim.ema(0.5, false)), any(optim.scale(-0.2)))),
  apply_if_finite: () => any(optim.apply_if_finite(any(optim.adam(0.05)), 2)),
  zero_nans: () => any(optim.chain(any(optim.zero_nans()), any(optim.sgd(0.1)))),
};
const batchScale = (i: number) => 1 + 0.1 * (i % 3);

test(`the optax fixture (JAX ${file.jax}, optax ${file.optax}) holds exactly the runs written here`, () => {
  assert.deepEqual(Object.keys(file.runs).sort(), Object.keys(OPTS).sort());
});

for (const backend of ["cpu", "webgpu"] as const) {
  for (const useJit of [false, true]) {
    test(`masked, partition, freeze, MultiSteps, ema and apply_if_finite steps match optax (losses, final params, has_updated) on ${backend}${useJit ? " as a jitted step" : " eagerly"}`, async (t) => {
      if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
      await checkOptaxRuns(backend, useJit, base.inputs, OPTS, file.runs, batchScale);
    });
  }
}

// + 0 reads −0 (a mini-step's update, 0 · −g, as optax's) as 0.
const plusZero = (v: unknown): unknown => (Array.isArray(v) ? v.map(plusZero) : typeof v === "number" ? v + 0 : v);
for (const backend of ["cpu", "webgpu"] as const) {
  for (const useJit of [false, true]) {
    test(`inject_hyperparams: a learning rate set in the state mid-run and a schedule's recorded values match optax (losses, rates, final params) on ${backend}${useJit ? " as a jitted step" : " eagerly"}`, async (t) => {
      if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
      const runs = {
        inject_adam_lr_set: { make: () => optim.inject_hyperparams(optim.adam)(0.05), setAt: 3 },
        inject_sgd_schedule: {
          make: () => optim.inject_hyperparams(optim.sgd)(optim.linear_schedule(0.1, 0.02, 4), { momentum: 0.9 }),
          setAt: -1,
        },
      };
      for (const [id, { make, setAt }] of Object.entries(runs)) {
        const want = file.inject[id]!;
        const got = onBackend(backend, () => {
          const opt = make() as optim.GradientTransformation<optim.InjectHyperparamsState<unknown>>;
          const x = f32(base.inputs.x),
            y = f32(base.inputs.y);
          let params = Object.fromEntries(
            Object.entries(base.inputs.params).map(([k, v]) => [k, f32(v)]),
          ) as unknown as Params;
          let state = opt.init(params);
          const step = (p: Params, s: optim.InjectHyperparamsState<unknown>, xx: T): [Params, typeof s, T] => {
            const [l, g] = valueAndGrad(mlpLoss)(p, xx, y);
            const [u, next] = opt.update(g, s, p);
            return [optim.apply_updates(p, u), next, l];
          };
          const run = useJit ? jit(step) : step;
          const losses: T[] = [],
            rates: T[] = [];
          for (let i = 0; i < want.losses.length; i++) {
            // The loop's way to change the rate: a new state with another value in hyperparams.
            if (i === setAt) state = { ...state, hyperparams: { learning_rate: np.array(0.01) } };
            let l: T;
            [params, state, l] = run(params, state, np.multiply(x, batchScale(i)));
            losses.push(l);
            rates.push(state.hyperparams.learning_rate);
          }
          return { losses, rates, params };
        });
        assertClose(
          await Promise.all(got.losses.map((l) => l.toArray())),
          want.losses,
          "float32",
          1e-4,
          1e-6,
          `${id} losses`,
        );
        assertClose(
          await Promise.all(got.rates.map((l) => l.toArray())),
          want.rates,
          "float32",
          1e-6,
          1e-8,
          `${id} rates`,
        );
        for (const k of ["w1", "b1", "w2", "b2"] as const)
          assertClose(await got.params[k].toArray(), want.params[k], "float32", 1e-4, 1e-5, `${id} ${k}`);
      }
    });
  }
}

const values = async (t: unknown) => Promise.all((tree.leaves(t) as T[]).map(async (l) => plusZero(await l.toArray())));

test("MultiSteps(sgd(1), 2) with skip_not_finite drops a NaN mini-step: the update after [1, 2], NaN, [3, 4] is −[2, 3]", async () => {
  const opt = optim.MultiSteps(any(optim.sgd(1)), 2, { should_skip_update_fn: optim.skip_not_finite });
  let state = opt.init({ w: np.zeros([2]) });
  const outs: unknown[] = [];
  const skips: unknown[] = [];
  for (const g of [
    [1, 2],
    [NaN, 0],
    [3, 4],
  ]) {
    const [u, s] = opt.update({ w: np.array(g) }, state);
    outs.push(u);
    state = s;
    skips.push((s.skip_state as { num_not_finite: T }).num_not_finite);
  }
  assert.deepEqual(await values(outs), [
    [0, 0],
    [0, 0],
    [-2, -3],
  ]);
  assert.deepEqual(await values(skips), [0, 1, 0]);
  assert.equal(await state.gradient_step.item(), 1);
  assert.equal(await opt.has_updated(state).item(), true);
});

test("apply_if_finite(sgd(1), 1) drops one NaN step and keeps its state, then lets the second in a row through", async () => {
  const opt = optim.apply_if_finite(any(optim.sgd(1, { momentum: 0.5 })), 1);
  let state = opt.init({ w: np.zeros([2]) });
  const outs: number[][] = [];
  const counts: unknown[] = [];
  for (const g of [
    [1, 2],
    [NaN, 1],
    [NaN, 1],
    [1, 1],
  ]) {
    const [u, s] = opt.update({ w: np.array(g) }, state);
    outs.push((await values(u))[0] as number[]);
    counts.push(await s.notfinite_count.item(), await s.last_finite.item());
    state = s;
  }
  // Momentum 0.5: trace [1, 2]; the NaN step is dropped (zeros, trace kept); the second NaN step
  // in a row exceeds max_consecutive_errors = 1 and goes through, its NaN entering the trace.
  assert.deepEqual(outs.slice(0, 2), [
    [-1, -2],
    [0, 0],
  ]);
  assert.ok(Number.isNaN(outs[2]![0]) && outs[2]![1] === -(1 + 0.5 * 2));
  assert.deepEqual(counts, [0, true, 1, false, 2, false, 0, true]);
  assert.equal(await state.total_notfinite.item(), 2);
});

test("zero_nans zeroes NaN entries and records per leaf whether it had one", async () => {
  const opt = optim.zero_nans();
  const [u, s] = opt.update(
    { a: np.array([1, NaN, 3]), b: np.array([4, 5]) },
    opt.init({ a: np.zeros([3]), b: np.zeros([2]) }),
  );
  assert.deepEqual(await values(u), [
    [1, 0, 3],
    [4, 5],
  ]);
  assert.deepEqual(await values(s.found_nan), [true, false]);
});

test("masked with a prefix mask over nested params transforms only the head and keeps state only for its leaves", async () => {
  const params = { enc: { w: np.ones([2, 2]), b: np.ones([2]) }, head: { w: np.ones([2, 1]), b: np.ones([1]) } };
  const opt = optim.masked(optim.adam(0.1), { enc: false, head: true });
  const state = opt.init(params);
  assert.equal(tree.leaves(state.inner_state.mu).length, 2, "adam's first moment holds the head's two leaves");
  const grads = tree.map((p: T) => np.full(p.shape, 2), params);
  const [u] = opt.update(grads, state, params);
  const got = u as typeof params;
  // The encoder's gradients pass through; Adam's first step is −lr · sign(g).
  assertClose(
    await got.enc.w.toArray(),
    [
      [2, 2],
      [2, 2],
    ],
    "float32",
    0,
    0,
    "enc.w",
  );
  assertClose(await got.head.w.toArray(), [[-0.1], [-0.1]], "float32", 1e-6, 0, "head.w");
  assertClose(await got.head.b.toArray(), [-0.1], "float32", 1e-6, 0, "head.b");
});

test("bad input is an error naming it: a mask's missing key, a mask array, an unknown label, k = 0, a non-boolean skip, no threshold, no freeze mask", () => {
  const params = { w: np.ones([2]), b: np.ones([1]) };
  refuses(
    () => optim.masked(optim.sgd(0.1), { w: true }).init(params),
    /optim\.masked: the mask at params: the mask lacks keys the params have: b/,
  );
  refuses(
    () => optim.masked(optim.sgd(0.1), { w: np.array(true), b: false } as never).init(params),
    /optim\.masked: the mask at params\.w: the mask is an array; a mask must be static: JavaScript booleans/,
  );
  refuses(
    () => optim.partition({ adam: any(optim.adam(0.1)) }, { w: "adam", b: "sgd" }).init(params),
    /optim\.partition: some parameters have no transformation: label "sgd", transforms for "adam"/,
  );
  refuses(
    () => optim.MultiSteps(any(optim.sgd(0.1)), 0),
    /optim\.MultiSteps: every_k_schedule must be a whole number ≥ 1, got 0/,
  );
  const bad = optim.MultiSteps(any(optim.sgd(0.1)), 2, { should_skip_update_fn: () => [np.array(1), []] });
  refuses(
    () => bad.init(params),
    /should_skip_update_fn must return \[a boolean scalar, a state\], its first element is float32\[\]/,
  );
  const noThreshold = optim.MultiSteps(any(optim.sgd(0.1)), 2, {
    should_skip_update_fn: optim.skip_large_updates as unknown as optim.ShouldSkipUpdate,
  });
  refuses(
    () => noThreshold.init(params),
    /skip_large_updates: max_squared_norm \(its fourth argument\) must be a number/,
  );
  refuses(
    () => optim.selective_transform(any(optim.adam(0.1)), {} as never),
    /optim\.selective_transform: options\.freeze_mask: needs a mask/,
  );
});
