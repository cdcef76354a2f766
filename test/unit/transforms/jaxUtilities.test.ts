// jax.named_call, clear_caches, typeof and ensure_compile_time_eval: what each does to a jitted
// program (its name stacks, its cache, its constants) and what it returns.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as js from "../../../runtime/src/index.js";
import { clear_caches, ensure_compile_time_eval, jit, named_call, ShapedArray } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, refuses } from "../ops/harness.js";

test("named_call groups the function's ops under its name (default: the function's), as jit already groups a named function: tanh under f/layer, and sin under the given name, f/block", async () => {
  {
    const layer = named_call(function layer(x: Tracer) {
      return np.tanh(x);
    });
    const block = named_call((x: Tracer) => np.sin(x), { name: "block" });
    const f = jit((x: Tracer) => block(layer(layer(x))));
    assert.deepEqual(await f(np.zeros([2])).toArray(), [0, 0]);
    const { program } = await f.lower(np.zeros([2]));
    const stacks = program.eqns.map((e) => `${e.prim}:${e.nameStack.join("/")}`);
    assert.deepEqual(
      stacks.filter((s) => s.startsWith("tanh")),
      ["tanh:f/layer", "tanh:f/layer"],
    );
    assert.ok(
      stacks.some((s) => s.startsWith("sin:f/block")),
      stacks.join(", "),
    );
  }
});

test("clear_caches empties jit caches: a cached call compiles again (compileCount 1 → 1 → 2, reason 'first call')", async () => {
  {
    const f = jit((x: Tracer) => np.add(x, 1));
    await f(np.ones([2])).toArray();
    await f(np.ones([2])).toArray();
    assert.equal(f.compileCount, 1);
    clear_caches();
    assert.equal(f.cacheSize, 0);
    assert.deepEqual(await f(np.ones([2])).toArray(), [2, 2]);
    assert.equal(f.compileCount, 2);
    assert.equal(f.stats().lastCompileReason, "first call");
  }
});

test("typeof gives the abstract value, printed as JAX prints it: float32[3,4], int32[2] inside jit, ~float32[] for a JS number", () => {
  onBackend("cpu", () => {
    const t = js.typeof(np.ones([3, 4]));
    assert.ok(t instanceof ShapedArray);
    assert.deepEqual(
      [String(t), t.shape, t.dtype, t.weak_type, t.ndim, t.size],
      ["float32[3,4]", [3, 4], "float32", false, 2, 12],
    );
    let inside = "";
    jit((k: Tracer) => {
      inside = String(js.typeof(k));
      return k;
    })(np.zeros([2], { dtype: "int32" }));
    assert.equal(inside, "int32[2]");
    assert.equal(String(js.typeof(2.5)), "~float32[]");
    refuses(() => js.typeof("x"), /typeof: string is not an array or a number/);
  });
});

test("ensure_compile_time_eval inside jit computes ops on constants now (a concrete cumsum: no cumulative op in the program, which has one without it); traced ops stay traced", async () => {
  {
    let kind = "";
    const f = jit((x: Tracer) => {
      const c = ensure_compile_time_eval(() => np.cumsum(np.arange(4)));
      kind = c.constructor.name;
      return np.add(x, c);
    });
    assert.deepEqual(await f(np.ones([4])).toArray(), [1, 2, 4, 7]);
    assert.equal(kind, "ConcreteArray");
    const { program } = await f.lower(np.ones([4]));
    assert.ok(!program.eqns.some((e) => e.prim === "cumulative"));
    const plain = jit((x: Tracer) => np.add(x, np.cumsum(np.arange(4))));
    assert.ok((await plain.lower(np.ones([4]))).program.eqns.some((e) => e.prim === "cumulative"));
    const g = jit((x: Tracer) => ensure_compile_time_eval(() => np.sin(x)));
    assert.ok((await g.lower(np.ones([2]))).program.eqns.some((e) => e.prim === "sin"));
    refuses(() => ensure_compile_time_eval(3 as never), /fn must be a function of no arguments, got number/);
  }
});
