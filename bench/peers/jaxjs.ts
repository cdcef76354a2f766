// The bench's workloads in jax-js (npm @jax-js/jax) on its WebGPU device, each under jit, written
// as its README asks: every function takes ownership of its array arguments, `.ref` for reuse.
// Layouts: jax-js convolutions take NCHW/OIHW, so the CNN's data is transposed once at setup and
// its updated weights are transposed back when read.

import { blockUntilReady, getWebGPUDevice, grad, jit, lax, nn, numpy as np, tree, type Array as J } from "@jax-js/jax";
import { CNN, GPT, GPT_PARAMS, MLP, type Framework, type Work } from "../workloadData.js";
import { hwioToOihw, nhwcToNchw, oihwToHwio } from "./layout.js";

const arr = (data: Float32Array, shape: number[]) => np.array(data).reshape(shape);

/**
 * jax-js is lazy: a result disposed before it is realized never runs (its pending execution is
 * dropped). So every step's results are kept until wait() realizes them all (as a user's loop
 * that realizes its last step would run every step), then all but the last are disposed.
 */
function work(f: () => J[], post: ((out: Float32Array[]) => Float32Array[]) | null = null): Work {
  let last: J[] = [];
  let block: J[][] = [];
  return {
    step() {
      last = f();
      block.push(last);
    },
    async wait() {
      await blockUntilReady(block);
      // Its device's queue drained too, as for the others.
      await getWebGPUDevice().queue.onSubmittedWorkDone();
      for (const r of block) if (r !== last) tree.dispose(r);
      block = [last];
    },
    async read() {
      const out = await Promise.all(last.map(async (a) => Float32Array.from(await a.ref.data())));
      return post ? post(out) : out;
    },
  };
}

const chain = (v: J) =>
  np
    .tanh(v.ref.mul(1.5).add(0.5))
    .mul(v.ref)
    .sub(np.exp(v.ref.mul(v).neg()));

function layerNorm(x: J): J {
  const c = x.ref.sub(np.mean(x, -1, { keepdims: true }));
  return c.ref.div(np.sqrt(np.mean(np.square(c), -1, { keepdims: true }).add(1e-5)));
}

const gelu = (h: J) => h.ref.mul(0.5).mul(np.tanh(h.ref.add(np.power(h, 3).mul(0.044715)).mul(0.7978845608)).add(1));

type Gpt = Record<(typeof GPT_PARAMS)[number], J>;
function gptLogits(p: Gpt, x: J, mask: J): J {
  const { B, T: S, D, H } = GPT;
  const hd = D / H;
  const heads = (h: J) => np.transpose(h.reshape([B, S, H, hd]), [0, 2, 1, 3]);
  const ln1 = layerNorm(x.ref);
  const q = heads(np.matmul(ln1.ref, p.wq));
  const k = heads(np.matmul(ln1.ref, p.wk));
  const v = heads(np.matmul(ln1, p.wv));
  const scores = np
    .matmul(q, np.swapaxes(k, -1, -2))
    .mul(1 / Math.sqrt(hd))
    .add(mask);
  const att = np.transpose(np.matmul(nn.softmax(scores, -1), v), [0, 2, 1, 3]).reshape([B, S, D]);
  const x1 = x.add(np.matmul(att, p.wo));
  const x2 = x1.ref.add(np.matmul(gelu(np.matmul(layerNorm(x1), p.w1)), p.w2));
  return np.matmul(layerNorm(x2), p.wout);
}
const gptLoss = (p: Gpt, x: J, onehot: J, mask: J) =>
  np.negative(np.mean(np.sum(onehot.mul(nn.logSoftmax(gptLogits(p, x, mask), -1)), -1)));

type Cnn = { w: J; b: J; dw: J; db: J };
function cnnLoss(p: Cnn, x: J, onehot: J): J {
  const { n, hw, cout } = CNN;
  const h = nn.relu(lax.convGeneralDilated(x, p.w, [1, 1], "SAME").add(p.b.reshape([1, cout, 1, 1])));
  const pooled = np.max(h.reshape([n, cout, hw / 2, 2, hw / 2, 2]), [3, 5]);
  const flatPooled = np.transpose(pooled, [0, 2, 3, 1]).reshape([n, (hw / 2) * (hw / 2) * cout]);
  const logits = np.matmul(flatPooled, p.dw).add(p.db);
  return np.negative(np.mean(np.sum(onehot.mul(nn.logSoftmax(logits, -1)), -1)));
}

type Mlp = { w1: J; b1: J; w2: J; b2: J };
const mlpLoss = (p: Mlp, x: J, y: J) => {
  const h = np.tanh(np.matmul(x, p.w1).add(p.b1));
  return np.mean(np.square(np.matmul(h, p.w2).add(p.b2).sub(y)));
};

function sgd<P extends Record<string, J>>(p: P, g: P, lr: number): P {
  return Object.fromEntries(Object.keys(p).map((k) => [k, p[k]!.sub(g[k]!.mul(lr))])) as P;
}

export const jaxjs: Framework = {
  name: "jax-js",
  chain(x) {
    const f = jit(chain);
    const xa = np.array(x);
    return work(() => [f(xa.ref)]);
  },
  matmul(a, b, s) {
    const f = jit((u: J, v: J) => np.matmul(u, v));
    const [ua, va] = [arr(a, [s, s]), arr(b, [s, s])];
    return work(() => [f(ua.ref, va.ref)]);
  },
  mlpStep(d) {
    const { batch, inputs, hidden, outputs, lr } = MLP;
    const p: Mlp = {
      w1: arr(d.w1, [inputs, hidden]),
      b1: arr(d.b1, [hidden]),
      w2: arr(d.w2, [hidden, outputs]),
      b2: arr(d.b2, [outputs]),
    };
    const [x, y] = [arr(d.x, [batch, inputs]), arr(d.y, [batch, outputs])];
    const step = jit((q: Mlp, xb: J, yb: J) => sgd(q, grad(mlpLoss)(tree.ref(q), xb, yb), lr));
    return work(() => {
      const r = step(tree.ref(p), x.ref, y.ref);
      return [r.w1, r.b1, r.w2, r.b2];
    });
  },
  gptForward(d) {
    const { p, x, mask } = gptArrays(d);
    const f = jit((q: Gpt, xb: J, m: J) => gptLogits(q, xb, m));
    return work(() => [f(tree.ref(p), x.ref, mask.ref)]);
  },
  gptStep(d) {
    const { p, x, mask, onehot } = gptArrays(d);
    const step = jit((q: Gpt, xb: J, o: J, m: J) => sgd(q, grad(gptLoss)(tree.ref(q), xb, o, m), GPT.lr));
    return work(() => {
      const r = step(tree.ref(p), x.ref, onehot.ref, mask.ref);
      return GPT_PARAMS.map((k) => r[k]);
    });
  },
  cnnStep(d) {
    const { n, hw, cin, cout, classes, lr } = CNN;
    const p: Cnn = {
      w: arr(hwioToOihw(d.w, 3, 3, cin, cout), [cout, cin, 3, 3]),
      b: arr(d.b, [cout]),
      dw: arr(d.dw, [(hw / 2) * (hw / 2) * cout, classes]),
      db: arr(d.db, [classes]),
    };
    const x = arr(nhwcToNchw(d.x, n, hw, hw, cin), [n, cin, hw, hw]);
    const onehot = arr(d.onehot, [n, classes]);
    const step = jit((q: Cnn, xb: J, o: J) => sgd(q, grad(cnnLoss)(tree.ref(q), xb, o), lr));
    return work(
      () => {
        const r = step(tree.ref(p), x.ref, onehot.ref);
        return [r.w, r.b, r.dw, r.db];
      },
      ([w, ...rest]) => [oihwToHwio(w!, cout, cin, 3, 3), ...rest],
    );
  },
};

function gptArrays(d: import("../workloadData.js").GptData) {
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
  const p = Object.fromEntries(GPT_PARAMS.map((k) => [k, arr(d[k], shapes[k])])) as Gpt;
  return { p, x: arr(d.x, [B, S, D]), mask: arr(d.mask, [S, S]), onehot: arr(d.onehot, [B, S, V]) };
}
