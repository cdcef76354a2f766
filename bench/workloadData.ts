// The inputs of the bench's side-by-side workloads, as plain Float32Arrays, so every framework
// (ours, jax-js, TensorFlow.js) starts from the same numbers. Each model is written once per
// framework with the same math; shapes and layouts here are row-major NHWC/HWIO, as ours takes them.

export const filled = (length: number, seed: number, scale: number): Float32Array =>
  Float32Array.from({ length }, (_, i) => (((i * 7919 + seed * 104729) % 2001) / 1000 - 1) * scale);

export const CHAIN_N = 1 << 20;
export const chainInput = Float32Array.from({ length: CHAIN_N }, (_, i) => ((i * 7919) % 4001) / 1000 - 2);

export const matmulInputs = (s: number) => ({
  a: Float32Array.from({ length: s * s }, (_, i) => ((i * 31) % 97) / 97 - 0.5),
  b: Float32Array.from({ length: s * s }, (_, i) => ((i * 17) % 89) / 89 - 0.5),
});

/** MLP 784-256-10 on a batch of 128: loss = mean((tanh(x@w1+b1)@w2+b2 − y)²), SGD lr 0.01. */
export const MLP = { batch: 128, inputs: 784, hidden: 256, outputs: 10, lr: 0.01 } as const;
export const mlpData = () => ({
  w1: filled(784 * 256, 1, 0.05),
  b1: filled(256, 2, 0.01),
  w2: filled(256 * 10, 3, 0.1),
  b2: filled(10, 4, 0.01),
  x: filled(128 * 784, 5, 1),
  y: filled(128 * 10, 6, 1),
});
export type MlpData = ReturnType<typeof mlpData>;

/**
 * One GPT-style block on embedded tokens x [B,T,D]: x += attention(ln(x)) (H causal heads,
 * separate q/k/v projections), x += gelu(ln(x)@w1)@w2 (gelu's tanh form), logits = ln(x)@wout;
 * loss = −mean over tokens of Σ onehot·logSoftmax(logits); SGD lr 0.1. ln has no scale or shift.
 */
export const GPT = { B: 4, T: 64, D: 128, H: 4, V: 256, lr: 0.1 } as const;
export const gptData = () => {
  const { B, T, D, V } = GPT;
  const onehot = new Float32Array(B * T * V);
  for (let i = 0; i < B * T; i++) onehot[i * V + ((i * 5 + 3) % V)] = 1;
  const mask = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = 0; j < T; j++) mask[i * T + j] = j <= i ? 0 : -1e9;
  return {
    x: filled(B * T * D, 1, 1),
    wq: filled(D * D, 2, 0.08),
    wk: filled(D * D, 3, 0.08),
    wv: filled(D * D, 4, 0.08),
    wo: filled(D * D, 5, 0.08),
    w1: filled(D * 4 * D, 6, 0.08),
    w2: filled(4 * D * D, 7, 0.05),
    wout: filled(D * V, 8, 0.08),
    onehot,
    mask,
  };
};
export type GptData = ReturnType<typeof gptData>;
export const GPT_PARAMS = ["wq", "wk", "wv", "wo", "w1", "w2", "wout"] as const;

/** A small CNN: 3×3 SAME conv (16 filters) + bias + relu, 2×2 max pool, dense to 10 classes,
 *  softmax cross-entropy on one-hot labels, SGD lr 0.1. x is NHWC [32,16,16,3], w HWIO. */
export const CNN = { n: 32, hw: 16, cin: 3, cout: 16, classes: 10, lr: 0.1 } as const;
export const cnnData = () => {
  const { n, hw, cin, cout, classes } = CNN;
  const onehot = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) onehot[i * classes + (i % classes)] = 1;
  return {
    x: filled(n * hw * hw * cin, 1, 1),
    w: filled(3 * 3 * cin * cout, 2, 0.3),
    b: filled(cout, 3, 0.05),
    dw: filled((hw / 2) * (hw / 2) * cout * classes, 4, 0.05),
    db: filled(classes, 5, 0.01),
    onehot,
  };
};
export type CnnData = ReturnType<typeof cnnData>;

/** One framework's version of a workload: a step to time and its result to check. */
export interface Work {
  step(): void;
  wait(): Promise<void>;
  /** The last step's outputs, flattened, in the order the workload defines. */
  read(): Promise<Float32Array[]>;
}

export interface Framework {
  readonly name: string;
  chain(x: Float32Array): Work;
  matmul(a: Float32Array, b: Float32Array, s: number): Work;
  /** Outputs: the updated w1, b1, w2, b2. */
  mlpStep(d: MlpData): Work;
  /** Output: logits [B,T,V]. */
  gptForward(d: GptData): Work;
  /** Outputs: the updated parameters in GPT_PARAMS order. */
  gptStep(d: GptData): Work;
  /** Outputs: the updated w (HWIO), b, dw, db. */
  cnnStep(d: CnnData): Work;
}
