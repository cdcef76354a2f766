// The training runs the optax fixtures replay (scripts/jax/run_optax.py's small MLP): each
// optimizer stepped from the fixture's parameters on its data, eagerly or as a jitted step, and
// its losses and final parameters compared with optax's.
import * as np from "../../../runtime/src/np.js";
import * as optim from "../../../runtime/src/optim.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { valueAndGrad } from "../../../runtime/src/trace/grad.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import assert from "node:assert/strict";
import { assertClose, onBackend, type Nested } from "../ops/harness.js";

type T = Tracer;
export type Params = { w1: T; b1: T; w2: T; b2: T };
export interface OptaxInputs {
  x: Nested;
  y: Nested;
  params: Record<keyof Params, Nested>;
}
export interface OptaxRun {
  losses: number[];
  params: Record<keyof Params, Nested>;
  /** MultiSteps runs: has_updated(state) after each step. */
  has_updated?: boolean[];
}

/** run_optax.py's loss: the mean squared error of a tanh MLP. */
export const mlpLoss = (p: Params, x: T, y: T) => {
  const h = np.tanh(np.add(np.matmul(x, p.w1), p.b1));
  return np.mean(np.square(np.subtract(np.add(np.matmul(h, p.w2), p.b2), y)));
};

/** Runs every optimizer of `opts` for as many steps as optax's run of it, step i on the batch
 *  x · batchScale(i), and asserts its losses and final parameters are optax's (rtol 1e-4), and
 *  where the run records them, MultiSteps' has_updated after each step. */
export async function checkOptaxRuns(
  backend: "cpu" | "webgpu",
  useJit: boolean,
  inputs: OptaxInputs,
  opts: Record<string, () => optim.GradientTransformation<unknown>>,
  runs: Record<string, OptaxRun>,
  batchScale: (step: number) => number = () => 1,
): Promise<void> {
  const results = onBackend(backend, () =>
    Object.entries(opts).map(([id, make]) => {
      const opt = make();
      const x = np.array(inputs.x as number[][]);
      const y = np.array(inputs.y as number[][]);
      let params = Object.fromEntries(
        Object.entries(inputs.params).map(([k, v]) => [k, np.array(v as number[])]),
      ) as unknown as Params;
      let state = opt.init(params);
      const step = (p: Params, s: unknown, xx: T, yy: T): [Params, unknown, T] => {
        const [l, g] = valueAndGrad(mlpLoss)(p, xx, yy);
        const [updates, next] = opt.update(g, s, p);
        return [optim.apply_updates(p, updates), next, l];
      };
      const run = useJit ? jit(step) : step;
      const losses: T[] = [];
      const updated: T[] = [];
      const hasUpdated = (opt as Partial<optim.MultiStepsTransformation>).has_updated;
      for (let i = 0; i < runs[id]!.losses.length; i++) {
        const [p, s, l] = run(params, state, batchScale(i) === 1 ? x : np.multiply(x, batchScale(i)), y);
        [params, state] = [p, s];
        losses.push(l);
        if (hasUpdated) updated.push(hasUpdated(state as optim.MultiStepsState));
      }
      return [id, losses, params, updated] as const;
    }),
  );
  for (const [id, losses, params, updated] of results) {
    const want = runs[id]!;
    assert.deepEqual(
      await Promise.all(updated.map(async (u) => Boolean(await u.item()))),
      want.has_updated ?? [],
      `${id} has_updated after each step`,
    );
    assertClose(await Promise.all(losses.map((l) => l.toArray())), want.losses, "float32", 1e-4, 1e-6, `${id} losses`);
    for (const k of ["w1", "b1", "w2", "b2"] as const)
      assertClose(await params[k].toArray(), want.params[k], "float32", 1e-4, 1e-5, `${id} ${k}`);
  }
}
