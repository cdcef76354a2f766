// Dev measurement (issue 15, scan rows in place), in one process, interleaved: the rnn_scan
// training step (32 steps, grad through lax.scan) compiled three ways — rows bound in place at
// dynamic offsets (the default), the copy fallback (rows copied per step: the previous scheme),
// and as on an adapter with a 256-byte offset alignment (most rows through padded stacks).
// Reports commands per call (copies, row moves, dispatches) and process CPU ms per step (lavapipe
// runs the GPU work on this process's threads, so CPU time counts the work whatever the load).
//   node --import tsx bench/dev/scan_rows_modes.ts      (ROUNDS, default 10)

import { np, lax, jit, grad, initWebGpu, currentBackend, type Array as Arr } from "../../runtime/src/index.js";
import { setLoopLimitsForTests } from "../../runtime/src/backend/scanRows.js";
import type { WebGpuBackend } from "../../runtime/src/backend/webgpu.js";
import { median } from "../measure.js";

await initWebGpu();
const backend = currentBackend() as unknown as WebGpuBackend;
if (backend.name !== "webgpu") throw new Error("needs WebGPU");
const [V, H, T, B] = [27, 32, 32, 4];
const init = (shape: number[], seed: number, scale: number): Arr =>
  np.reshape(
    np.array(
      Float32Array.from(
        { length: shape.reduce((a, b) => a * b, 1) },
        (_, i) => Math.sin(seed * 131 + i * 0.71) * scale,
      ),
    ),
    shape,
  ) as Arr;
const onehot = (shift: number): Arr => {
  const d = new Float32Array(T * B * V);
  for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) d[(t * B + b) * V + ((t * 5 + b * 7 + shift) % V)] = 1;
  return np.reshape(np.array(d), [T, B, V]) as Arr;
};
type P = { wx: Arr; wh: Arr; wy: Arr; bh: Arr };
const cell = (p: P, h: Arr, x: Arr, target: Arr): [Arr, Arr] => {
  const hNew = np.tanh(np.add(np.add(np.matmul(x, p.wx), np.matmul(h, p.wh)), p.bh)) as Arr;
  const logits = np.matmul(hNew, p.wy);
  const z = np.subtract(logits, np.max(logits, -1, { keepdims: true }));
  const logp = np.subtract(z, np.log(np.sum(np.exp(z), -1, { keepdims: true })));
  return [hNew, np.negative(np.mean(np.sum(np.multiply(logp, target), -1))) as Arr];
};
const loss = (p: P, xs: Arr, ys: Arr): Arr =>
  np.mean(lax.scan((h: Arr, [x, y]: [Arr, Arr]) => cell(p, h, x, y), np.zeros([B, H]) as Arr, [xs, ys])[1]) as Arr;
const makeStep = () =>
  jit((p: P, xs: Arr, ys: Arr): [P, Arr] => {
    const g = grad(loss)(p, xs, ys) as P;
    const upd = (w: Arr, d: Arr) => np.subtract(w, np.multiply(0.5, d)) as Arr;
    return [{ wx: upd(p.wx, g.wx), wh: upd(p.wh, g.wh), wy: upd(p.wy, g.wy), bh: upd(p.bh, g.bh) }, loss(p, xs, ys)];
  });

const xs = onehot(0),
  ys = onehot(1);
const p0: P = {
  wx: init([V, H], 1, 0.3),
  wh: init([H, H], 2, 0.15),
  wy: init([H, V], 3, 0.3),
  bh: np.zeros([H]) as Arr,
};
const modes = { "in place": {}, "copy fallback": { maxDynamic: 0 }, "align 256": { rowAlign: 256 } } as const;
type Mode = keyof typeof modes;
const steps = new Map<Mode, ReturnType<typeof makeStep>>();
for (const [name, limits] of Object.entries(modes) as [Mode, object][]) {
  setLoopLimitsForTests(limits); // read when the step is compiled (its first call)
  const f = makeStep();
  for (let i = 0; i < 2; i++) await f(p0, xs, ys)[1].data();
  steps.set(name, f);
}
setLoopLimitsForTests({});

const cpu = new Map<Mode, number[]>([...steps.keys()].map((m) => [m, []]));
const rounds = Number(process.env.ROUNDS ?? 10);
const calls = 10;
for (let r = 0; r < rounds; r++) {
  for (const [name, f] of steps) {
    const s0 = backend.stats();
    const c0 = process.cpuUsage();
    let out: [P, Arr] | null = null;
    for (let i = 0; i < calls; i++) out = f(p0, xs, ys);
    await out![1].data();
    const c = process.cpuUsage(c0);
    cpu.get(name)!.push((c.user + c.system) / 1000 / calls);
    if (r === 0) {
      const s1 = backend.stats();
      const per = (k: "copies" | "restrides" | "dispatches") => (s1[k] - s0[k]) / calls;
      console.log(
        `${name}: per call ${per("copies")} copies, ${per("restrides")} row moves, ${per("dispatches")} dispatches`,
      );
    }
  }
}
for (const [name, v] of cpu)
  console.log(`${name}: process CPU ms/step median ${median(v).toFixed(2)}  [${v.map((x) => x.toFixed(1)).join(" ")}]`);
