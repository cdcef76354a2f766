// A two-layer MLP learns a smooth function of 8 inputs from synthetic data: jit(step) does the
// forward pass, grad's backward pass and the SGD update in one compiled call.
import { np, jit, grad, random } from "jitscope";

type Params = { w1: np.ArrayLike; b1: np.ArrayLike; w2: np.ArrayLike; b2: np.ArrayLike };

const [k1, k2, k3] = random.split(random.key(0), 3);
const x = random.normal(k1!, [256, 8]);
const y = np.tanh(np.sum(np.multiply(x, 0.5), -1, { keepdims: true }));

let params: Params = {
  w1: np.multiply(random.normal(k2!, [8, 32]), 0.3),
  b1: np.zeros([32]),
  w2: np.multiply(random.normal(k3!, [32, 1]), 0.3),
  b2: np.zeros([1]),
};

function loss(p: Params, x: np.ArrayLike, y: np.ArrayLike) {
  const hidden = np.tanh(np.add(np.matmul(x, p.w1), p.b1));
  const pred = np.add(np.matmul(hidden, p.w2), p.b2);
  return np.mean(np.square(np.subtract(pred, y)));
}

const learningRate = 0.1;
function sgdStep(p: Params, x: np.ArrayLike, y: np.ArrayLike): Params {
  const g = grad(loss)(p, x, y) as Params;
  return {
    w1: np.subtract(p.w1, np.multiply(learningRate, g.w1)),
    b1: np.subtract(p.b1, np.multiply(learningRate, g.b1)),
    w2: np.subtract(p.w2, np.multiply(learningRate, g.w2)),
    b2: np.subtract(p.b2, np.multiply(learningRate, g.b2)),
  };
}
const step = jit(sgdStep, { donate_argnums: 0 }); // each step's params replace the last's

for (let i = 0; i <= 100; i++) {
  if (i % 20 === 0) console.log(`step ${i}: loss ${((await loss(params, x, y).toArray()) as number).toFixed(5)}`);
  params = step(params, x, y);
}
