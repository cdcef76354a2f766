// Generated programs for compile-scaling measurements and fuse's decision snapshot: a stack of
// residual MLP-ish blocks (about 38 ops each), a GPT-style training step (SGD, or AdamW after
// global-norm clipping with a warmup-cosine schedule, as real training steps are written) and the
// Jacobian of an RK4 step.

import { grad, jacfwd, np, optim } from "../runtime/src/index.js";
import type { Tracer } from "../runtime/src/trace/core.js";

type T = Tracer;

/** Deterministic weights of a shape. */
const weights = (shape: number[], seed: number): T => {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 97 + i * 0.37) * 0.1);
  return np.reshape(np.array(data), shape);
};

/** A residual MLP-ish block (layer norm, matmul, gelu-like, residual), ~25 ops, plus `extra`
 *  random elementwise ops reading earlier values (sharing, to exercise cse/fuse decisions). */
function block(x: T, w: T, b: T, seed: number): T {
  const mu = np.mean(x, -1, { keepdims: true });
  const d = np.subtract(x, mu);
  const v = np.mean(np.square(d), -1, { keepdims: true });
  const n = np.divide(d, np.sqrt(np.add(v, 1e-5)));
  const h = np.add(np.matmul(n, w), b);
  const g = np.multiply(
    np.multiply(h, 0.5),
    np.add(np.tanh(np.multiply(np.add(h, np.multiply(np.multiply(np.multiply(h, h), h), 0.044715)), 0.7978845608)), 1),
  );
  const pool: T[] = [x, d, n, h, g];
  let r = g;
  for (let i = 0; i < 4; i++) {
    const a = pool[(seed * 7 + i * 3) % pool.length]!;
    r = i % 2 ? np.add(r, np.multiply(a, 0.1)) : np.subtract(r, np.exp(np.negative(np.square(a))));
  }
  return np.add(x, r);
}

export function generated(blocks: number): { f: (x: T) => T; args: T[] } {
  const W = Array.from({ length: blocks }, (_, i) => weights([32, 32], i));
  const B = Array.from({ length: blocks }, (_, i) => weights([32], i + 1000));
  return {
    f: (x: T) => {
      let h = x;
      for (let i = 0; i < blocks; i++) h = block(h, W[i]!, B[i]!, i);
      return np.sum(h);
    },
    args: [weights([8, 32], 7)],
  };
}

/** A GPT-style training step: embeddings, 2 blocks of causal attention + MLP, loss, grad, SGD. */
export function gptStep(): { f: (...a: T[]) => unknown; args: T[] } {
  const { params, loss, onehot } = gptModel();
  const step = (...a: T[]) => {
    const ps = a.slice(0, params.length);
    const g = grad((p: T[]) => loss(p, a[params.length]!, a[params.length + 1]!))(ps) as T[];
    return ps.map((p, i) => np.subtract(p, np.multiply(g[i]!, 0.01)));
  };
  return { f: step, args: [...params, onehot, onehot] };
}

/** The same step with optax-style AdamW after global-norm clipping, its learning rate from a
 *  warmup-cosine schedule of the step count: an update per parameter that shares the schedule's
 *  scalars and the clipping's norm, where fuse decides many shared values. */
export function gptAdamwStep(): { f: (...a: T[]) => unknown; args: T[] } {
  const { params, loss, onehot } = gptModel();
  const schedule = optim.warmup_cosine_decay_schedule(0, 1e-2, 5, 100, { end_value: 1e-3 });
  const opt = optim.chain(optim.clip_by_global_norm(1.0), optim.adamw(schedule, { weight_decay: 1e-4 }));
  type State = ReturnType<typeof opt.init>;
  const step = (ps: T[], state: State, x: T, y: T) => {
    const g = grad((p: T[]) => loss(p, x, y))(ps) as T[];
    const [updates, next] = opt.update(g, state, ps);
    return [optim.apply_updates(ps, updates), next];
  };
  return { f: step as never, args: [params, opt.init(params), onehot, onehot] as never };
}

function gptModel() {
  const D = 32,
    S = 16,
    V = 64,
    H = 4,
    L = 2;
  const params: T[] = [weights([V, D], 1)];
  for (let l = 0; l < L; l++)
    params.push(
      weights([D, 3 * D], 10 + l),
      weights([D, D], 20 + l),
      weights([D, 4 * D], 30 + l),
      weights([4 * D, D], 40 + l),
    );
  const ln = (x: T) => {
    const d = np.subtract(x, np.mean(x, -1, { keepdims: true }));
    return np.divide(d, np.sqrt(np.add(np.mean(np.square(d), -1, { keepdims: true }), 1e-5)));
  };
  const mask = np.where(np.greater(np.arange(S).reshape([S, 1]), np.arange(S).reshape([1, S])), -1e9, 0);
  const loss = (ps: T[], onehot: T, target: T) => {
    let x = np.matmul(onehot, ps[0]!);
    for (let l = 0; l < L; l++) {
      const [wqkv, wo, w1, w2] = ps.slice(1 + 4 * l, 5 + 4 * l) as [T, T, T, T];
      const qkv = np.matmul(ln(x), wqkv);
      const heads = (k: number) =>
        np.transpose(np.reshape(np.slice(qkv, [0, k * D], [S, (k + 1) * D]), [S, H, D / H]), [1, 0, 2]);
      const [q, kk, v] = [heads(0), heads(1), heads(2)];
      const att = np.add(np.multiply(np.matmul(q, np.transpose(kk, [0, 2, 1])), 1 / Math.sqrt(D / H)), mask);
      const e = np.exp(np.subtract(att, np.max(att, -1, { keepdims: true })));
      const p = np.divide(e, np.sum(e, -1, { keepdims: true }));
      const o = np.reshape(np.transpose(np.matmul(p, v), [1, 0, 2]), [S, D]);
      x = np.add(x, np.matmul(o, wo));
      x = np.add(x, np.matmul(np.tanh(np.matmul(ln(x), w1)), w2));
    }
    const logits = np.matmul(ln(x), np.transpose(ps[0]!));
    const z = np.subtract(logits, np.max(logits, -1, { keepdims: true }));
    const lse = np.log(np.sum(np.exp(z), -1, { keepdims: true }));
    return np.negative(np.mean(np.sum(np.multiply(np.subtract(z, lse), target), -1)));
  };
  const onehot = np.reshape(
    np.array(Float32Array.from({ length: S * V }, (_, i) => (i % V === (Math.floor(i / V) * 7) % V ? 1 : 0))),
    [S, V],
  );
  return { params, loss, onehot };
}

/** The forward-mode Jacobian of one RK4 step of a double pendulum (the pendulum_scan fixture's):
 *  hundreds of ops on scalars and 4-vectors, where every small kernel could merge with many
 *  others of its shape and the buffer limit decides which do (fuse builds kernels many times). */
export function rk4Jacobian(): { f: (s: T) => T; args: T[] } {
  const [g, l1, l2, m1, m2, dt] = [9.81, 1.0, 0.8, 1.0, 0.6, 0.01];
  const dynamics = (s: T): T => {
    const [t1, t2, w1, w2] = [0, 1, 2, 3].map((i) => np.reshape(np.slice(s, [i], [i + 1]), []));
    const d = np.subtract(t1!, t2!);
    const den = np.subtract(2 * m1 + m2, np.multiply(m2, np.cos(np.multiply(2, d))));
    const a1 = np.divide(
      np.subtract(
        np.subtract(
          np.multiply(-g * (2 * m1 + m2), np.sin(t1!)),
          np.multiply(m2 * g, np.sin(np.subtract(t1!, np.multiply(2, t2!)))),
        ),
        np.multiply(
          np.multiply(2 * m2, np.sin(d)),
          np.add(np.multiply(l2, np.square(w2!)), np.multiply(np.multiply(l1, np.square(w1!)), np.cos(d))),
        ),
      ),
      np.multiply(l1, den),
    );
    const a2 = np.divide(
      np.multiply(
        np.multiply(2, np.sin(d)),
        np.add(
          np.add(np.multiply((m1 + m2) * l1, np.square(w1!)), np.multiply(g * (m1 + m2), np.cos(t1!))),
          np.multiply(np.multiply(m2 * l2, np.square(w2!)), np.cos(d)),
        ),
      ),
      np.multiply(l2, den),
    );
    return np.stack([w1!, w2!, a1, a2]);
  };
  const rk4 = (s: T): T => {
    const k1 = dynamics(s);
    const k2 = dynamics(np.add(s, np.multiply(dt / 2, k1)));
    const k3 = dynamics(np.add(s, np.multiply(dt / 2, k2)));
    const k4 = dynamics(np.add(s, np.multiply(dt, k3)));
    return np.add(s, np.multiply(dt / 6, np.add(np.add(k1, np.multiply(2, k2)), np.add(np.multiply(2, k3), k4))));
  };
  return { f: (s: T) => jacfwd(rk4)(s) as T, args: [np.array([Math.PI / 2, Math.PI / 4, 0, 0])] };
}
