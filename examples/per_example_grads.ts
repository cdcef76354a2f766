// Per-example gradients (as in differentially private SGD): vmap of grad gives one gradient per
// example in a single jitted call; each is clipped to norm 1 (linalg.norm, clip) before
// averaging. Logistic regression's loss is softplus, which stays finite for any margin.
import { np, nn, jit, grad, vmap, random } from "jitscope";

const [kx, kw, kn] = random.split(random.key(1), 3);
const x = random.normal(kx!, [64, 8]);
const wTrue = random.normal(kw!, [8]);
// Labels in {-1, +1} from a noisy linear rule.
const y = np.sign(np.add(np.matmul(x, wTrue), np.multiply(random.normal(kn!, [64]), 0.5)));

// softplus(-y·w·x) = log(1 + exp(-margin)): logistic loss of one example.
const exampleLoss = (w: np.ArrayLike, xi: np.ArrayLike, yi: np.ArrayLike) =>
  nn.softplus(np.negative(np.multiply(yi, np.dot(xi, w))));

const perExampleGrads = (w: np.ArrayLike, x: np.ArrayLike, y: np.ArrayLike) =>
  vmap(grad(exampleLoss), [null, 0, 0])(w, x, y);

function clippedStep(w: np.ArrayLike, x: np.ArrayLike, y: np.ArrayLike) {
  const g = perExampleGrads(w, x, y); // [64, 8]
  const norms = np.linalg.norm(g, 2, 1, { keepdims: true });
  const clipped = np.multiply(g, np.divide(1, np.clip(norms, 1, null)));
  return np.subtract(w, np.multiply(np.mean(clipped, 0), 0.5));
}
const step = jit(clippedStep, { donate_argnums: 0 }); // each step's weights replace the last's

// The vmapped gradients against a plain loop over the first examples.
const g = perExampleGrads(np.zeros([8]), x, y);
let maxDiff = 0;
for (let i = 0; i < 4; i++) {
  const one = grad(exampleLoss)(np.zeros([8]), np.take(x, i, 0), np.take(y, i, 0));
  const diff = np.max(np.abs(np.subtract(one, np.take(g, i, 0))));
  maxDiff = Math.max(maxDiff, (await diff.toArray()) as number);
}
console.log(`vmap vs loop: max difference ${maxDiff.toExponential(2)}`);

const meanLoss = (w: np.ArrayLike) => np.mean(vmap(exampleLoss, [null, 0, 0])(w, x, y));
let w: np.ArrayLike = np.zeros([8]);
for (let i = 0; i <= 60; i++) {
  if (i % 20 === 0) console.log(`step ${i}: loss ${((await meanLoss(w).toArray()) as number).toFixed(4)}`);
  w = step(w, x, y);
}
