// The char-RNN training step of examples/rnn_scan.ts written two ways, lax.scan and a JS loop
// (unrolled at trace time): compile time of each (trace + every pass, CPU reference backend, no
// device work), kernels compiled, and the losses of a few SGD steps, which must agree.
// Issue 15's target: the scan version compiles at least 10× faster at 32 steps.
//
//   node --import tsx bench/rnn_scan_compile.ts [steps=32] [--append FILE]  (npm run bench appends
//   its table to bench/results/latest.md)

import { appendFileSync } from "node:fs";
import { config, grad, jit, lax, np } from "../runtime/src/index.js";
import type { Tracer } from "../runtime/src/trace/core.js";

config({ backend: "cpu" });
type T = Tracer;
const STEPS = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 32);
const appendTo = process.argv.includes("--append") ? process.argv[process.argv.indexOf("--append") + 1] : undefined;
const V = 27,
  H = 32,
  B = 4;

const init = (shape: number[], seed: number, scale: number) =>
  np.reshape(
    np.array(
      Float32Array.from(
        { length: shape.reduce((a, b) => a * b, 1) },
        (_, i) => Math.sin(seed * 131 + i * 0.71) * scale,
      ),
    ),
    shape,
  );
const oneHot = (shift: number) => {
  const d = new Float32Array(STEPS * B * V);
  for (let t = 0; t < STEPS; t++) for (let b = 0; b < B; b++) d[(t * B + b) * V + ((t * 5 + b * 7 + shift) % V)] = 1;
  return np.reshape(np.array(d), [STEPS, B, V]);
};
type P = { wx: T; wh: T; wy: T; bh: T };
const params: P = { wx: init([V, H], 1, 0.3), wh: init([H, H], 2, 0.15), wy: init([H, V], 3, 0.3), bh: np.zeros([H]) };
const xs = oneHot(0),
  ys = oneHot(1);

function cell(p: P, h: T, x: T, y: T): [T, T] {
  const hn = np.tanh(np.add(np.add(np.matmul(x, p.wx), np.matmul(h, p.wh)), p.bh));
  const logits = np.matmul(hn, p.wy);
  const z = np.subtract(logits, np.max(logits, -1, { keepdims: true }));
  const logp = np.subtract(z, np.log(np.sum(np.exp(z), -1, { keepdims: true })));
  return [hn, np.negative(np.mean(np.sum(np.multiply(logp, y), -1)))];
}
const lossScan = (p: P, xs: T, ys: T) =>
  np.mean(lax.scan((h: T, [x, y]: [T, T]) => cell(p, h, x, y), np.zeros([B, H]), [xs, ys])[1]);
const lossUnrolled = (p: P, xs: T, ys: T) => {
  let h = np.zeros([B, H]);
  let total: T = np.zeros([]);
  for (let t = 0; t < STEPS; t++) {
    const row = (a: T) => np.reshape(np.slice(a, [t, 0, 0], [t + 1, B, V]), [B, V]);
    const [hn, l] = cell(p, h, row(xs), row(ys));
    h = hn;
    total = np.add(total, l);
  }
  return np.divide(total, STEPS);
};
const sgd =
  (loss: typeof lossScan) =>
  (p: P, xs: T, ys: T): [P, T] => {
    const g = grad(loss)(p, xs, ys) as P;
    const u = (w: T, d: T) => np.subtract(w, np.multiply(0.5, d));
    return [{ wx: u(p.wx, g.wx), wh: u(p.wh, g.wh), wy: u(p.wy, g.wy), bh: u(p.bh, g.bh) }, loss(p, xs, ys)];
  };

const results: { name: string; compileMs: number; kernels: number; ops: number; losses: number[] }[] = [];
for (const [name, loss] of [
  ["scan", lossScan],
  ["unrolled", lossUnrolled],
] as const) {
  const step = jit(sgd(loss), { name });
  const t0 = performance.now();
  const lo = await step.lower(params, xs, ys);
  const compileMs = performance.now() - t0;
  let p = params;
  const losses: number[] = [];
  for (let i = 0; i < 3; i++) {
    const [next, l] = step(p, xs, ys) as [P, T];
    losses.push((await l.data())[0]!);
    p = next;
  }
  results.push({ name, compileMs, kernels: lo.kernels.length, ops: lo.program.eqns.length, losses });
  console.log(
    `${name.padEnd(9)} ${STEPS} steps: compile ${compileMs.toFixed(0)} ms, ${lo.program.eqns.length} top-level eqns, ${lo.kernels.length} kernels compiled, losses ${losses.map((l) => l.toFixed(6)).join(" ")}`,
  );
}
const [s, u] = [results[0]!, results[1]!];
const maxDiff = Math.max(...s.losses.map((l, i) => Math.abs(l - u.losses[i]!)));
console.log(
  `unrolled/scan compile time: ${(u.compileMs / s.compileMs).toFixed(1)}× (target ≥ 10×); max loss difference ${maxDiff.toExponential(2)}`,
);
const ratio = u.compileMs / s.compileMs;
if (appendTo)
  appendFileSync(
    appendTo,
    `\nLoops (bench/rnn_scan_compile.ts): the char-RNN training step of examples/rnn_scan.ts, ${STEPS} steps, compiled (trace and every pass, CPU reference backend) as a lax.scan and as a JS loop unrolled at trace time; one compile each.\n\n` +
      `| program | compile | top-level eqns | kernels | losses of 3 SGD steps |\n|---|---|---|---|---|\n` +
      results
        .map(
          (r) =>
            `| ${r.name} | ${r.compileMs.toFixed(0)} ms | ${r.ops} | ${r.kernels} | ${r.losses.map((l) => l.toFixed(6)).join(", ")} |`,
        )
        .join("\n") +
      `\n\nunrolled / scan compile time: ${ratio.toFixed(1)}× (target ≥ 10× ${ratio >= 10 ? "✓" : "✗"}); largest loss difference ${maxDiff.toExponential(2)}.\n`,
  );
