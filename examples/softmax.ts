// Row-wise softmax of a [512, 1024] matrix, written out by hand: max, subtract, exp, sum, divide.
// On a device with subgroups it is one row-local kernel (its fusion reason says why); without,
// the reductions split it into kernels and the report's lines say why each boundary exists.
import { np, jit, random } from "jitscope";

function softmax(logits: np.ArrayLike) {
  const shifted = np.subtract(logits, np.max(logits, -1, { keepdims: true }));
  const e = np.exp(shifted);
  return np.divide(e, np.sum(e, -1, { keepdims: true }));
}

const logits = random.normal(random.key(1), [512, 1024]);
const softmaxJit = jit(softmax);

for (let i = 0; i < 10; i++) await softmaxJit(logits).blockUntilReady();

const rowSums = await np.sum(softmaxJit(logits), -1).data();
console.log(`row sums: min ${Math.min(...rowSums).toFixed(5)}, max ${Math.max(...rowSums).toFixed(5)} (expected 1)`);
