// The jit API: same results as eager, pytrees in and out, the cache and its retrace reasons,
// static arguments, captured constants, disableJit, nesting, and errors that name the user's line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, config } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import { JitScopeError } from "../../../runtime/src/ir/errors.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { geluChain } from "./fixtures.js";

config({ backend: "cpu" });
const here = new URL(import.meta.url).pathname;
const read = (x: unknown): Promise<unknown> => (x as Tracer).toArray();

test("jit(f)(x) returns the same values as f(x), for nested arguments and results", async () => {
  const f = (p: { w: Tracer; b: Tracer }, xs: Tracer[]) => ({
    y: np.add(np.matmul(xs[0]!, p.w), p.b),
    n: [np.sum(xs[1]!)],
  });
  const p = {
    w: np.array([
      [1, 2],
      [3, 4],
    ]),
    b: np.array([10, 20]),
  };
  const xs = [np.array([[1, 1]]), np.array([1, 2, 3])];
  const out = jit(f)(p, xs) as { y: Tracer; n: Tracer[] };
  assert.deepEqual(await read(out.y), [[14, 26]]);
  assert.deepEqual(await read(out.n[0]), 6);
  const x = np.array([-1, 0, 0.5, 2]);
  const jg = await read(jit(geluChain)(x));
  const eg = await read(geluChain(x));
  assert.deepEqual(jg, eg);
});

test("a cached call does not retrace; a new shape retraces and says why", async () => {
  let traces = 0;
  const f = jit((x: Tracer) => (traces++, np.multiply(x, 2)));
  f(np.ones([128, 784]));
  f(np.ones([128, 784]));
  assert.equal(traces, 1);
  assert.equal(f.cacheSize, 1);
  const lo = await f.lower(np.ones([64, 784]));
  assert.equal(traces, 2);
  assert.equal(lo.reason, "argument 0: shape [128,784] → [64,784]");
  assert.equal((await f.lower(np.ones([128, 784]))).reason, "first call");
  const lo3 = await f.lower(np.ones([64, 784], { dtype: "int32" }));
  assert.equal(lo3.reason, "argument 0: dtype float32 → int32");
  assert.equal(f.cacheSize, 3);
});

test("retrace reasons name the leaf of a pytree, static arguments and numbers", async () => {
  const f = jit(
    (p: { w: Tracer; b: Tracer }, k: number, s: string) => np.multiply(np.add(p.w, np.sum(p.b)), k * s.length),
    { staticArgnums: [2] },
  );
  const a = await f.lower({ w: np.ones([2]), b: np.ones([2]) }, 3, "ab");
  assert.equal(a.reason, "first call");
  assert.equal((await f.lower({ w: np.ones([2]), b: np.ones([3]) }, 3, "ab")).reason, "argument 0.b: shape [2] → [3]");
  assert.equal((await f.lower({ w: np.ones([2]), b: np.ones([3]) }, 4, "ab")).reason, "argument 1: value 3 → 4");
  assert.equal((await f.lower({ w: np.ones([2]), b: np.ones([3]) }, 4, "abc")).reason, "argument 2 (static): ab → abc");
  const g = jit((p: Tracer[]) => p[0]!);
  await g.lower([np.ones([2])]);
  assert.equal(
    (await g.lower([np.ones([2]), np.ones([2])])).reason,
    "structure of argument 0: expected a list of 1, got a list of 2",
  );
  // Values: the number argument is baked in as a constant.
  assert.deepEqual(await read(f({ w: np.array([1, 2]), b: np.array([1, 1]) }, 2, "xyz")), [18, 24]);
});

test("closed-over arrays become captured constants, drawn as const nodes", async () => {
  const c = np.array([1, 2, 3]);
  const f = jit((x: Tracer) => np.add(x, c));
  assert.deepEqual(await read(f(np.array([10, 20, 30]))), [11, 22, 33]);
  const lo = await f.lower(np.array([0, 0, 0]));
  assert.equal(lo.program.inputs.length, 2);
  assert.deepEqual(
    lo.passes[0]!.graph.nodes.filter((n) => n.kind !== "op").map((n) => n.kind),
    ["input", "const", "output"],
  );
});

test("config({ disableJit: true }) runs f eagerly every call, with the same results", async () => {
  let traces = 0;
  const f = jit((x: Tracer) => (traces++, np.exp(x)));
  const prev = config({ disableJit: true });
  try {
    const y = f(np.array([0, 1]));
    f(np.array([0, 1]));
    assert.equal(traces, 2);
    assert.equal(f.cacheSize, 0);
    assert.deepEqual(await read(y), [1, Math.fround(Math.E)]);
  } finally {
    config(prev);
  }
  f(np.array([0, 1]));
  assert.equal(f.cacheSize, 1);
});

test("a jit inside a jit is inlined; grad of a jitted function differentiates through it", async () => {
  const inner = jit(function inner(x: Tracer) {
    return np.multiply(x, x);
  });
  const outer = jit(function outer(x: Tracer) {
    return np.add(inner(x), 1);
  });
  const lo = await outer.lower(np.ones([4]));
  assert.equal(lo.kernels.length, 1);
  assert.equal(inner.cacheSize, 0, "the inner function was traced into the outer program");
  assert.deepEqual(
    lo.passes[0]!.graph.nodes.filter((n) => n.kind === "op").map((n) => n.nameStack),
    [["outer", "inner"], ["outer"]],
  );
  const dsq = grad((x: Tracer) => np.sum(inner(x)));
  assert.deepEqual(await read(dsq(np.array([1, 2, 3]))), [2, 4, 6]);
});

test("branching on a traced value fails at the user's line and suggests np.where", () => {
  let line = 0;
  const f = jit((x: Tracer) => {
    line = Number(new Error().stack!.split("\n")[1]!.match(/:(\d+):\d+\)?$/)![1]) + 1;
    if ((x as unknown as number) > 0) return x;
    return np.negative(x);
  });
  assert.throws(
    () => f(np.ones([2])),
    (e: unknown) => {
      assert.ok(e instanceof JitScopeError);
      assert.match(e.message, /np\.where/);
      assert.deepEqual([e.location?.file, e.location?.line], [here, line]);
      return true;
    },
  );
});

test("reading a traced value inside jit is an error at that line", async () => {
  let line = 0;
  let pending: Promise<unknown> | null = null;
  const f = jit((x: Tracer) => {
    line = Number(new Error().stack!.split("\n")[1]!.match(/:(\d+):\d+\)?$/)![1]) + 1;
    pending = x.data();
    return x;
  });
  f(np.ones([2]));
  await assert.rejects(pending!, (e: unknown) => {
    assert.ok(e instanceof JitScopeError);
    assert.match(e.message, /cannot read a traced value: data\(\)/);
    assert.equal(e.location?.line, line);
    return true;
  });
  const g = jit(async (x: Tracer) => x);
  assert.throws(() => g(np.ones([1])), /returned a Promise/);
});

test("a shape error inside the traced function points at the op's line, not the jit call", () => {
  let line = 0;
  const f = jit((x: Tracer, y: Tracer) => {
    line = Number(new Error().stack!.split("\n")[1]!.match(/:(\d+):\d+\)?$/)![1]) + 1;
    return np.add(x, y);
  });
  assert.throws(
    () => f(np.ones([2, 3]), np.ones([4])),
    (e: unknown) => {
      assert.ok(e instanceof JitScopeError);
      assert.equal(e.kind, "shape");
      assert.deepEqual([e.location?.file, e.location?.line], [here, line]);
      return true;
    },
  );
});

test("arguments that are not arrays, numbers or containers of them are refused clearly", () => {
  const f = jit((x: Tracer) => x);
  assert.throws(
    () => (f as unknown as (a: unknown) => unknown)({ a: "text" }),
    (e: unknown) => {
      assert.ok(e instanceof JitScopeError);
      assert.match(e.message, /argument 0\.a is a string \("text"\); arguments and results must be arrays, numbers/);
      assert.match(e.message, /mark the argument static: jit\(f, \{ static_argnums: \[0\] \}\)/);
      assert.equal(e.location?.file, here);
      return true;
    },
  );
});

test("a result that is not an array, number or container of them is refused clearly", () => {
  const f = jit(function label(x: Tracer) {
    return { y: x, note: "done" };
  });
  assert.throws(() => f(np.ones([1])), /jit\(label\): the result\.note is a string \("done"\)/);
});

test("jit of vmap compiles the batched program; vmap of jit traces through it", async () => {
  const sumsq = (x: Tracer) => np.sum(np.multiply(x, x));
  const rows = np.reshape(np.arange(6), [2, 3]);
  const a = jit(vmap(sumsq));
  assert.deepEqual(await read(a(rows)), [5, 50]);
  const lo = await a.lower(rows);
  assert.deepEqual(
    lo.kernels.map((k) => k.ops),
    [["mul", "reduce_sum"]],
  );
  const inner = jit(sumsq);
  assert.deepEqual(await read(vmap(inner)(rows)), [5, 50]);
  assert.equal(inner.cacheSize, 0, "inlined into vmap's trace");
  assert.equal(inner.name, "sumsq");
});
