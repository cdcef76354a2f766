// The counters a test asserts on (JAX users' `assert_compiles`): compilations and the kernels of
// the last call, read from the jitted function itself.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np, config, jit } from "../../../runtime/src/index.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { geluChain, rowSoftmax } from "./fixtures.js";
import { forceSubgroupFallback } from "../../../runtime/src/codegen/subgroupSupport.js";

// These tests use the row softmax as a three-kernel program (max, sum of exp, divide): lower it as a
// device without subgroups does (with them it is one row kernel: test/unit/codegen/rowFused.test.ts).
forceSubgroupFallback(true);

config({ backend: "cpu" });

test("a jitted GELU chain compiles once over three same-shape calls and its last call ran 1 kernel", () => {
  const f = jit(geluChain);
  assert.equal(f.compileCount, 0);
  assert.equal(f.lastCallKernels, 0);
  for (let i = 0; i < 3; i++) f(np.ones([4, 8]));
  assert.equal(f.compileCount, 1);
  assert.equal(f.lastCallKernels, 1);
  assert.deepEqual(f.stats(), {
    compiles: 1,
    compiledCalls: 3,
    lastCallKernels: 1,
    lastCallDispatches: 0,
    lastCompileReason: "first call",
  });
});

test("a new input shape compiles again and stats() says why", () => {
  const f = jit(rowSoftmax);
  f(np.ones([2, 3]));
  f(np.ones([5, 3]));
  const s = f.stats();
  assert.equal(s.compiles, 2);
  assert.equal(s.compiledCalls, 2);
  assert.equal(s.lastCompileReason, "argument 0: shape [2,3] → [5,3]");
  // max, then the sum with its exp prologue, then the division (fusion.test.ts: three kernels).
  assert.equal(s.lastCallKernels, 3);
});

test("a jitted function called inside another jit's trace is inlined: its own counters stay at 0", () => {
  const inner = jit((x: Tracer) => np.multiply(x, 2));
  const outer = jit((x: Tracer) => np.add(inner(x), 1));
  outer(np.ones([3]));
  assert.deepEqual(inner.stats(), {
    compiles: 0,
    compiledCalls: 0,
    lastCallKernels: 0,
    lastCallDispatches: 0,
    lastCompileReason: null,
  });
  assert.equal(outer.compileCount, 1);
  assert.equal(outer.lastCallKernels, 1, "multiply and add fuse into one kernel");
});

test("under disableJit a call compiles nothing", () => {
  const f = jit(geluChain);
  config({ disableJit: true });
  try {
    f(np.ones([4]));
  } finally {
    config({ disableJit: false });
  }
  assert.equal(f.compileCount, 0);
  assert.equal(f.stats().compiledCalls, 0);
});
