// The bench's workloads in TensorFlow.js (@tensorflow/tfjs core ops + the WebGPU backend). It has
// no jit: each op is a dispatch, batched into command buffers by the backend. Gradients via
// tf.grads, every step inside tf.tidy. "Ready" = the backend's queued work submitted and done on
// its device (no read-back), as for the others.

import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-webgpu";
import { CNN, GPT, GPT_PARAMS, MLP, type Framework, type Work } from "../workloadData.js";

type Tn = tf.Tensor;
interface WebGpuBackendLike {
  device: GPUDevice;
  submitQueue(): void;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
}

export async function initTfjs(): Promise<GPUDevice> {
  if (!(await tf.setBackend("webgpu"))) throw new Error("tfjs: the webgpu backend did not start");
  await tf.ready();
  return (tf.backend() as unknown as WebGpuBackendLike).device;
}

function work(f: () => Tn[]): Work {
  let last: Tn[] = [];
  return {
    step() {
      tf.dispose(last);
      last = tf.tidy(f);
    },
    async wait() {
      const b = tf.backend() as unknown as WebGpuBackendLike;
      // What the backend itself does before a read-back, without the read.
      b.ensureCommandEncoderReady();
      b.endComputePassEncoder();
      b.submitQueue();
      await b.device.queue.onSubmittedWorkDone();
    },
    read: () => Promise.all(last.map(async (t) => Float32Array.from(await t.data()))),
  };
}

const t = (data: Float32Array, shape: number[]) => tf.tensor(data, shape, "float32");

function layerNorm(x: Tn): Tn {
  const c = x.sub(x.mean(-1, true));
  return c.div(c.square().mean(-1, true).add(1e-5).sqrt());
}
const gelu = (h: Tn) => h.mul(0.5).mul(tf.tanh(h.add(h.pow(3).mul(0.044715)).mul(0.7978845608)).add(1));

type Gpt = Record<(typeof GPT_PARAMS)[number], Tn>;
function gptLogits(p: Gpt, x: Tn, mask: Tn): Tn {
  const { B, T: S, D, H } = GPT;
  const hd = D / H;
  // tf.matMul wants equal ranks: the projections run on [B·S, D].
  const proj = (h: Tn, w: Tn) => tf.matMul(h.reshape([B * S, -1]), w).reshape([B, S, -1]);
  const heads = (h: Tn) => h.reshape([B, S, H, hd]).transpose([0, 2, 1, 3]);
  const ln1 = layerNorm(x);
  const [q, k, v] = [heads(proj(ln1, p.wq)), heads(proj(ln1, p.wk)), heads(proj(ln1, p.wv))];
  const scores = tf
    .matMul(q, k, false, true)
    .mul(1 / Math.sqrt(hd))
    .add(mask);
  const att = tf.matMul(tf.softmax(scores, -1), v).transpose([0, 2, 1, 3]).reshape([B, S, D]);
  const x1 = x.add(proj(att, p.wo));
  const x2 = x1.add(proj(gelu(proj(layerNorm(x1), p.w1)), p.w2));
  return proj(layerNorm(x2), p.wout);
}
const ce = (logits: Tn, onehot: Tn) => onehot.mul(tf.logSoftmax(logits, -1)).sum(-1).mean().neg();

function sgdStep<K extends string>(keys: readonly K[], p: Record<K, Tn>, loss: (q: Record<K, Tn>) => Tn, lr: number) {
  const grads = tf.grads((...ws: Tn[]) => loss(Object.fromEntries(keys.map((k, i) => [k, ws[i]!])) as Record<K, Tn>));
  const g = grads(keys.map((k) => p[k]));
  return keys.map((k, i) => p[k].sub(g[i]!.mul(lr)));
}

export const tfjs: Framework = {
  name: "tfjs",
  chain(x) {
    const xa = t(x, [x.length]);
    return work(() => [
      tf
        .tanh(xa.mul(1.5).add(0.5))
        .mul(xa)
        .sub(tf.exp(xa.mul(xa).neg())),
    ]);
  },
  matmul(a, b, s) {
    const [ua, va] = [t(a, [s, s]), t(b, [s, s])];
    return work(() => [tf.matMul(ua, va)]);
  },
  mlpStep(d) {
    const { batch, inputs, hidden, outputs, lr } = MLP;
    const p = {
      w1: t(d.w1, [inputs, hidden]),
      b1: t(d.b1, [hidden]),
      w2: t(d.w2, [hidden, outputs]),
      b2: t(d.b2, [outputs]),
    };
    const [x, y] = [t(d.x, [batch, inputs]), t(d.y, [batch, outputs])];
    const loss = (q: typeof p) =>
      tf
        .matMul(tf.tanh(tf.matMul(x, q.w1).add(q.b1)), q.w2)
        .add(q.b2)
        .sub(y)
        .square()
        .mean();
    return work(() => sgdStep(["w1", "b1", "w2", "b2"] as const, p, loss, lr));
  },
  gptForward(d) {
    const { p, x, mask } = gptTensors(d);
    return work(() => [gptLogits(p, x, mask)]);
  },
  gptStep(d) {
    const { p, x, mask, onehot } = gptTensors(d);
    return work(() => sgdStep(GPT_PARAMS, p, (q) => ce(gptLogits(q, x, mask), onehot), GPT.lr));
  },
  cnnStep(d) {
    const { n, hw, cin, cout, classes, lr } = CNN;
    const p = {
      w: t(d.w, [3, 3, cin, cout]),
      b: t(d.b, [cout]),
      dw: t(d.dw, [(hw / 2) * (hw / 2) * cout, classes]),
      db: t(d.db, [classes]),
    };
    const [x, onehot] = [t(d.x, [n, hw, hw, cin]) as tf.Tensor4D, t(d.onehot, [n, classes])];
    const loss = (q: typeof p) => {
      const h = tf.relu(tf.conv2d(x, q.w as tf.Tensor4D, 1, "same").add(q.b)) as tf.Tensor4D;
      const pooled = tf.maxPool(h, [2, 2], [2, 2], "valid").reshape([n, -1]);
      return ce(tf.matMul(pooled, q.dw).add(q.db), onehot);
    };
    return work(() => sgdStep(["w", "b", "dw", "db"] as const, p, loss, lr));
  },
};

function gptTensors(d: import("../workloadData.js").GptData) {
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
  const p = Object.fromEntries(GPT_PARAMS.map((k) => [k, t(d[k], shapes[k])])) as Gpt;
  return { p, x: t(d.x, [B, S, D]), mask: t(d.mask, [S, S]), onehot: t(d.onehot, [B, S, V]) };
}
