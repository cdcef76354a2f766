// checkpoint (remat): the same gradients as without it (CPU eager and jit, WebGPU under jit, vmap,
// lax.scan bodies, grad(grad)), the recomputation really in the compiled backward pass (not
// merged back by CSE), and the memory it saves, worked out from the layer sizes.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as np from "../../../runtime/src/np.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import { scan } from "../../../runtime/src/lax/control.js";
import { checkpoint } from "../../../runtime/src/trace/checkpoint.js";
import { checkpoint_policies } from "../../../runtime/src/trace/checkpointPolicies.js";
import { memoryLifetimes } from "../../../runtime/src/passes/memoryLifetimes.js";
import { JitScopeError } from "../../../runtime/src/ir/errors.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import type { Lowered } from "../../../runtime/src/trace/jitTypes.js";
import { assertClose, onBackend, webgpuOrSkip, type Nested } from "../ops/harness.js";

config({ backend: "cpu" });

type T = Tracer;
type P = { w1: T; w2: T };

/** A residual MLP block: x + tanh(x @ w1) @ w2, hidden width H. Its tanh output [B, H] is what
 *  the backward pass needs (for dw2 and tanh's derivative). */
function block(p: P, x: T): T {
  return np.add(x, np.matmul(np.tanh(np.matmul(x, p.w1)), p.w2));
}

function makeLoss(wrap: (f: typeof block) => typeof block) {
  const f = wrap(block);
  return function loss(ps: P[], x: T): T {
    let h = x;
    for (const p of ps) h = f(p, h);
    return np.sum(np.multiply(h, h));
  };
}
const plain = makeLoss((f) => f);
const remat = makeLoss((f) => checkpoint(f));

function params(L: number, D: number, H: number): { ps: P[]; x: (B: number) => T } {
  const w = (r: number, c: number, i: number, s: number) =>
    np.multiply(np.sin(np.add(np.multiply(np.reshape(np.arange(r * c), [r, c]), 0.37), i)), s);
  return {
    ps: Array.from({ length: L }, (_, i) => ({ w1: w(D, H, i, 0.3), w2: w(H, D, i + 7, 0.3) })),
    x: (B) => np.cos(np.reshape(np.arange(B * D), [B, D])),
  };
}

const values = async (tree: unknown): Promise<Nested> => {
  if (Array.isArray(tree)) return Promise.all(tree.map(values)) as Promise<Nested>;
  if (tree && typeof tree === "object" && !("aval" in tree))
    return Promise.all(Object.values(tree).map(values)) as Promise<Nested>;
  return (await (tree as T).toArray()) as Nested;
};

const livePeak = (lo: Lowered): number =>
  memoryLifetimes({
    program: lo.schedule.program,
    groups: lo.schedule.groups,
    constInputs: 0,
    inputLabels: [],
    kernelName: () => undefined,
  }).peakBytes;

test("jit(grad) of 6 residual blocks: checkpoint per block lowers the live peak by exactly 5 hidden activations [B, H]", async () => {
  const L = 6,
    B = 512,
    D = 64,
    H = 256;
  const { ps, x } = params(L, D, H);
  const xs = x(B);
  const without = await jit(grad(plain)).lower(ps, xs);
  const withRemat = await jit(grad(remat)).lower(ps, xs);
  // Without checkpoint the backward pass starts holding all L tanh outputs [B, H]; with it, only
  // the block being recomputed holds one. The layer inputs [B, D] are kept either way.
  const hidden = B * H * 4;
  assert.equal(livePeak(without) - livePeak(withRemat), (L - 1) * hidden);
  // The allocation (reused slots sized for their largest value) drops too, by at least L - 2 of them.
  assert.ok(
    without.peakBytes - withRemat.peakBytes >= (L - 2) * hidden,
    `allocation ${without.peakBytes} → ${withRemat.peakBytes}`,
  );
});

test("the compiled backward pass recomputes each block: tanh and matmul under transpose/remat(block), kept apart from the forward by optimization_barrier", async () => {
  const { ps, x } = params(3, 4, 8);
  const lo = await jit(grad(remat)).lower(ps, x(2));
  const count = (prim: string, inRemat: boolean) =>
    lo.schedule.program.eqns.filter((e) => e.prim === prim && e.nameStack.some((n) => n === "remat(block)") === inRemat)
      .length;
  // 3 forward tanh + 3 recomputed ones: CSE did not merge the recomputation into the forward values.
  assert.equal(count("tanh", false), 3);
  assert.equal(count("tanh", true), 3);
  assert.ok(count("matmul", true) >= 6, "the recomputed forward matmuls (and their backward) are in remat scope");
  const recomputed = lo.schedule.program.eqns.find((e) => e.prim === "tanh" && e.nameStack.includes("remat(block)"))!;
  assert.ok(recomputed.nameStack.includes("transpose"), "the recomputation is part of the backward pass");
  // Blocks 2 and 3 read their input (computed) through a barrier; block 1's input and the
  // weights are program inputs, whose barriers are dropped after CSE.
  assert.match(lo.text("trace"), /optimization_barrier/);
  assert.equal(lo.schedule.program.eqns.filter((e) => e.prim === "optimization_barrier").length, 2);
  const without = await jit(grad(plain)).lower(ps, x(2));
  assert.equal(without.schedule.program.eqns.filter((e) => e.prim === "tanh").length, 3);
});

test("checkpoint gives the gradients of the plain function: CPU eager, CPU jit, and WebGPU jit against CPU", async (t) => {
  const { ps, x } = params(6, 4, 8);
  const xs = x(3);
  const expected = await values(grad(plain)(ps, xs));
  assertClose(await values(grad(remat)(ps, xs)), expected, "float32", 1e-5, 1e-5);
  assertClose(await values(jit(grad(remat))(ps, xs)), expected, "float32", 1e-5, 1e-5);
  if (!(await webgpuOrSkip(t))) return;
  const gpu = await onBackend("webgpu", async () => {
    const { ps: gp, x: gx } = params(6, 4, 8);
    return values(jit(grad(remat))(gp, gx(3)));
  });
  assertClose(gpu, expected, "float32", 1e-4, 1e-4);
});

test("policies: the default recomputes x @ w1, dots_saveable keeps the matmuls (none recomputed), everything_saveable recomputes nothing; gradients unchanged", async () => {
  const { ps, x } = params(3, 4, 8);
  const xs = x(2);
  const expected = await values(grad(plain)(ps, xs));
  const inRemat = async (policy: (typeof checkpoint_policies)[keyof typeof checkpoint_policies], prim: string) => {
    const loss = makeLoss((f) => checkpoint(f, { policy }));
    assertClose(await values(jit(grad(loss))(ps, xs)), expected, "float32", 1e-5, 1e-5);
    assertClose(await values(grad(loss)(ps, xs)), expected, "float32", 1e-5, 1e-5);
    const lo = await jit(grad(loss)).lower(ps, xs);
    // Forward ops recomputed under remat(block) are those outside its nested transpose.
    return lo.schedule.program.eqns.filter((e) => {
      const i = e.nameStack.indexOf("remat(block)");
      return e.prim === prim && i >= 0 && !e.nameStack.slice(i + 1).includes("transpose");
    }).length;
  };
  // x @ w1 per block; t @ w2 is recomputed too, but its result is not needed (DCE drops it).
  assert.equal(await inRemat(checkpoint_policies.nothing_saveable, "matmul"), 3);
  assert.equal(await inRemat(checkpoint_policies.dots_saveable, "matmul"), 0);
  assert.equal(await inRemat(checkpoint_policies.dots_saveable, "tanh"), 3);
  assert.equal(await inRemat(checkpoint_policies.everything_saveable, "tanh"), 0);
});

test("vmap: per-example gradients through checkpoint equal those without, in both orders", async () => {
  const { ps, x } = params(2, 3, 5);
  const xs = np.reshape(x(8), [4, 2, 3]);
  const per = (loss: typeof plain) => vmap((xb: T) => grad(loss)(ps, xb));
  assertClose(await values(per(remat)(xs)), await values(per(plain)(xs)), "float32", 1e-5, 1e-5);
  const batched = (f: typeof block) => (q: P[], xb: T) => np.sum(vmap((r: T) => f(q[0]!, f(q[1]!, r)))(xb));
  assertClose(
    await values(jit(grad(batched(checkpoint(block))))(ps, xs)),
    await values(grad(batched(block))(ps, xs)),
    "float32",
    1e-5,
    1e-5,
  );
});

test("lax.scan(checkpoint(block)): jit(grad) over 5 iterations equals the plain scan's gradient", async () => {
  const { ps, x } = params(1, 4, 6);
  const p = ps[0]!;
  const loss = (f: typeof block) => (q: P, x0: T) => {
    const [h] = scan((c: T, _: null) => [f(q, c), null] as [T, null], x0, null, { length: 5 });
    return np.sum(np.multiply(h, h));
  };
  const expected = await values(grad(loss(block))(p, x(2)));
  assertClose(await values(jit(grad(loss(checkpoint(block))))(p, x(2))), expected, "float32", 1e-5, 1e-5);
  assertClose(await values(grad(loss(checkpoint(block)))(p, x(2))), expected, "float32", 1e-5, 1e-5);
});

test("grad(grad(checkpoint(f))) of f(x) = x·sin(x) is 2cos(x) - x·sin(x), eager and under jit", async () => {
  const f = checkpoint(function f(x: T): T {
    return np.multiply(x, np.sin(x));
  });
  const xs = [0.3, -1.2, 2.5];
  for (const v of xs) {
    const want = 2 * Math.cos(v) - v * Math.sin(v);
    const g2 = grad(grad(f));
    assertClose(await g2(np.array(v)).toArray(), want, "float32", 1e-5, 1e-5);
    assertClose(await jit(g2)(np.array(v)).toArray(), want, "float32", 1e-5, 1e-5);
  }
});

test("static_argnums passes a number through untouched; a bad policy and an array in static_argnums are JitScopeErrors", async () => {
  const scaled = checkpoint((s: number, x: T) => np.multiply(np.sin(x), s), { static_argnums: 0 });
  const g = await grad((x: T) => np.sum(scaled(3, x)))(np.array([0.5, 1])).toArray();
  assertClose(g, [3 * Math.cos(0.5), 3 * Math.cos(1)], "float32", 1e-5, 1e-6);
  assert.throws(
    () => checkpoint(block, { policy: "dots" as never }),
    (e: unknown) => e instanceof JitScopeError && /policy must be a function/.test(e.message),
  );
  assert.throws(
    () => checkpoint((s: number, x: T) => x, { static_argnums: 1 })(1, np.array([1])),
    (e: unknown) => e instanceof JitScopeError && /static_argnums but holds an array/.test(e.message),
  );
});

test("grad through checkpoint(f) whose two arguments are different functions of x: d/dx sin(2x)·(x + 1) = 2cos(2x)(x + 1) + sin(2x)", async () => {
  const f = checkpoint((a: Tracer, b: Tracer) => np.multiply(np.sin(a), b));
  const xs = [0.5, 0.2, -1.3];
  const g = grad((u: Tracer) => np.sum(f(np.multiply(u, 2), np.add(u, 1))))(np.array(xs)) as Tracer;
  assertClose(
    await g.toArray(),
    xs.map((x) => 2 * Math.cos(2 * x) * (x + 1) + Math.sin(2 * x)),
    "float32",
    1e-6,
    1e-6,
    "grad through checkpoint",
  );
});

/** The residual blocks with each layer's weights closed over, not passed: how a loop over layers
 *  is often written. */
function closedLoss(ps: P[], x: T): T {
  let h = x;
  for (const p of ps)
    h = checkpoint(function layer(v: T): T {
      return block(p, v);
    })(h);
  return np.sum(np.multiply(h, h));
}

test("grad through checkpoint of a function closing over the value differentiated: d/dw Σ (w·[1, 2])·w = 6w, eager and under jit; a number it returns stays a number", async () => {
  const f = (w: T) => np.sum(checkpoint((x: T) => np.multiply(x, w))(np.multiply(w, np.array([1, 2]))));
  assertClose(await grad(f)(np.array(2)).toArray(), 12, "float32", 1e-6, 1e-6);
  assertClose(await jit(grad(f))(np.array(-0.5)).toArray(), -3, "float32", 1e-6, 1e-6);
  const withNumber = (w: T) => {
    const [y, n] = checkpoint((x: T) => [np.sin(np.multiply(x, w)), 4] as const)(w);
    assert.equal(n, 4);
    return np.sum(y);
  };
  // d/dw sin(w²) = 2w·cos(w²)
  assertClose(await grad(withNumber)(np.array(0.7)).toArray(), 1.4 * Math.cos(0.49), "float32", 1e-5, 1e-6);
});

test("checkpoint of layers closing over their weights converts the closure as JAX does: the plain function's gradients (CPU eager and jit, WebGPU jit), each layer recomputed in the backward pass, the live peak 5 activations lower", async (t) => {
  const { ps, x } = params(6, 4, 8);
  const expected = await values(grad(plain)(ps, x(3)));
  assertClose(await values(grad(closedLoss)(ps, x(3))), expected, "float32", 1e-5, 1e-5);
  assertClose(await values(jit(grad(closedLoss))(ps, x(3))), expected, "float32", 1e-5, 1e-5);

  const lo = await jit(grad(closedLoss)).lower(ps, x(3));
  const tanhs = (inRemat: boolean) =>
    lo.schedule.program.eqns.filter((e) => e.prim === "tanh" && e.nameStack.includes("remat(layer)") === inRemat)
      .length;
  assert.deepEqual([tanhs(false), tanhs(true)], [6, 6], "6 forward tanh and 6 recomputed ones");

  const big = params(6, 64, 256);
  const xs = big.x(512);
  const without = await jit(grad(plain)).lower(big.ps, xs);
  const closed = await jit(grad(closedLoss)).lower(big.ps, xs);
  assert.equal(livePeak(without) - livePeak(closed), 5 * 512 * 256 * 4);

  if (!(await webgpuOrSkip(t))) return;
  const gpu = await onBackend("webgpu", async () => {
    const { ps: gp, x: gx } = params(6, 4, 8);
    return values(jit(grad(closedLoss))(gp, gx(3)));
  });
  assertClose(gpu, expected, "float32", 1e-4, 1e-4);
});

test("policies apply to a closure-converted checkpoint: a layer closing over its weights recomputes x @ w1 by default and no matmul with dots_saveable, with the plain gradients", async () => {
  const { ps, x } = params(3, 4, 8);
  const expected = await values(grad(plain)(ps, x(2)));
  const recomputed = async (policy: (typeof checkpoint_policies)[keyof typeof checkpoint_policies], prim: string) => {
    const loss = (qs: P[], v: T): T => {
      let h = v;
      for (const p of qs)
        h = checkpoint(
          function layer(u: T): T {
            return block(p, u);
          },
          { policy },
        )(h);
      return np.sum(np.multiply(h, h));
    };
    assertClose(await values(jit(grad(loss))(ps, x(2))), expected, "float32", 1e-5, 1e-5);
    const lo = await jit(grad(loss)).lower(ps, x(2));
    return lo.schedule.program.eqns.filter((e) => {
      const i = e.nameStack.indexOf("remat(layer)");
      return e.prim === prim && i >= 0 && !e.nameStack.slice(i + 1).includes("transpose");
    }).length;
  };
  assert.equal(await recomputed(checkpoint_policies.nothing_saveable, "matmul"), 3);
  assert.equal(await recomputed(checkpoint_policies.dots_saveable, "matmul"), 0);
  assert.equal(await recomputed(checkpoint_policies.dots_saveable, "tanh"), 3);
});
