// Single-head scaled dot-product attention: softmax(q kᵀ / √d) v for 256 tokens of width 64.
import { np, jit, nn, random } from "jitscope";

const tokens = 256;
const width = 64;

function attention(q: np.ArrayLike, k: np.ArrayLike, v: np.ArrayLike) {
  const scores = np.divide(np.matmul(q, np.transpose(k)), Math.sqrt(width));
  const weights = nn.softmax(scores, -1);
  return np.matmul(weights, v);
}

const [kq, kk, kv] = random.split(random.key(2), 3);
const q = random.normal(kq!, [tokens, width]);
const k = random.normal(kk!, [tokens, width]);
const v = random.normal(kv!, [tokens, width]);

const attentionJit = jit(attention);
for (let i = 0; i < 10; i++) await attentionJit(q, k, v).blockUntilReady();

const out = attentionJit(q, k, v);
console.log("output shape:", out.shape.join("×"), "first value:", ((await out.data())[0] ?? NaN).toFixed(4));
