// optax.lion and optax.piecewise_constant_schedule against optax (scripts/jax/run_optax_lion.py
// wrote test/fixtures/jax/optax_lion.json): the schedule's values at steps 0-12 (JS numbers and
// traced int32 counts), and the parameters and loss after each of 6 Lion steps on a linear
// regression (default weight decay; other b1, b2 without decay; a piecewise-constant learning
// rate), on the CPU and WebGPU, eagerly and as a jitted step.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as np from "../../../runtime/src/np.js";
import * as optim from "../../../runtime/src/optim.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import { JitScopeError } from "../../../runtime/src/ir/errors.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, webgpuOrSkip } from "../ops/harness.js";

interface Step {
  w: number[];
  b: number[];
  loss: number;
}
const fixture = JSON.parse(readFileSync(new URL("../../fixtures/jax/optax_lion.json", import.meta.url), "utf8")) as {
  cases: { schedule: number[]; lion_default: Step[]; lion_no_decay: Step[]; lion_piecewise: Step[] };
};

const flat = (n: number, a: number, b: number, m: number, s: number, d: number) =>
  Array.from({ length: n }, (_, i) => (((i * a + b) % m) - s) / d);
type P = { w: Tracer; b: Tracer };

const optimizers: Record<
  "lion_default" | "lion_no_decay" | "lion_piecewise",
  () => optim.GradientTransformation<unknown>
> = {
  lion_default: () => optim.lion(0.01),
  lion_no_decay: () => optim.lion(0.02, { b1: 0.8, b2: 0.95, weight_decay: 0 }),
  lion_piecewise: () => optim.lion(optim.piecewise_constant_schedule(0.05, { 2: 0.5, 4: 0.2 }), { weight_decay: 0.01 }),
};

async function train(name: keyof typeof optimizers, backend: "cpu" | "webgpu", jitted: boolean): Promise<Step[]> {
  const out: Step[] = [];
  const { x, y, p0, loss, step } = onBackend(backend, () => {
    const x = np.reshape(np.array(flat(32, 3, 1, 7, 3, 4)), [8, 4]);
    const y = np.reshape(np.array(flat(24, 5, 2, 9, 4, 8)), [8, 3]);
    const p0: P = { w: np.reshape(np.array(flat(12, 7, 3, 5, 2, 10)), [4, 3]), b: np.zeros([3]) };
    const loss = (p: P, xb: Tracer, yb: Tracer) => np.mean(np.square(np.subtract(np.add(np.matmul(xb, p.w), p.b), yb)));
    const opt = optimizers[name]();
    const raw = (p: P, s: unknown, xb: Tracer, yb: Tracer) => {
      const [u, s2] = opt.update(grad(loss)(p, xb, yb) as P, s, p);
      return [optim.apply_updates(p, u), s2] as [P, unknown];
    };
    return { x, y, p0: [p0, opt.init(p0)] as [P, unknown], loss, step: jitted ? jit(raw) : raw };
  });
  let [p, s] = p0;
  for (let i = 0; i < 6; i++) {
    [p, s] = onBackend(backend, () => step(p, s, x, y));
    const l = onBackend(backend, () => loss(p, x, y));
    out.push({ w: Array.from(await p.w.data()), b: Array.from(await p.b.data()), loss: (await l.item()) as number });
  }
  return out;
}

for (const name of Object.keys(optimizers) as (keyof typeof optimizers)[]) {
  test(`${name}: parameters and loss after each of 6 steps equal optax's, on the CPU and WebGPU, eager and jitted`, async (t) => {
    const backends: ("cpu" | "webgpu")[] = (await webgpuOrSkip(t)) ? ["cpu", "webgpu"] : ["cpu"];
    for (const backend of backends)
      for (const jitted of [false, true]) {
        const got = await train(name, backend, jitted);
        fixture.cases[name].forEach((want, i) => {
          const where = `${name} step ${i + 1} [${backend}${jitted ? ", jit" : ""}]`;
          // A sign step moves each weight by exactly the learning rate: float32 rounding only.
          assertClose(got[i]!.w, want.w, "float32", 1e-5, 1e-6, `${where} w`);
          assertClose(got[i]!.b, want.b, "float32", 1e-5, 1e-6, `${where} b`);
          assertClose([got[i]!.loss], [want.loss], "float32", 1e-5, 1e-7, `${where} loss`);
        });
      }
  });
}

test("piecewise_constant_schedule equals optax's at steps 0-12, for JS numbers and traced int32 counts", async () => {
  const sched = optim.piecewise_constant_schedule(0.05, { 3: 0.5, 7: 0.1, 10: 2 });
  const fromNumbers = await Promise.all(
    fixture.cases.schedule.map(async (_, t) => {
      const v = onBackend("cpu", () => sched(t));
      return typeof v === "number" ? v : ((await v.item()) as number);
    }),
  );
  assertClose(fromNumbers, fixture.cases.schedule, "float32", 1e-6, 0, "numbers");
  const traced = onBackend("cpu", () => jit((c: Tracer) => sched(c) as Tracer)(np.arange(13)));
  assertClose(Array.from(await traced.data()), fixture.cases.schedule, "float32", 1e-6, 0, "traced counts");
});

test("lion and piecewise_constant_schedule refuse bad input, naming it: a negative scale, a fractional boundary, an unknown option", () => {
  const refuses = (f: () => unknown, message: RegExp) =>
    assert.throws(f, (e: unknown) => e instanceof JitScopeError && message.test(e.message));
  refuses(
    () => optim.piecewise_constant_schedule(0.1, { 5: -1 }),
    /each boundary must be an integer step and each scale a non-negative number, got 5: -1/,
  );
  refuses(() => optim.piecewise_constant_schedule(0.1, { 2.5: 0.1 }), /got 2\.5: 0\.1/);
  refuses(
    () => optim.lion(1e-3, { weightDecay: 0.1 } as never),
    /optim\.lion: unknown option "weightDecay": did you mean "weight_decay"/,
  );
  refuses(() => optim.lion(-1), /optim\.lion: learning_rate must be a positive number or a schedule/);
});
