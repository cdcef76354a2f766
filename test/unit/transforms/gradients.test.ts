// Gradients (reverse mode) and jvp (forward mode) of every differentiable primitive and of
// composites (MLP loss, softmax cross-entropy, attention), checked against central finite
// differences on the CPU reference.
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as nn from "../../../runtime/src/nn.js";
import * as L from "../../../runtime/src/trace/rules/lax.js";
import { config } from "../../../runtime/src/config.js";
import { grad, valueAndGrad } from "../../../runtime/src/trace/grad.js";
import { jvp } from "../../../runtime/src/trace/jvp.js";
import { stopGradient } from "../../../runtime/src/trace/stopGradient.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { checkGradient, input, rand, toArray } from "./fd.js";

config({ backend: "cpu" });

/** A fixed pseudo-random weighting, so each output element contributes differently. */
function weighted(y: Tracer, seed = 7): Tracer {
  const w = np.reshape(np.array(new Float32Array(rand(y.size, seed, 0.5, 1.5))), y.shape);
  return np.sum(np.multiply(y, w));
}

const A = input([2, 3], 1);
const B = input([2, 3], 2);
const POS = input([2, 3], 3, 0.5, 2);

const unary: [string, (x: Tracer) => Tracer, typeof A][] = [
  ["neg", np.negative, A],
  ["abs (away from 0)", np.abs, { shape: [2, 3], data: [-1.5, -0.5, 0.3, 0.8, -2, 1.1] }],
  ["sqrt", np.sqrt, POS],
  ["exp", np.exp, A],
  ["log", np.log, POS],
  ["sin", np.sin, A],
  ["cos", np.cos, A],
  ["tanh", np.tanh, A],
  ["square", np.square, A],
];
for (const [name, op, x] of unary) {
  test(`grad and jvp of ${name} match finite differences`, async () => {
    await checkGradient((a) => weighted(op(a)), [x]);
  });
}

const binary: [string, (a: Tracer, b: Tracer) => Tracer, typeof A, typeof A][] = [
  ["add", np.add, A, B],
  ["subtract", np.subtract, A, B],
  ["multiply", np.multiply, A, B],
  ["divide", np.divide, A, POS],
  ["power (both arguments)", np.power, POS, B],
  ["maximum (no ties)", np.maximum, A, B],
  ["minimum (no ties)", np.minimum, A, B],
];
for (const [name, op, x, y] of binary) {
  test(`grad and jvp of ${name} match finite differences`, async () => {
    await checkGradient((a, b) => weighted(op(a, b)), [x, y]);
  });
}

test("grad of broadcasting binary ops sums over the broadcast axes", async () => {
  await checkGradient((a, b) => weighted(np.multiply(a, b)), [input([2, 3], 5), input([3], 6)]);
  await checkGradient((a, b) => weighted(np.add(a, b)), [input([2, 3], 5), input([2, 1], 6)]);
  await checkGradient((a, s) => weighted(np.divide(a, s)), [input([2, 3], 5), input([], 6, 1, 2)]);
});

test("grad with JS-number operands (literals) and a power with a number exponent", async () => {
  await checkGradient((a) => weighted(np.add(np.multiply(3, np.power(a, 3)), 1)), [A]);
  await checkGradient((a) => weighted(np.divide(2, a)), [POS]);
});

test("grad of where flows to the chosen branch; the condition gets none", async () => {
  await checkGradient((a, b) => weighted(np.where(np.greater(a, 0), np.multiply(a, b), np.exp(b))), [A, B]);
  const g = await (
    grad((x: Tracer) => np.sum(np.where(np.greater(x, 0), x, np.multiply(x, 0.1))))(np.array([-2, 3])) as Tracer
  ).toArray();
  assert.deepEqual(g, [Math.fround(0.1), 1]);
});

test("relu through maximum with 0: gradient 1 above zero, 0 below", async () => {
  const g = grad((x: Tracer) => np.sum(np.maximum(x, 0)))(np.array([-1, 2, 0.5])) as Tracer;
  assert.deepEqual(await g.toArray(), [0, 1, 1]);
});

test("casting to int32 stops the gradient (zero, as in JAX)", async () => {
  const g = grad((x: Tracer) => np.sum(np.add(np.astype(np.astype(x, "int32"), "float32"), np.multiply(x, 2))))(
    np.array([1.5, 2.5]),
  );
  assert.deepEqual(await (g as Tracer).toArray(), [2, 2]);
});

test("grad and jvp of reductions: sum, mean, max, min (over axes and all)", async () => {
  await checkGradient((a) => weighted(np.sum(a, 0)), [A]);
  await checkGradient((a) => weighted(np.mean(a, 1)), [A]);
  await checkGradient((a) => np.sum(np.square(np.max(a, 1))), [A]);
  await checkGradient((a) => np.sum(np.square(np.min(a, 0))), [A]);
  await checkGradient((a) => np.max(a), [A]);
});

test("grad of max splits ties equally (as JAX's reduce_max)", async () => {
  const g = grad((x: Tracer) => np.max(x))(np.array([1, 3, 3, 2]));
  assert.deepEqual(await (g as Tracer).toArray(), [0, 0.5, 0.5, 0]);
});

test("grad and jvp of shape ops: reshape, transpose, broadcast_to, expand_dims, concatenate", async () => {
  await checkGradient((a) => weighted(np.reshape(a, [3, 2])), [A]);
  await checkGradient((a) => weighted(np.transpose(a)), [A]);
  await checkGradient((a) => weighted(np.broadcast_to(a, [4, 2, 3])), [A]);
  await checkGradient((a) => weighted(np.broadcast_to(np.reshape(a, [2, 1, 3]), [2, 4, 3])), [A]);
  await checkGradient((a, b) => weighted(np.concatenate([a, b, a], 1)), [A, B]);
});

test("grad and jvp of slice (with strides) and pad", async () => {
  const X = input([4, 5], 8);
  await checkGradient((a) => weighted(np.slice(a, [1, 0], [3, 5])), [X]);
  await checkGradient((a) => weighted(np.slice(a, [0, 1], [4, 5], [2, 2])), [X]);
  await checkGradient((a) => weighted(np.slice(a, [1, 0], [4, 4], [2, 3])), [X]);
  await checkGradient((a) => weighted(L.pad(a, [1, 0], [2, 1], 5) as Tracer), [A]);
});

test("grad and jvp of matmul (plain and batched)", async () => {
  await checkGradient((a, b) => weighted(np.matmul(a, b)), [input([2, 3], 9), input([3, 4], 10)]);
  await checkGradient((a, b) => weighted(np.matmul(a, b)), [input([2, 2, 3], 11), input([2, 3, 2], 12)]);
  await checkGradient((a, v) => weighted(np.matmul(a, v)), [input([2, 3], 13), input([3], 14)]);
});

function mlpLoss(w1: Tracer, b1: Tracer, w2: Tracer, x: Tracer, y: Tracer): Tracer {
  const h = np.tanh(np.add(np.matmul(x, w1), b1));
  return np.mean(np.square(np.subtract(np.matmul(h, w2), y)));
}

test("grad of an MLP loss matches finite differences for every parameter", async () => {
  const x = input([4, 3], 20);
  const y = input([4, 2], 21);
  await checkGradient(
    (w1, b1, w2) => mlpLoss(w1, b1, w2, toArray(x), toArray(y)),
    [input([3, 5], 22), input([5], 23), input([5, 2], 24)],
  );
});

function logSoftmax(z: Tracer): Tracer {
  const m = np.max(z, -1, { keepdims: true });
  const s = np.subtract(z, m);
  return np.subtract(s, np.log(np.sum(np.exp(s), -1, { keepdims: true })));
}

test("grad of softmax cross-entropy matches finite differences", async () => {
  const onehot = toArray({ shape: [3, 4], data: [1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0] });
  await checkGradient(
    (logits) => np.negative(np.mean(np.sum(np.multiply(onehot, logSoftmax(logits)), 1))),
    [input([3, 4], 30, -2, 2)],
  );
  // Known closed form: d/dlogits = (softmax - onehot) / batch.
  const logits = toArray(input([3, 4], 30, -2, 2));
  const g = await (
    grad((z: Tracer) => np.negative(np.mean(np.sum(np.multiply(onehot, logSoftmax(z)), 1))))(logits) as Tracer
  ).data();
  const z = input([3, 4], 30, -2, 2).data;
  const oh = [1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0];
  for (let r = 0; r < 3; r++) {
    const row = z.slice(r * 4, r * 4 + 4).map((v) => Math.fround(v));
    const mx = Math.max(...row);
    const e = row.map((v) => Math.exp(v - mx));
    const s = e.reduce((a, b) => a + b, 0);
    for (let c = 0; c < 4; c++) {
      const expected = (e[c]! / s - oh[r * 4 + c]!) / 3;
      assert.ok(Math.abs(g[r * 4 + c]! - expected) < 1e-5, `[${r},${c}] ${g[r * 4 + c]} vs ${expected}`);
    }
  }
});

test("grad of single-head attention matches finite differences", async () => {
  const attention = (q: Tracer, k: Tracer, v: Tracer) => {
    const scores = np.divide(np.matmul(q, np.transpose(k)), Math.sqrt(4));
    const p = np.exp(logSoftmax(scores));
    return weighted(np.matmul(p, v));
  };
  await checkGradient(attention, [input([3, 4], 40), input([5, 4], 41), input([5, 4], 42)]);
});

test("valueAndGrad returns the value and the gradient; argnums picks arguments", async () => {
  const f = (x: Tracer, y: Tracer) => np.sum(np.multiply(np.multiply(x, x), y));
  const [v, g] = valueAndGrad(f, [0, 1])(np.array([1, 2]), np.array([3, 4]));
  assert.equal(await v.toArray(), 1 * 3 + 4 * 4);
  const [gx, gy] = g as Tracer[];
  assert.deepEqual(await gx!.toArray(), [6, 16]);
  assert.deepEqual(await gy!.toArray(), [1, 4]);
  const gyOnly = grad(f, 1)(np.array([1, 2]), np.array([3, 4])) as Tracer;
  assert.deepEqual(await gyOnly.toArray(), [1, 4]);
  const gLast = grad(f, -1)(np.array([1, 2]), np.array([3, 4])) as Tracer;
  assert.deepEqual(await gLast.toArray(), [1, 4]);
});

test("grad with respect to a pytree of parameters returns the same structure", async () => {
  const loss = (p: { w: Tracer; b: Tracer[] }, x: Tracer) =>
    np.sum(np.add(np.multiply(p.w, x), np.multiply(p.b[0]!, p.b[1]!)));
  const params = { w: np.array([1, 2]), b: [np.array(3), np.array(5)] };
  const g = grad(loss)(params, np.array([10, 20])) as { w: Tracer; b: Tracer[] };
  assert.deepEqual(await g.w.toArray(), [10, 20]);
  assert.equal(await g.b[0]!.toArray(), 5 * 2);
  assert.equal(await g.b[1]!.toArray(), 3 * 2);
});

test("grad of a JS number argument, and of a function that ignores its input (zeros)", async () => {
  assert.equal(await (grad((x: Tracer) => np.multiply(x, x))(3 as unknown as Tracer) as Tracer).toArray(), 6);
  const z = grad((_x: Tracer, y: Tracer) => np.sum(y), 0)(np.array([1, 2]), np.array([1, 1])) as Tracer;
  assert.deepEqual(await z.toArray(), [0, 0]);
});

test("higher order: grad of grad of x^3 is 6x; grad of jvp-free composition", async () => {
  const d1 = (x: Tracer) => grad((y: Tracer) => np.multiply(np.multiply(y, y), y))(x) as Tracer;
  const d2 = grad(d1);
  assert.equal(await (d2(np.array(2)) as Tracer).toArray(), 12);
  const d3 = grad((x: Tracer) => d2(x) as Tracer);
  assert.equal(await (d3(np.array(2)) as Tracer).toArray(), 6);
});

test("stopGradient treats its input as a constant (and lets argmax into a loss)", async () => {
  // d/dx [x * stop(x)] = stop(x) = x (not 2x)
  const g = grad((x: Tracer) => np.sum(np.multiply(x, stopGradient(x))))(np.array([1, 2, 3]));
  assert.deepEqual(await g.toArray(), [1, 2, 3]);
  const [, t] = jvp((x: Tracer) => np.multiply(x, stopGradient(x)), [np.array([2])], [np.array([1])]);
  assert.deepEqual(await t.toArray(), [2]);
  const withIndex = grad((x: Tracer) => np.sum(np.multiply(x, np.astype(np.argmax(stopGradient(x)), "float32"))));
  assert.deepEqual(await withIndex(np.array([1, 5, 2])).toArray(), [1, 1, 1]);
  // The value passes through unchanged, also for pytrees.
  const p = stopGradient({ a: np.array([4]) });
  assert.deepEqual(await p.a.toArray(), [4]);
});

test("hasAux: the function returns [loss, aux]; aux passes through undifferentiated", async () => {
  const f = (w: Tracer, x: Tracer): [Tracer, { pred: Tracer; best: Tracer }] => {
    const pred = np.multiply(w, x);
    return [np.sum(np.square(pred)), { pred, best: np.argmax(stopGradient(pred)) }];
  };
  const [[value, aux], g] = valueAndGrad(f, 0, { hasAux: true })(np.array([1, 2]), np.array([3, -1]));
  assert.equal(await value.toArray(), 9 + 4);
  assert.deepEqual(await aux.pred.toArray(), [3, -2]);
  assert.equal(await aux.best.toArray(), 0);
  assert.deepEqual(await g.toArray(), [2 * 3 * 3, 2 * -2 * -1]);
  const [g2, aux2] = grad(f, 0, { hasAux: true })(np.array([1, 2]), np.array([3, -1]));
  assert.deepEqual(await g2.toArray(), [18, 4]);
  assert.deepEqual(await aux2.pred.toArray(), [3, -2]);
});

test("grad and jvp of the nn functions (relu, gelu, sigmoid, softmax, logSoftmax, logsumexp)", async () => {
  const away = { shape: [2, 3], data: [-1.5, -0.5, 0.3, 0.8, -2, 1.1] };
  await checkGradient((a) => weighted(nn.relu(a)), [away]);
  await checkGradient((a) => weighted(nn.gelu(a)), [A]);
  await checkGradient((a) => weighted(nn.sigmoid(a)), [A]);
  await checkGradient((a) => weighted(nn.softmax(a)), [A]);
  await checkGradient((a) => weighted(nn.logSoftmax(a, 0)), [A]);
  await checkGradient((a) => weighted(nn.logsumexp(a, 1)), [A]);
});
