// Scopes that are not the user's functions: named_scope (jax.named_scope) and the library's
// composites (an optimizer's update, apply_updates, attention, a loss, a sampler), each one group
// in the traced program's name stacks, numbered per call as a helper function is.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, nn, optim, random, config, grad, named_scope, JitScopeError } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { ScopeTracker } from "../../../runtime/src/trace/scopes.js";

config({ backend: "cpu" });

const stacksOf = (eqns: readonly { prim: string; nameStack: readonly string[] }[]) =>
  eqns.map((e) => `${e.prim}: ${e.nameStack.join("/")}`);

test("the tracker starts a new instance for a named scope's next call at the same site", () => {
  const t = new ScopeTracker();
  const step = { name: "step", file: "/u.ts", line: 10, column: 3 };
  const scope = (call: number) => ({ name: "block", file: "/u.ts", line: 10, column: 3, call });
  assert.deepEqual(t.label([step, scope(1)]), ["step", "block"]);
  assert.deepEqual(t.label([step, scope(1)]), ["step", "block"]);
  assert.deepEqual(t.label([step, scope(2)]), ["step", "block#2"]);
  assert.deepEqual(t.label([step]), ["step"]);
});

test("named_scope groups its ops under jit, nests, and numbers two calls from one line", async () => {
  function model(x: Tracer, w: Tracer): Tracer {
    let h = x;
    for (let i = 0; i < 2; i++)
      h = named_scope("layer", () => {
        const pre = named_scope("linear", () => dense(h, w));
        return np.tanh(pre);
      });
    return named_scope("head", () => np.sum(h));
  }
  function dense(h: Tracer, w: Tracer): Tracer {
    return np.matmul(h, w);
  }
  const lowered = await jit(model).lower(np.ones([2, 4]), np.ones([4, 4]));
  const stacks = stacksOf(lowered.program.eqns);
  assert.deepEqual(
    stacks.filter((s) => /^(matmul|tanh|reduce_sum)/.test(s)),
    [
      "matmul: model/layer/#1/linear/dense",
      "tanh: model/layer/#1",
      "matmul: model/layer/#2/linear/dense",
      "tanh: model/layer/#2",
      "reduce_sum: model/head",
    ],
  );
  // Each call's site is the line that called named_scope; dense's is the arrow's call of it
  // (column 49), not the enclosing named scope's call (column 21).
  const site = (path: string) => lowered.scopeSites[path];
  assert.deepEqual(
    ["model/layer/#1", "model/layer/#2", "model/layer/#1/linear", "model/head"].map((p) => site(p)?.line),
    [30, 30, 31, 34],
  );
  assert.deepEqual([site("model/layer/#1/linear/dense")?.line, site("model/layer/#1/linear/dense")?.column], [31, 49]);
});

test("named_scope eagerly only calls its function, and refuses a bad name or a non-function", async () => {
  assert.equal(
    named_scope("eager", () => 41 + 1),
    42,
  );
  const y = named_scope("eager", () => np.add(np.ones([2]), 1));
  assert.deepEqual(Array.from(await y.data()), [2, 2]);
  assert.throws(() => named_scope("", () => 0), /named_scope: the name must be a non-empty string/);
  assert.throws(() => named_scope("a/b", () => 0), /may not contain "\/" or "#"; nest named_scope calls instead/);
  assert.throws(() => named_scope("x", 3 as unknown as () => number), JitScopeError);
});

test("an optimizer's update and apply_updates are one scope each; a chain is named by its parts", async () => {
  const opt = optim.chain(optim.clip_by_global_norm(1), optim.adamw(1e-2));
  const params = { w: np.ones([4, 3]), b: np.zeros([3]) };
  const loss = (p: typeof params, x: Tracer) => np.mean(np.square(np.add(np.matmul(x, p.w), p.b)));
  function trainStep(p: typeof params, state: ReturnType<typeof opt.init>, x: Tracer) {
    const g = grad(loss)(p, x);
    const [updates, next] = opt.update(g, state, p);
    return [optim.apply_updates(p, updates), next] as const;
  }
  const lowered = await jit(trainStep).lower(params, opt.init(params), np.ones([5, 4]));
  const scopes = new Set(lowered.program.eqns.map((e) => e.nameStack.join("/")));
  assert.ok(scopes.has("trainStep/optim.chain(clip_by_global_norm, adamw).update"), [...scopes].join(", "));
  assert.ok(scopes.has("trainStep/optim.apply_updates"), [...scopes].join(", "));
  // Nothing of the update is left at the step's top level: adamw's sqrt and the norm's sqrt are in it.
  const sqrts = lowered.program.eqns.filter((e) => e.prim === "sqrt").map((e) => e.nameStack.join("/"));
  assert.deepEqual(new Set(sqrts), new Set(["trainStep/optim.chain(clip_by_global_norm, adamw).update"]));
  // The inner transformations open no scopes of their own inside the chain's.
  assert.ok(![...scopes].some((s) => s.includes("adamw.update")), [...scopes].join(", "));
});

test("attention, a loss and a sampler each make one scope, inside the user's function", async () => {
  function forward(q: Tracer, k: Tracer, labels: Tracer, key: Tracer): Tracer {
    const att = nn.dot_product_attention(q, k, k, { is_causal: true });
    const noisy = np.add(att, np.multiply(random.normal(key, att.shape), 0.01));
    return np.mean(optim.softmax_cross_entropy_with_integer_labels(noisy.reshape(-1, 8), labels));
  }
  const lowered = await jit(forward).lower(
    np.ones([1, 6, 2, 8]),
    np.ones([1, 6, 2, 8]),
    np.zeros([12], { dtype: "int32" }),
    random.key(0),
  );
  const byScope = new Map<string, string[]>();
  for (const e of lowered.program.eqns) {
    const s = e.nameStack.join("/");
    byScope.set(s, [...(byScope.get(s) ?? []), e.prim]);
  }
  assert.ok(byScope.get("forward/nn.dot_product_attention")?.includes("exp"), [...byScope.keys()].join(", "));
  assert.ok(byScope.get("forward/random.normal")?.includes("cos"), [...byScope.keys()].join(", "));
  assert.ok(
    byScope.get("forward/optim.softmax_cross_entropy_with_integer_labels")?.includes("reduce_max"),
    [...byScope.keys()].join(", "),
  );
  // The user's own mean stays in forward.
  assert.ok(byScope.get("forward")?.includes("reduce_sum"), JSON.stringify(byScope.get("forward")));
});

test("under grad, a library scope's backward ops sit in it under transpose", async () => {
  function lossOf(q: Tracer): Tracer {
    return np.sum(nn.dot_product_attention(q, q, q));
  }
  const step = jit(function step(q: Tracer) {
    return grad(lossOf)(q);
  });
  const lowered = await step.lower(np.ones([4, 2, 8]));
  const scopes = new Set(lowered.program.eqns.map((e) => e.nameStack.join("/")));
  assert.ok(scopes.has("step/grad(lossOf)/nn.dot_product_attention"), [...scopes].join(", "));
  assert.ok(scopes.has("step/grad(lossOf)/transpose/nn.dot_product_attention"), [...scopes].join(", "));
});

test("an anonymous custom rule (nn.relu's custom_jvp) adds no scope: relu's ops stay in the user's function", async () => {
  function act(x: Tracer): Tracer {
    return nn.relu(x);
  }
  function lossOf(x: Tracer): Tracer {
    return np.sum(np.square(act(x)));
  }
  const step = jit(function step(x: Tracer) {
    return grad(lossOf)(x);
  });
  const lowered = await step.lower(np.ones([4]));
  const stacks = lowered.program.eqns.map((e) => e.nameStack.join("/"));
  assert.ok(!stacks.some((s) => s.includes("(fn)")), stacks.join(", "));
  const max = lowered.program.eqns.find((e) => e.prim === "max")!;
  assert.equal(max.nameStack.join("/"), "step/grad(lossOf)/act");
  // relu's derivative mask multiplies the cotangent in act's scope, under transpose.
  assert.ok(stacks.includes("step/grad(lossOf)/transpose/act"), stacks.join(", "));
});
