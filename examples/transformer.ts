// One GPT-style block on a batch of token ids: an embedding lookup (one gather kernel that reads
// only the looked-up rows, as vec4, with the position add), layer norm, causal self-attention
// with two heads, and a GELU MLP, trained for a few steps to predict the next token. The
// embedding's gradient is a scatter-add.
import { np, jit, grad, random, nn } from "jitscope";

const [B, T, V, D, H] = [2, 16, 64, 32, 2];
const hd = D / H;
type Params = Record<"emb" | "pos" | "wqkv" | "wo" | "w1" | "w2" | "wout", np.ArrayLike>;

const keys = [...random.split(random.key(7), 8)];
const init = (k: number, shape: number[], scale: number) => np.multiply(random.normal(keys[k]!, shape), scale);
let params: Params = {
  emb: init(0, [V, D], 0.1),
  pos: init(1, [T, D], 0.1),
  wqkv: init(2, [D, 3 * D], 0.1),
  wo: init(3, [D, D], 0.1),
  w1: init(4, [D, 4 * D], 0.1),
  w2: init(5, [4 * D, D], 0.1),
  wout: init(6, [D, V], 0.1),
};
// Token ids: a repeating ramp, so the next token is predictable.
const ids = np.array(
  Array.from({ length: B }, (_, b) => Array.from({ length: T + 1 }, (_, t) => (3 * b + 5 * t) % V)),
  { dtype: "int32" },
);
const inputs = ids.at(null, ":-1").get();
const targets = ids.at(null, "1:").get().reshape(B, T, 1);

function layerNorm(x: np.ArrayLike) {
  const mean = np.mean(x, -1, { keepdims: true });
  const centered = np.subtract(x, mean);
  const variance = np.mean(np.square(centered), -1, { keepdims: true });
  return np.divide(centered, np.sqrt(np.add(variance, 1e-5)));
}

const causal = np.greater_equal(np.arange(T).reshape(T, 1), np.arange(T).reshape(1, T)); // tril

function attention(p: Params, x: np.ArrayLike) {
  const qkv = np.matmul(x, p.wqkv).reshape(B, T, 3, H, hd);
  const heads = (i: number) => np.transpose(qkv.at(null, null, i).get(), [0, 2, 1, 3]); // [B, H, T, hd]
  const [q, k, v] = [heads(0), heads(1), heads(2)];
  const scores = np.multiply(np.matmul(q, np.swapaxes(k, -1, -2)), 1 / Math.sqrt(hd));
  const weights = nn.softmax(np.where(causal, scores, -1e9));
  const out = np.transpose(np.matmul(weights, v), [0, 2, 1, 3]).reshape(B, T, D);
  return np.matmul(out, p.wo);
}

function logits(p: Params, tokens: np.ArrayLike) {
  const embedded = np.take(p.emb, tokens as never, 0); // [B, T, D]: the embedding lookup
  let x = np.add(embedded, p.pos);
  x = np.add(x, attention(p, layerNorm(x)));
  x = np.add(x, np.matmul(nn.gelu(np.matmul(layerNorm(x), p.w1)), p.w2));
  return np.matmul(layerNorm(x), p.wout);
}

function loss(p: Params, tokens: np.ArrayLike, next: np.ArrayLike) {
  return np.negative(np.mean(np.take_along_axis(nn.logSoftmax(logits(p, tokens)), next as never, -1)));
}

const lr = 0.5;
const step = jit((p: Params, tokens: np.ArrayLike, next: np.ArrayLike): Params => {
  const g = grad(loss)(p, tokens, next) as Params;
  const out = {} as Params;
  for (const k of Object.keys(p) as (keyof Params)[]) out[k] = np.subtract(p[k], np.multiply(lr, g[k]));
  return out;
});

// The lookup alone, beside a copy of the same rows, to compare their kernels in the profile.
const lookup = jit((emb: np.ArrayLike, tokens: np.ArrayLike) => np.take(emb, tokens as never, 0));
const copyRows = jit((rows: np.ArrayLike) => np.negative(rows));
const rows = lookup(params.emb, inputs);
for (let i = 0; i < 5; i++) await copyRows(lookup(params.emb, inputs)).blockUntilReady();
void rows;

for (let i = 0; i <= 4; i++) {
  if (i % 2 === 0)
    console.log(`step ${i}: loss ${((await loss(params, inputs, targets).toArray()) as number).toFixed(4)}`);
  params = step(params, inputs, targets);
}
