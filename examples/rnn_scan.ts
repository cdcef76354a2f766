// A character-level RNN over 32 steps, written with lax.scan: under jit the recurrence stays one
// loop whose body (matmuls, tanh, softmax cross-entropy) is compiled to kernels once, and grad
// runs it backwards as a second loop. The same model unrolled with a JS loop compiles all 32
// steps separately (much longer: bench/rnn_scan_compile.ts measures both); RNN_UNROLLED=1 trains
// it here too, next to the scan version, to the same losses.
import { np, jit, grad, lax, type Array as Arr } from "jitscope";

const text = "the quick brown fox jumps over the lazy dog and the cat naps in the sun ";
const chars = [...new Set(text)].sort();
const V = chars.length,
  H = 32,
  T = 32,
  B = 4;

/** One-hot rows [T, B, V] of the characters at offsets `start + b*7 + t` (+1 for the targets). */
function batch(start: number, shift: number) {
  const data = new Float32Array(T * B * V);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++)
      data[(t * B + b) * V + chars.indexOf(text[(start + b * 7 + t + shift) % text.length]!)] = 1;
  }
  return np.reshape(np.array(data), [T, B, V]);
}
const xs = batch(0, 0),
  targets = batch(0, 1);

const init = (shape: number[], seed: number, scale: number) =>
  np.reshape(
    np.array(
      Float32Array.from(
        { length: shape.reduce((a, b) => a * b, 1) },
        (_, i) => Math.sin(seed * 131 + i * 0.71) * scale,
      ),
    ),
    shape,
  );
type Params = { wx: np.ArrayLike; wh: np.ArrayLike; wy: np.ArrayLike; bh: np.ArrayLike };
const params0: Params = {
  wx: init([V, H], 1, 0.3),
  wh: init([H, H], 2, 0.15),
  wy: init([H, V], 3, 0.3),
  bh: np.zeros([H]),
};

/** One step: new hidden state, and the cross-entropy of predicting `target` from it. */
function cell(p: Params, h: np.ArrayLike, x: np.ArrayLike, target: np.ArrayLike) {
  const hNew = np.tanh(np.add(np.add(np.matmul(x, p.wx), np.matmul(h, p.wh)), p.bh));
  const logits = np.matmul(hNew, p.wy);
  const z = np.subtract(logits, np.max(logits, -1, { keepdims: true }));
  const logp = np.subtract(z, np.log(np.sum(np.exp(z), -1, { keepdims: true })));
  return [hNew, np.negative(np.mean(np.sum(np.multiply(logp, target), -1)))] as const;
}

function lossScan(p: Params, xs: Arr, targets: Arr) {
  const [, losses] = lax.scan((h: Arr, [x, y]: [Arr, Arr]) => cell(p, h, x, y) as [Arr, Arr], np.zeros([B, H]), [
    xs,
    targets,
  ]);
  return np.mean(losses);
}

function lossUnrolled(p: Params, xs: Arr, targets: Arr) {
  let h: np.ArrayLike = np.zeros([B, H]);
  let total: np.ArrayLike = 0;
  for (let t = 0; t < T; t++) {
    const [hNew, l] = cell(
      p,
      h,
      np.reshape(np.slice(xs, [t, 0, 0], [t + 1, B, V]), [B, V]),
      np.reshape(np.slice(targets, [t, 0, 0], [t + 1, B, V]), [B, V]),
    );
    h = hNew;
    total = np.add(total, l);
  }
  return np.divide(total, T);
}

const sgd =
  (loss: typeof lossScan) =>
  (p: Params, xs: Arr, ys: Arr): [Params, Arr] => {
    const g = grad(loss)(p, xs, ys) as Params;
    const upd = (w: np.ArrayLike, d: np.ArrayLike) => np.subtract(w, np.multiply(0.5, d));
    return [
      { wx: upd(p.wx, g.wx), wh: upd(p.wh, g.wh), wy: upd(p.wy, g.wy), bh: upd(p.bh, g.bh) },
      loss(p, xs, ys) as Arr,
    ];
  };
const stepScan = jit(sgd(lossScan), { name: "stepScan" });
const stepUnrolled = jit(sgd(lossUnrolled as typeof lossScan), { name: "stepUnrolled" });

const unrolled = process.env.RNN_UNROLLED === "1";
let pScan = params0,
  pUnrolled = params0;
for (let i = 0; i < 5; i++) {
  const [nextScan, lScan] = stepScan(pScan, xs, targets);
  pScan = nextScan;
  let line = `step ${i}: loss ${((await lScan.toArray()) as number).toFixed(5)}`;
  if (unrolled) {
    const [nextUnrolled, lUnrolled] = stepUnrolled(pUnrolled, xs, targets);
    pUnrolled = nextUnrolled;
    line += ` (unrolled: ${((await lUnrolled.toArray()) as number).toFixed(5)})`;
  }
  console.log(line);
}
