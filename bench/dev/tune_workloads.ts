// The bench's elementwise chain (2^20 floats) and CNN training step (bench/peers/ours.ts, same
// shapes and data), written against the "jitscope" package so `jitscope tune` can run them and
// report what the autotuner chose for the chain's kernel and the CNN's convs:
//   node dist/cli.mjs tune bench/dev/tune_workloads.ts [--tune-budget MS]
import { np, nn, lax, jit, grad } from "jitscope";
import { CHAIN_N, chainInput, CNN, cnnData } from "../workloadData.js";

const arr = (data: Float32Array, shape: number[]) => np.reshape(np.array(data), shape);
const chain = jit((v: np.ArrayLike) =>
  np.subtract(np.multiply(np.tanh(np.add(np.multiply(v, 1.5), 0.5)), v), np.exp(np.negative(np.multiply(v, v)))),
);
const x = arr(chainInput, [CHAIN_N]);
for (let i = 0; i < 5; i++) await chain(x).blockUntilReady();

type Cnn = { w: np.ArrayLike; b: np.ArrayLike; dw: np.ArrayLike; db: np.ArrayLike };
const { n, hw, cin, cout, classes, lr } = CNN;
function cnnLoss(p: Cnn, xb: np.ArrayLike, onehot: np.ArrayLike) {
  const h = nn.relu(
    np.add(lax.conv_general_dilated(xb, p.w, [1, 1], "SAME", { dimension_numbers: ["NHWC", "HWIO", "NHWC"] }), p.b),
  );
  const pooled = np.reshape(nn.max_pool(h, [2, 2], [2, 2]), [n, (hw / 2) * (hw / 2) * cout]);
  const logits = np.add(np.matmul(pooled, p.dw), p.db);
  return np.negative(np.mean(np.sum(np.multiply(onehot, nn.logSoftmax(logits, -1)), -1)));
}
const d = cnnData();
let p: Cnn = {
  w: arr(d.w, [3, 3, cin, cout]),
  b: arr(d.b, [cout]),
  dw: arr(d.dw, [(hw / 2) * (hw / 2) * cout, classes]),
  db: arr(d.db, [classes]),
};
const step = jit((q: Cnn, xb: np.ArrayLike, o: np.ArrayLike): Cnn => {
  const g = grad(cnnLoss)(q, xb, o) as Cnn;
  return {
    w: np.subtract(q.w, np.multiply(lr, g.w)),
    b: np.subtract(q.b, np.multiply(lr, g.b)),
    dw: np.subtract(q.dw, np.multiply(lr, g.dw)),
    db: np.subtract(q.db, np.multiply(lr, g.db)),
  };
});
const [xb, onehot] = [arr(d.x, [n, hw, hw, cin]), arr(d.onehot, [n, classes])];
for (let i = 0; i < 5; i++) p = step(p, xb, onehot);
console.log(`cnn w sum ${((await np.sum(p.w).toArray()) as number).toFixed(4)}`);
