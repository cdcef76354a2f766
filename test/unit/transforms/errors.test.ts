// Bad input to the transformations: each a JitScopeError that says what is wrong and names the
// line of this file that made the call.
import { test } from "node:test";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as random from "../../../runtime/src/random.js";
import { grad, valueAndGrad } from "../../../runtime/src/trace/grad.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import { jvp } from "../../../runtime/src/trace/jvp.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { expectUserError, here } from "../ops/harness.js";

const FILE = "errors.test.ts";
const double = (x: Tracer) => np.multiply(x, 2);
const total = (x: Tracer, _y?: Tracer) => np.sum(np.square(x));

test("grad of a function with a non-scalar output says to reduce it", async (t) => {
  await expectUserError(t, () => grad(double)(np.array([1, 2])), FILE, here(), "grad(double)", "scalar", "float32[2]", "np.sum");
});

test("grad with respect to an int32 input says grad needs float32", async (t) => {
  await expectUserError(t, () => grad(total)(np.array([1, 2], { dtype: "int32" })), FILE, here(), "argument 0", "int32[2]", "float32");
});

test("grad with argnums out of range names the argument count", async (t) => {
  await expectUserError(t, () => grad(total, 2)(np.array([1, 2])), FILE, here(), "argnums 2 is out of range", "1 argument");
  await expectUserError(t, () => valueAndGrad(total, [0, 1])(np.array([1.5])), FILE, here(), "argnums 1 is out of range");
});

test("vmap with mapped axes of different sizes lists the sizes", async (t) => {
  await expectUserError(t, () => vmap(np.add)(np.zeros([3, 2]), np.zeros([2, 2])), FILE, here(), "different sizes", "argument 0 has 3", "argument 1 has 2");
});

test("vmap with inAxes that do not match the arguments", async (t) => {
  await expectUserError(t, () => vmap(np.add, [0])(np.zeros([3]), np.zeros([3])), FILE, here(), "inAxes has 1 entries", "2 arguments");
  await expectUserError(t, () => vmap(np.exp, 2)(np.zeros([3, 4])), FILE, here(), "inAxes 2 is out of range", "[3,4]");
  await expectUserError(t, () => vmap(np.add, [null, null])(np.zeros([3]), np.zeros([3])), FILE, here(), "no argument is mapped");
});

test("jvp with a tangent of the wrong shape", async (t) => {
  await expectUserError(t, () => jvp(np.exp, [np.zeros([3])], [np.zeros([2])]), FILE, here(), "tangent 0", "float32[2]", "float32[3]");
});

test("random samplers reject something that is not a key", async (t) => {
  await expectUserError(t, () => random.normal(np.zeros([2]), [3]), FILE, here(), "random.normal", "expected a key", "float32[2]");
  await expectUserError(t, () => random.uniform(random.key(0), [2], { minval: 1, maxval: 0 }), FILE, here(), "maxval");
});

test("a sampler given undefined (a key destructured past split's count) says to split into more keys", async (t) => {
  const [, , c] = random.split(random.key(0));
  await expectUserError(t, () => random.uniform(c!, [3]), FILE, here(), "got undefined", "const [a, b, c] = random.split(k)", "random.split(k, 3)");
});

test("a sampler given split's [n, 2] key array says how to take one key or vmap over them", async (t) => {
  const keys = random.split(random.key(0), 4);
  await expectUserError(t, () => random.normal(keys, [3]), FILE, here(), "int32[4,2]", "4 keys", "np.take(keys, i, 0)", "vmap(k => random.normal(k, …))(keys)");
});
