// A classifier trained the way a JAX user writes it: integer labels from random.randint,
// nn.one_hot targets, softmax cross-entropy on nn.log_softmax, and optim.adam, with the whole
// training step (forward, grad, Adam update) as one jitted function, which takes the storage of
// the parameters and Adam state it replaces (donate_argnums).
import { np, nn, jit, grad, random, optim } from "jitscope";

const classes = 4;
const [kc, ky, kx, k1, k2] = random.split(random.key(0), 5);
// Each class is a cloud around its own centre; the labels pick the centres.
const centres = np.multiply(random.normal(kc!, [classes, 16]), 0.6);
const labels = random.randint(ky!, [512], 0, classes);
const x = np.add(np.take(centres, labels, 0), random.normal(kx!, [512, 16]));

type Params = { w1: np.ArrayLike; b1: np.ArrayLike; w2: np.ArrayLike; b2: np.ArrayLike };
const init: Params = {
  w1: np.multiply(random.normal(k1!, [16, 32]), 0.25),
  b1: np.zeros([32]),
  w2: np.multiply(random.normal(k2!, [32, classes]), 0.25),
  b2: np.zeros([classes]),
};

function loss(p: Params, x: np.ArrayLike, y: np.ArrayLike) {
  const hidden = nn.relu(np.add(np.matmul(x, p.w1), p.b1));
  const logits = np.add(np.matmul(hidden, p.w2), p.b2);
  return np.negative(np.mean(np.sum(np.multiply(nn.one_hot(y, classes), nn.log_softmax(logits)), -1)));
}

const opt = optim.adam(0.01);
function trainStep(p: Params, state: optim.AdamState, x: np.ArrayLike, y: np.ArrayLike): [Params, optim.AdamState] {
  const grads = grad(loss)(p, x, y);
  const [updates, next] = opt.update(grads, state, p);
  return [optim.apply_updates(p, updates), next];
}
const step = jit(trainStep, { donate_argnums: [0, 1] });

let params = init;
let state = opt.init(params);
for (let i = 0; i <= 100; i++) {
  if (i % 25 === 0) console.log(`step ${i}: loss ${((await loss(params, x, labels).toArray()) as number).toFixed(4)}`);
  [params, state] = step(params, state, x, labels);
}
const hidden = nn.relu(np.add(np.matmul(x, params.w1), params.b1));
const predicted = np.argmax(np.add(np.matmul(hidden, params.w2), params.b2), -1);
const accuracy = (await np.mean(np.equal(predicted, labels)).toArray()) as number;
console.log(`accuracy ${accuracy.toFixed(3)}`);
