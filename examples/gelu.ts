// GELU (tanh approximation) on 262,144 floats: nine elementwise ops that jit fuses into one
// kernel, where eager mode launches one kernel per op.
import { np, jit, random } from "jitscope";

function gelu(x: np.ArrayLike) {
  const cube = np.multiply(0.044715, np.multiply(x, np.multiply(x, x)));
  const inner = np.multiply(Math.sqrt(2 / Math.PI), np.add(x, cube));
  return np.multiply(np.multiply(0.5, x), np.add(1, np.tanh(inner)));
}

const x = random.normal(random.key(0), [1 << 18]);
const geluJit = jit(gelu);

for (let i = 0; i < 10; i++) await geluJit(x).blockUntilReady();

const y = geluJit(x);
const mean = await np.mean(y).toArray();
console.log(`mean gelu(x) over ${1 << 18} normal samples: ${(mean as number).toFixed(4)} (expected ≈ 0.28)`);
