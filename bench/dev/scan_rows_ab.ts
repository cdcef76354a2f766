// Dev measurement (issue 15, scan rows in place): the step time of examples/rnn_scan.ts's model
// (a 32-step RNN trained with grad through lax.scan) with two runtime bundles, A and B, in
// alternating child processes (A, B, A, B, …), so load on the machine hits both alike.
//   BASE: a dist/runtime.mjs built from the commit before (e.g. `git archive <rev> | tar -x -C
//   /tmp/base && ln -s $PWD/node_modules /tmp/base/ && (cd /tmp/base && npm run build)`).
//   node --import tsx bench/dev/scan_rows_ab.ts /tmp/base/dist/runtime.mjs dist/runtime.mjs
// Env: AB_ROUNDS (child processes per side, default 5), AB_CALLS (timed calls per block, 20),
// AB_BLOCKS (blocks per child, 5). Prints each child's median wall ms, host-encode ms and process
// CPU ms per step, then the medians.

import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { loadavg } from "node:os";

type Runtime = typeof import("../../runtime/src/index.js");
type Arr = InstanceType<Runtime["Array"]>;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function child(bundle: string): Promise<void> {
  const rt = (await import(pathToFileURL(resolve(bundle)).href)) as Runtime;
  await rt.initWebGpu();
  if (rt.currentBackend().name !== "webgpu") throw new Error("needs WebGPU");
  const { np, lax, jit, grad } = rt;
  const [V, H, T, B] = [27, 32, 32, 4];
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
  const onehot = (shift: number) => {
    const d = new Float32Array(T * B * V);
    for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) d[(t * B + b) * V + ((t * 5 + b * 7 + shift) % V)] = 1;
    return np.reshape(np.array(d), [T, B, V]);
  };
  type P = { wx: Arr; wh: Arr; wy: Arr; bh: Arr };
  const cell = (p: P, h: Arr, x: Arr, target: Arr): [Arr, Arr] => {
    const hNew = np.tanh(np.add(np.add(np.matmul(x, p.wx), np.matmul(h, p.wh)), p.bh)) as Arr;
    const logits = np.matmul(hNew, p.wy);
    const z = np.subtract(logits, np.max(logits, -1, { keepdims: true }));
    const logp = np.subtract(z, np.log(np.sum(np.exp(z), -1, { keepdims: true })));
    return [hNew, np.negative(np.mean(np.sum(np.multiply(logp, target), -1))) as Arr];
  };
  const loss = (p: P, xs: Arr, ys: Arr) =>
    np.mean(lax.scan((h: Arr, [x, y]: [Arr, Arr]) => cell(p, h, x, y), np.zeros([B, H]) as Arr, [xs, ys])[1]) as Arr;
  const step = jit((p: P, xs: Arr, ys: Arr): [P, Arr] => {
    const g = grad(loss)(p, xs, ys) as P;
    const upd = (w: Arr, d: Arr) => np.subtract(w, np.multiply(0.5, d)) as Arr;
    return [{ wx: upd(p.wx, g.wx), wh: upd(p.wh, g.wh), wy: upd(p.wy, g.wy), bh: upd(p.bh, g.bh) }, loss(p, xs, ys)];
  });
  const xs = onehot(0) as Arr,
    ys = onehot(1) as Arr;
  let p: P = { wx: init([V, H], 1, 0.3), wh: init([H, H], 2, 0.15), wy: init([H, V], 3, 0.3), bh: np.zeros([H]) } as P;
  const calls = Number(process.env.AB_CALLS ?? 20);
  const blocks = Number(process.env.AB_BLOCKS ?? 5);
  let l: Arr | null = null;
  for (let i = 0; i < 3; i++) [p, l] = step(p, xs, ys); // compile, warm the pool
  await l!.data();
  const ms: number[] = [];
  const encodeMs: number[] = [];
  const cpuMs: number[] = [];
  for (let b = 0; b < blocks; b++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) [p, l] = step(p, xs, ys);
    encodeMs.push((performance.now() - t0) / calls);
    await l!.data();
    ms.push((performance.now() - t0) / calls);
    const c = process.cpuUsage(c0);
    cpuMs.push((c.user + c.system) / 1000 / calls);
  }
  const s = (rt.currentBackend() as unknown as { stats(): Record<string, number> }).stats();
  console.log(
    JSON.stringify({
      ms: median(ms),
      encodeMs: median(encodeMs),
      cpuMs: median(cpuMs),
      loss: (await l!.data())[0],
      copies: s.copies ?? null,
    }),
  );
}

function driver(a: string, b: string): void {
  const rounds = Number(process.env.AB_ROUNDS ?? 5);
  const res: Record<"A" | "B", number[]> = { A: [], B: [] };
  const enc: Record<"A" | "B", number[]> = { A: [], B: [] };
  const cpu: Record<"A" | "B", number[]> = { A: [], B: [] };
  console.log(
    `load average at start: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}`,
  );
  for (let r = 0; r < rounds; r++) {
    for (const [side, bundle] of [
      ["A", a],
      ["B", b],
    ] as const) {
      const out = spawnSync(process.execPath, ["--import", "tsx", import.meta.filename, "--child", bundle], {
        encoding: "utf8",
        env: { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? "/tmp" },
      });
      const line = out.stdout.trim().split("\n").pop() ?? "";
      if (out.status !== 0 || !line.startsWith("{")) throw new Error(`${side} failed: ${out.stderr}`);
      const r1 = JSON.parse(line) as {
        ms: number;
        encodeMs: number;
        cpuMs: number;
        loss: number;
        copies: number | null;
        restrides: number | null;
        calls: number;
      };
      res[side].push(r1.ms);
      enc[side].push(r1.encodeMs);
      cpu[side].push(r1.cpuMs);
      console.log(
        `round ${r} ${side}: ${r1.ms.toFixed(2)} ms/step (host encode ${r1.encodeMs.toFixed(2)}, process CPU ${r1.cpuMs.toFixed(2)})  loss ${r1.loss.toFixed(5)}  copies ${r1.copies} restrides ${r1.restrides} in ${r1.calls} calls`,
      );
    }
  }
  const [ma, mb] = [median(res.A), median(res.B)];
  console.log(`median A ${ma.toFixed(2)} ms/step, B ${mb.toFixed(2)} ms/step, B/A ${(mb / ma).toFixed(3)}`);
  console.log(`process CPU per step (lavapipe runs the GPU work on this process's threads, so
  this counts work done whatever the load): median A ${median(cpu.A).toFixed(2)} ms, B ${median(cpu.B).toFixed(2)} ms, B/A ${(median(cpu.B) / median(cpu.A)).toFixed(3)}`);
  console.log(`host encode per step: median A ${median(enc.A).toFixed(2)} ms, B ${median(enc.B).toFixed(2)} ms`);
  console.log(
    `load average at end: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}`,
  );
}

const args = process.argv.slice(2);
if (args[0] === "--child") await child(args[1]!);
else if (args.length === 2) driver(args[0]!, args[1]!);
else throw new Error("usage: scan_rows_ab.ts <bundle A> <bundle B>");
