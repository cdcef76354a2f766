// Gradient checkpointing (jax.checkpoint): 6 residual blocks trained with and without
// checkpoint per block. Both compile forward and backward into one program; with checkpoint the
// backward pass recomputes each block's tanh activations (look for `remat(block)` under
// `transpose` in the IR, and `optimization_barrier`) instead of keeping all six from the forward
// pass, so the memory plan's peak is lower by five [512, 256] activations (2.5 MiB) — compare the
// two compilations' memory in the profiler. The gradients are the same.
import { np, jit, grad, checkpoint, random } from "jitscope";

type Block = { w1: np.ArrayLike; w2: np.ArrayLike };
const L = 6,
  B = 512,
  D = 64,
  H = 256;

function block(p: Block, x: np.ArrayLike) {
  return np.add(x, np.matmul(np.tanh(np.matmul(x, p.w1)), p.w2));
}

function makeLoss(f: typeof block) {
  return function loss(ps: Block[], x: np.ArrayLike) {
    let h = x;
    for (const p of ps) h = f(p, h);
    return np.mean(np.multiply(h, h));
  };
}

const keys = [...random.split(random.key(0), 2 * L + 1)];
const ps: Block[] = Array.from({ length: L }, (_, i) => ({
  w1: np.multiply(random.normal(keys[2 * i]!, [D, H]), 0.05),
  w2: np.multiply(random.normal(keys[2 * i + 1]!, [H, D]), 0.05),
}));
const x = random.normal(keys[2 * L]!, [B, D]);

const plainGrad = jit(grad(makeLoss(block)), { name: "grad_plain" });
const rematGrad = jit(grad(makeLoss(checkpoint(block))), { name: "grad_remat" });

for (const [name, g] of [
  ["plain", plainGrad],
  ["checkpoint", rematGrad],
] as const) {
  const lo = await g.lower(ps, x);
  console.log(`${name}: ${lo.kernels.length} kernels, peak ${(lo.peakBytes / 2 ** 20).toFixed(2)} MiB`);
}
const a = plainGrad(ps, x);
const b = rematGrad(ps, x);
const diff = np.max(np.abs(np.subtract(a[0]!.w1, b[0]!.w1))); // first block's w1
console.log(
  `max |difference| of the first block's w1 gradient: ${((await diff.toArray()) as number).toExponential(2)}`,
);
