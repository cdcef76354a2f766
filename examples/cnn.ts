// A small CNN tells vertical stripes from horizontal ones: a 3×3 convolution with its bias and
// relu fused into the conv kernel, 2×2 max pooling, a dense layer, and a softmax cross-entropy
// that picks each label's log-probability with take_along_axis. jit(step) trains it.
import { np, jit, grad, random, nn, lax } from "jitscope";

type Params = { w: np.ArrayLike; b: np.ArrayLike; dw: np.ArrayLike; db: np.ArrayLike };

// 32 images of 8×8×1 (NHWC): label 0 = stripes along columns, 1 = along rows, with noise.
const n = 32;
const [kNoise, kConv, kDense] = random.split(random.key(1), 3);
const phase = np.arange(8).reshape(1, 8);
const vertical = np.broadcast_to(np.cos(np.multiply(phase, Math.PI / 2)), [8, 8]);
const horizontal = np.transpose(vertical);
const y = np.array(
  Array.from({ length: n }, (_, i) => [i % 2]),
  { dtype: "int32" },
); // [n, 1]
const clean = np.where(np.equal(y, 1).reshape(n, 1, 1), horizontal, vertical);
const images = np.add(clean, np.multiply(random.normal(kNoise!, [n, 8, 8]), 0.3)).reshape(n, 8, 8, 1);

let params: Params = {
  w: np.multiply(random.normal(kConv!, [3, 3, 1, 4]), 0.5),
  b: np.zeros([4]),
  dw: np.multiply(random.normal(kDense!, [4 * 4 * 4, 2]), 0.2),
  db: np.zeros([2]),
};

function logits(p: Params, x: np.ArrayLike) {
  const h = nn.relu(
    np.add(lax.conv_general_dilated(x, p.w, [1, 1], "SAME", { dimension_numbers: ["NHWC", "HWIO", "NHWC"] }), p.b),
  );
  const pooled = nn.max_pool(h, [2, 2], [2, 2]); // [n, 4, 4, 4]
  return np.add(np.matmul(pooled.reshape(n, 4 * 4 * 4), p.dw), p.db);
}

function loss(p: Params, x: np.ArrayLike, labels: np.ArrayLike) {
  const logp = nn.logSoftmax(logits(p, x));
  return np.negative(np.mean(np.take_along_axis(logp, labels as never, 1)));
}

const lr = 0.2;
const step = jit(
  (p: Params, x: np.ArrayLike, labels: np.ArrayLike): Params => {
    const g = grad(loss)(p, x, labels) as Params;
    return {
      w: np.subtract(p.w, np.multiply(lr, g.w)),
      b: np.subtract(p.b, np.multiply(lr, g.b)),
      dw: np.subtract(p.dw, np.multiply(lr, g.dw)),
      db: np.subtract(p.db, np.multiply(lr, g.db)),
    };
  },
  { donate_argnums: 0 },
);

for (let i = 0; i <= 12; i++) {
  if (i % 4 === 0) console.log(`step ${i}: loss ${((await loss(params, images, y).toArray()) as number).toFixed(4)}`);
  params = step(params, images, y);
}
