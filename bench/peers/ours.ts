// The bench's workloads written with JIT Scope's runtime, each under jit, as a user writes them.

import { config, grad, jit, lax, nn, np } from "../../runtime/src/index.js";
import type { ConcreteArray } from "../../runtime/src/array.js";
import { CNN, GPT, GPT_PARAMS, MLP, type Framework, type GptData, type Work } from "../workloadData.js";

type A = ConcreteArray;
type T = np.ArrayLike;
const arr = (data: Float32Array, shape: number[]) => np.reshape(np.array(data), shape) as A;
const flat = async (a: A) => Float32Array.from((await a.data()) as ArrayLike<number>);

/** Times `f` (which returns fresh arrays each call; the previous call's are disposed). */
/** A workload of ours: `f` runs one step and returns its outputs. */
export function work(f: () => A[]): Work {
  let last: A[] = [];
  return {
    step() {
      for (const a of last) a.dispose();
      last = f();
    },
    async wait() {
      await Promise.all(last.map((a) => a.blockUntilReady()));
    },
    read: () => Promise.all(last.map(flat)),
  };
}

export const chain = (v: T) =>
  np.subtract(np.multiply(np.tanh(np.add(np.multiply(v, 1.5), 0.5)), v), np.exp(np.negative(np.multiply(v, v))));

export function layerNorm(x: T) {
  const centered = np.subtract(x, np.mean(x, -1, { keepdims: true }));
  return np.divide(centered, np.sqrt(np.add(np.mean(np.square(centered), -1, { keepdims: true }), 1e-5)));
}

const gelu = (h: T) =>
  np.multiply(
    np.multiply(h, 0.5),
    np.add(1, np.tanh(np.multiply(0.7978845608, np.add(h, np.multiply(0.044715, np.power(h, 3)))))),
  );

type Gpt = Record<(typeof GPT_PARAMS)[number], T>;
function gptLogits(p: Gpt, x: T, mask: T) {
  const { B, T: S, D, H } = GPT;
  const hd = D / H;
  const heads = (h: T) => np.transpose(np.reshape(h, [B, S, H, hd]), [0, 2, 1, 3]);
  const ln1 = layerNorm(x);
  const [q, k, v] = [heads(np.matmul(ln1, p.wq)), heads(np.matmul(ln1, p.wk)), heads(np.matmul(ln1, p.wv))];
  const scores = np.add(np.multiply(np.matmul(q, np.swapaxes(k, -1, -2)), 1 / Math.sqrt(hd)), mask);
  const att = np.reshape(np.transpose(np.matmul(nn.softmax(scores, -1), v), [0, 2, 1, 3]), [B, S, D]);
  const x1 = np.add(x, np.matmul(att, p.wo));
  const x2 = np.add(x1, np.matmul(gelu(np.matmul(layerNorm(x1), p.w1)), p.w2));
  return np.matmul(layerNorm(x2), p.wout);
}
const gptLoss = (p: Gpt, x: T, onehot: T, mask: T) =>
  np.negative(np.mean(np.sum(np.multiply(onehot, nn.logSoftmax(gptLogits(p, x, mask), -1)), -1)));

type Cnn = { w: T; b: T; dw: T; db: T };
function cnnLoss(p: Cnn, x: T, onehot: T) {
  const { n, hw, cout } = CNN;
  const h = nn.relu(
    np.add(lax.conv_general_dilated(x, p.w, [1, 1], "SAME", { dimension_numbers: ["NHWC", "HWIO", "NHWC"] }), p.b),
  );
  const pooled = np.reshape(nn.max_pool(h, [2, 2], [2, 2]), [n, (hw / 2) * (hw / 2) * cout]);
  const logits = np.add(np.matmul(pooled, p.dw), p.db);
  return np.negative(np.mean(np.sum(np.multiply(onehot, nn.logSoftmax(logits, -1)), -1)));
}

type Mlp = { w1: T; b1: T; w2: T; b2: T };
const mlpLoss = (p: Mlp, x: T, y: T) => {
  const h = np.tanh(np.add(np.matmul(x, p.w1), p.b1));
  return np.mean(np.square(np.subtract(np.add(np.matmul(h, p.w2), p.b2), y)));
};

const sgd = <P extends Record<string, T>>(p: P, g: P, lr: number): P =>
  Object.fromEntries(Object.keys(p).map((k) => [k, np.subtract(p[k]!, np.multiply(lr, g[k]!))])) as P;

export const jitChain = jit(chain);

export const ours: Framework = {
  name: "ours",
  chain(x) {
    const xa = arr(x, [x.length]);
    return work(() => [jitChain(xa) as A]);
  },
  matmul(a, b, s) {
    const f = jit((u: T, v: T) => np.matmul(u, v));
    const [ua, va] = [arr(a, [s, s]), arr(b, [s, s])];
    return work(() => [f(ua, va) as A]);
  },
  mlpStep(d) {
    const { batch, inputs, hidden, outputs, lr } = MLP;
    const p = {
      w1: arr(d.w1, [inputs, hidden]),
      b1: arr(d.b1, [hidden]),
      w2: arr(d.w2, [hidden, outputs]),
      b2: arr(d.b2, [outputs]),
    };
    const [x, y] = [arr(d.x, [batch, inputs]), arr(d.y, [batch, outputs])];
    const step = jit((q: Mlp, xb: T, yb: T) => sgd(q, grad(mlpLoss)(q, xb, yb) as Mlp, lr));
    return work(() => {
      const r = step(p, x, y) as Record<keyof Mlp, A>;
      return [r.w1, r.b1, r.w2, r.b2];
    });
  },
  gptForward(d) {
    const { p, x, mask } = gptArrays(d);
    const f = jit((q: Gpt, xb: T, m: T) => gptLogits(q, xb, m));
    return work(() => [f(p, x, mask) as A]);
  },
  gptStep(d) {
    const { p, x, mask, onehot } = gptArrays(d);
    const step = jit((q: Gpt, xb: T, o: T, m: T) => sgd(q, grad(gptLoss)(q, xb, o, m) as Gpt, GPT.lr));
    return work(() => {
      const r = step(p, x, onehot, mask) as Record<keyof Gpt, A>;
      return GPT_PARAMS.map((k) => r[k]);
    });
  },
  cnnStep(d) {
    const { n, hw, cin, cout, classes, lr } = CNN;
    const p = {
      w: arr(d.w, [3, 3, cin, cout]),
      b: arr(d.b, [cout]),
      dw: arr(d.dw, [(hw / 2) * (hw / 2) * cout, classes]),
      db: arr(d.db, [classes]),
    };
    const [x, onehot] = [arr(d.x, [n, hw, hw, cin]), arr(d.onehot, [n, classes])];
    const step = jit((q: Cnn, xb: T, o: T) => sgd(q, grad(cnnLoss)(q, xb, o) as Cnn, lr));
    return work(() => {
      const r = step(p, x, onehot) as Record<keyof Cnn, A>;
      return [r.w, r.b, r.dw, r.db];
    });
  },
};

function gptArrays(d: GptData) {
  const { B, T: S, D, V } = GPT;
  const shapes: Record<keyof Gpt, number[]> = {
    wq: [D, D],
    wk: [D, D],
    wv: [D, D],
    wo: [D, D],
    w1: [D, 4 * D],
    w2: [4 * D, D],
    wout: [D, V],
  };
  const p = Object.fromEntries(GPT_PARAMS.map((k) => [k, arr(d[k], shapes[k])])) as unknown as Gpt;
  return { p, x: arr(d.x, [B, S, D]), mask: arr(d.mask, [S, S]), onehot: arr(d.onehot, [B, S, V]) };
}

/** The chain run op by op (jit disabled), for eager/jit. */
export function eagerChain(x: A): A {
  const prev = config({ disableJit: true });
  try {
    return jitChain(x) as A;
  } finally {
    config(prev);
  }
}
