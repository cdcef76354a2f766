// jit's donate_argnums (trace/jitDonation.ts): a compiled call disposes the arrays of the donated
// arguments once it is encoded; its results are those of the same step without donation; using a
// donated array is an error naming the donation; and on WebGPU a donating training loop's buffers
// alternate between two sets, so its calls stop making bind groups and its live buffers stay flat.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, jit, grad, config, optim, ConcreteArray, JitScopeError } from "../../../runtime/src/index.js";
import { webgpuBackendOrSkip } from "../ops/harness.js";
import { FeedBack } from "../../../runtime/src/trace/jitDonation.js";
import type { ArgSignature } from "../../../runtime/src/trace/jitSignature.js";

type Arr = ReturnType<typeof np.ones>;
const gone = (a: Arr) => (a as ConcreteArray).isDisposed;
type Params = { w1: Arr; b1: Arr; w2: Arr; b2: Arr };

const det = (n: number, seed: number, scale: number) =>
  Float32Array.from({ length: n }, (_, i) => (Math.sin(i * 12.9898 + seed * 78.233) % 1) * scale);
const initParams = (): Params => ({
  w1: np.reshape(np.array(det(8 * 16, 1, 0.5)), [8, 16]),
  b1: np.zeros([16]),
  w2: np.reshape(np.array(det(16 * 4, 2, 0.5)), [16, 4]),
  b2: np.zeros([4]),
});
const x = () => np.reshape(np.array(det(32 * 8, 3, 1)), [32, 8]);
const y = () => np.reshape(np.array(det(32 * 4, 4, 1)), [32, 4]);

function loss(p: Params, xs: Arr, ys: Arr): Arr {
  const h = np.tanh(np.add(np.matmul(xs, p.w1), p.b1));
  const out = np.add(np.matmul(h, p.w2), p.b2);
  return np.mean(np.square(np.subtract(out, ys)));
}
const opt = optim.adam(1e-2);
function trainStep(p: Params, state: unknown, xs: Arr, ys: Arr) {
  const g = grad(loss)(p, xs, ys) as Params;
  const [updates, next] = opt.update(g, state as never, p);
  return [optim.apply_updates(p, updates) as Params, next] as const;
}

/** `steps` Adam steps from the same start; the final parameters as host arrays, and whether every
 *  donated argument was disposed after its call while the data arguments stayed readable. */
async function train(steps: number, donate: boolean) {
  const step = jit(trainStep, donate ? { donate_argnums: [0, 1] } : {});
  let params = initParams();
  let state: unknown = opt.init(params);
  const [xs, ys] = [x(), y()];
  let donatedGone = true;
  for (let i = 0; i < steps; i++) {
    const before = [...leavesOf(params), ...leavesOf(state)];
    [params, state] = step(params, state, xs, ys);
    if (donate) donatedGone &&= before.every((a) => gone(a));
    else donatedGone &&= before.every((a) => !gone(a));
  }
  assert.ok(!gone(xs) && !gone(ys), "arguments not donated stay readable");
  const finals = await Promise.all(Object.values(params).map((a) => a.data()));
  return { finals, donatedGone };
}

function leavesOf(tree: unknown): ConcreteArray[] {
  if (tree instanceof ConcreteArray) return [tree];
  if (Array.isArray(tree)) return tree.flatMap(leavesOf);
  if (tree && typeof tree === "object") return Object.values(tree).flatMap(leavesOf);
  return [];
}

for (const backend of ["cpu", "webgpu"] as const) {
  test(`on ${backend}, a jitted Adam step with donate_argnums [0, 1] disposes its parameters and optimizer state after each call and ends at exactly the parameters of the same step without donation`, async (t) => {
    if (backend === "webgpu" && !(await webgpuBackendOrSkip(t))) return;
    const prev = config({ backend });
    try {
      const plain = await train(6, false);
      const donated = await train(6, true);
      assert.ok(plain.donatedGone, "without donation the arguments stay alive");
      assert.ok(donated.donatedGone, "with donation every parameter and state array is disposed after its call");
      donated.finals.forEach((f, i) => assert.deepEqual(f, plain.finals[i], `parameter ${i}`));
      const w1 = await initParams().w1.data();
      assert.ok(
        donated.finals[0]!.some((v, j) => Math.abs(v - w1[j]!) > 1e-3),
        "six steps moved w1 (the comparison is not of untouched parameters)",
      );
    } finally {
      config(prev);
    }
  });
}

test("using a donated array is an error that names the donating jit function and donate_argnums, and the call's results stay readable", async () => {
  const step = jit(
    function scaleStep(p: Arr, k: Arr) {
      return np.multiply(p, k);
    },
    { donate_argnums: 0 },
  );
  const p = np.array([1, 2, 3]);
  const k = np.array([2, 2, 2]);
  const next = step(p, k) as Arr;
  assert.ok(gone(p) && !gone(k));
  await assert.rejects(p.data(), (e: unknown) => {
    assert.ok(e instanceof JitScopeError);
    assert.match(e.message, /data\(\) on f32\[3\]: the array was donated to jit\(scaleStep\) \(donate_argnums\)/);
    return true;
  });
  assert.throws(() => np.add(p, 1), /donated to jit\(scaleStep\)/);
  assert.throws(() => step(p, k), /donated to jit\(scaleStep\)/);
  assert.deepEqual(Array.from(await next.data()), [2, 4, 6]);
  assert.deepEqual(Array.from(await k.data()), [2, 2, 2]);
});

test("donate_argnums refuses positions that are not integers ≥ 0, that are static, or beyond the call's arguments; a refused call disposes nothing", () => {
  const f = (a: Arr, b: Arr) => np.add(a, b);
  assert.throws(
    () => jit(f, { donate_argnums: [-1] }),
    /donate_argnums must be argument positions \(integers ≥ 0\), got -1/,
  );
  assert.throws(() => jit(f, { donate_argnums: [0.5] }), /got 0\.5/);
  assert.throws(() => jit(f, { donate_argnums: 1, static_argnums: 1 }), /argument 1 is both static and donated/);
  const g = jit(f, { donate_argnums: [0, 2] });
  const [a, b] = [np.array([1]), np.array([2])];
  assert.throws(() => g(a, b), /jit\(f\): donate_argnums 2 is out of range for a call with 2 arguments/);
  assert.ok(!gone(a) && !gone(b), "the refused call disposed nothing");
});

test("a donating jit leaves its arguments valid where it runs uncompiled: inside grad, inside an outer jit, and with jit disabled", async () => {
  const inner = jit((p: Arr) => np.sum(np.square(p)), { donate_argnums: 0 });
  const p = np.array([1, 2, 3]);
  const dp = grad(inner)(p) as Arr;
  const outer = jit((q: Arr) => np.multiply(inner(q), 2));
  const twice = outer(p) as Arr;
  const prev = config({ disableJit: true });
  let eager: Arr;
  try {
    eager = inner(p) as Arr;
  } finally {
    config(prev);
  }
  assert.ok(!gone(p), "p is still readable");
  assert.deepEqual(Array.from(await dp.data()), [2, 4, 6]);
  assert.deepEqual(Array.from(await twice.data()), [28]);
  assert.deepEqual(Array.from(await eager.data()), [14]);
  assert.deepEqual(Array.from(await p.data()), [1, 2, 3]);
});

test("donating an array whose buffer a reshaped view shares leaves the view readable", async () => {
  const step = jit((p: Arr) => np.add(p, 1), { donate_argnums: 0 });
  const p = np.array([1, 2, 3, 4]);
  const view = np.reshape(p, [2, 2]);
  const next = step(p) as Arr;
  assert.ok(gone(p));
  assert.deepEqual(Array.from(await view.data()), [1, 2, 3, 4]);
  assert.deepEqual(Array.from(await next.data()), [2, 3, 4, 5]);
});

test("on WebGPU, a donating Adam loop makes no bind group after its third call and keeps its live buffers flat; without donation, with old parameters alive, every call makes bind groups", async (t) => {
  const backend = await webgpuBackendOrSkip(t);
  if (!backend) return;
  const prev = config({ backend: "webgpu" });
  const device = backend.device as GPUDevice & { createBindGroup: GPUDevice["createBindGroup"] };
  const original = device.createBindGroup.bind(device);
  let made = 0;
  device.createBindGroup = (d: GPUBindGroupDescriptor) => {
    made++;
    return original(d);
  };
  try {
    const run = (donate: boolean) => {
      const step = jit(trainStep, donate ? { donate_argnums: [0, 1] } : {});
      let params = initParams();
      let state: unknown = opt.init(params);
      const [xs, ys] = [x(), y()];
      const kept: unknown[] = [];
      const groups: number[] = [];
      const live: number[] = [];
      for (let i = 0; i < 8; i++) {
        made = 0;
        [params, state] = step(params, state, xs, ys);
        groups.push(made);
        live.push(backend.stats().liveBytes);
        if (!donate) kept.push(params, state);
      }
      return { groups, live, params };
    };
    const donated = run(true);
    assert.deepEqual(donated.groups.slice(3), [0, 0, 0, 0, 0], `bind groups made per call: ${donated.groups}`);
    assert.ok(donated.groups[0]! > 0, "the first call makes its groups");
    assert.equal(new Set(donated.live.slice(2)).size, 1, `live bytes after each call: ${donated.live}`);
    const plain = run(false);
    assert.ok(
      plain.groups.slice(3).every((n) => n > 0),
      `bind groups made per call without donation: ${plain.groups}`,
    );
    const [a, b] = [await donated.params.w2.data(), await plain.params.w2.data()];
    assert.deepEqual(a, b);
  } finally {
    device.createBindGroup = original;
    config(prev);
  }
});

test("FeedBack names the arguments all of whose arrays the previous call returned, leaving out donated ones", () => {
  const sig = (...counts: number[]) => counts.map((leafCount) => ({ leafCount }) as ArgSignature);
  const [p1, p2, s1, x] = [np.ones([2]), np.ones([2]), np.ones([1]), np.ones([3])];
  const [q1, q2, t1] = [np.ones([2]), np.ones([2]), np.ones([1])];
  const args = sig(2, 1, 1); // params (two arrays), state, a batch
  const plain = new FeedBack([]);
  assert.deepEqual(plain.next(args, [p1, p2, s1, x], [q1, q2, t1]), [], "the first call has no predecessor");
  assert.deepEqual(plain.next(args, [q1, q2, t1, x], [p1, p2, s1]), [0, 1]);
  assert.deepEqual(plain.next(args, [p1, q2, s1, x], [q1, q2, t1]), [1], "params only half fed back");
  const donating = new FeedBack([0]);
  donating.next(args, [p1, p2, s1, x], [q1, q2, t1]);
  assert.deepEqual(donating.next(args, [q1, q2, t1, x], [p1, p2, s1]), [1]);
});
