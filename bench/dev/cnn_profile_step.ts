// The bench's CNN training step (bench/workloadData.ts CNN, bench/peers/ours.ts) as a plain
// script, for `node dist/cli.mjs profile bench/dev/cnn_profile_step.ts --timing every`: its
// kernels by GPU time. Inputs are deterministic waves, not the bench's data (same shapes).
import { np, jit, grad, nn, lax } from "jitscope";

const [n, hw, cin, cout, classes, lr] = [32, 16, 3, 16, 10, 0.1];
type T = np.ArrayLike;
type Cnn = { w: T; b: T; dw: T; db: T };

function cnnLoss(p: Cnn, x: T, onehot: T) {
  const h = nn.relu(
    np.add(lax.conv_general_dilated(x, p.w, [1, 1], "SAME", { dimension_numbers: ["NHWC", "HWIO", "NHWC"] }), p.b),
  );
  const pooled = np.reshape(nn.max_pool(h, [2, 2], [2, 2]), [n, (hw / 2) * (hw / 2) * cout]);
  const logits = np.add(np.matmul(pooled, p.dw), p.db);
  return np.negative(np.mean(np.sum(np.multiply(onehot, nn.logSoftmax(logits, -1)), -1)));
}

const wave = (k: number, s: number[]) =>
  np.multiply(
    np.sin(
      np
        .arange(s.reduce((a, b) => a * b, 1))
        .reshape(s)
        .astype("float32"),
    ),
    k,
  );
let p: Cnn = {
  w: wave(0.3, [3, 3, cin, cout]),
  b: wave(0.1, [cout]),
  dw: wave(0.05, [(hw / 2) * (hw / 2) * cout, classes]),
  db: wave(0.1, [classes]),
};
const x = wave(1, [n, hw, hw, cin]);
const onehot = np
  .equal(np.arange(classes).reshape(1, classes), np.remainder(np.arange(n), classes).reshape(n, 1))
  .astype("float32");
const step = jit((q: Cnn, xb: T, o: T): Cnn => {
  const g = grad(cnnLoss)(q, xb, o) as Cnn;
  const upd = (k: keyof Cnn) => np.subtract(q[k], np.multiply(lr, g[k]));
  return { w: upd("w"), b: upd("b"), dw: upd("dw"), db: upd("db") };
});
const steps = Number(process.env.STEPS ?? 20);
for (let i = 0; i < steps; i++) p = step(p, x, onehot);
console.log(`loss after ${steps} steps: ${String(await np.array(cnnLoss(p, x, onehot)).toArray())}`);
