// jax.nn additions (one_hot softplus silu leaky_relu elu log_sigmoid standardize log_softmax)
// against JAX's values (fixture) on the CPU reference, on WebGPU and under jit, and the
// logSoftmax alias.
import test from "node:test";
import assert from "node:assert/strict";
import { opCases } from "./harness.js";
import * as np from "../../../runtime/src/np.js";
import * as nn from "../../../runtime/src/nn.js";
import { arr, fixtureCase } from "./surfaceExpected.js";

opCases("nn surface", [
  fixtureCase("one_hot", "float32", (l) => nn.one_hot(arr(l, "int32"), 4), {
    title: "one_hot: an out-of-range label is a row of zeros",
  }),
  fixtureCase("softplus", "float32", (x) => nn.softplus(arr(x))),
  fixtureCase("silu", "float32", (x) => nn.silu(arr(x))),
  fixtureCase("leaky_relu", "float32", (x) => nn.leaky_relu(arr(x))),
  fixtureCase("elu", "float32", (x) => nn.elu(arr(x))),
  fixtureCase("log_sigmoid", "float32", (x) => nn.log_sigmoid(arr(x))),
  fixtureCase("standardize", "float32", (x) => nn.standardize(arr(x)), { rtol: 1e-4, atol: 1e-5 }),
  fixtureCase("log_softmax", "float32", (x) => nn.log_softmax(arr(x)), { atol: 1e-5 }),
  {
    name: "softplus of large inputs is x, of very negative ones exp(x)",
    build: () => nn.softplus(np.array([100, -100])),
    expect: [100, Math.exp(-100)],
    dtype: "float32",
  },
  {
    name: "one_hot along axis 0, int32",
    build: () => nn.one_hot(np.array([1, 0], { dtype: "int32" }), 3, { axis: 0, dtype: "int32" }),
    expect: [
      [0, 1],
      [1, 0],
      [0, 0],
    ],
    dtype: "int32",
  },
  {
    name: "one_hot of float labels compares them as JAX does: 2.0 is class 2; 0.5, -1 and 3 are no class",
    build: () => nn.one_hot(np.array([0, 2, 0.5, -1, 3]), 3),
    expect: [
      [1, 0, 0],
      [0, 0, 1],
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ],
    dtype: "float32",
  },
  {
    name: "elu of a huge negative is -alpha, not NaN",
    build: () => nn.elu(np.array([-1000, 2]), 2),
    expect: [-2, 2],
    dtype: "float32",
  },
]);

test("nn.logSoftmax, the documented alias, computes nn.log_softmax and its errors name the alias the user called", async () => {
  const x = np.array([
    [1, 2, 3],
    [0, -1, 4],
  ]);
  assert.deepEqual(await nn.logSoftmax(x).toArray(), await nn.log_softmax(x).toArray());
  assert.throws(
    () => nn.logSoftmax(x, 2),
    (e: Error) => e.message.startsWith("logSoftmax: axis 2"),
  );
  assert.throws(
    () => nn.log_softmax(x, 2),
    (e: Error) => e.message.startsWith("log_softmax: axis 2"),
  );
});

test("JAX's names and the kept camelCase aliases are the same functions", async () => {
  const api = await import("../../../runtime/src/index.js");
  assert.equal(api.value_and_grad, api.valueAndGrad);
  assert.equal(api.stop_gradient, api.stopGradient);
  assert.equal(api.lax.stop_gradient, api.stopGradient);
  assert.equal(typeof api.np.take_along_axis, "function");
  assert.deepEqual(await api.random.PRNGKey(42).toArray(), await api.random.key(42).toArray());
});
