// Recorder host cost per op, in one profiled process: blocks with the recorder on and suspended
// alternate (a load burst tilts neither side), each timed in wall time and in the process's CPU
// time (lavapipe's GPU work is CPU time too). Workloads: the worst case of profile_overhead.ts
// (tiny kernels, every op waited for), its attention (256×64, each call waited for), and eager and
// jitted ops without waits (the host path alone).
// Run: npm run build && node --import tsx bench/dev/recorder_host.ts [pairs]  (ONLY=name filters;
// RUNTIME=dist/other.mjs times another build of the runtime (keep it in dist/, where node_modules
// resolves); AB_SIDE=on|off runs every block on one side (for a CPU profile: NODE_ARGS=--cpu-prof);
// KEEP_DIR=dir keeps the bundles and the journal there; AB_FLUSH=0 leaves the journal's batches to
// its own schedule instead of writing them at the end of each profiled block, as in a real run;
// MARKS=0 bundles without call-site marks, so eager ops find their lines from the stack)
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { bundleScript } from "../../runtime/src/cli/bundle.js";

const pairs = Number(process.argv[2] ?? 40);
const HARNESS = `
const rec = (globalThis as Record<symbol, { suspend(): () => void; flush(): void }>)[Symbol.for("jitscope.recorder")]!;
const ab = async (perBlock: number, body: () => Promise<void>) => {
  const one = async (on: boolean) => {
    const resume = on ? () => {} : rec.suspend();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await body();
    if (on && process.env.AB_FLUSH !== "0") rec.flush();
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    resume();
    return [ms * 1000 / perBlock, (c.user + c.system) / perBlock];
  };
  const rows: number[][] = [];
  for (let p = 0; p < ${pairs}; p++) {
    const side = process.env.AB_SIDE;
    const a = await one(side ? side === "on" : p % 2 === 0);
    const b = await one(side ? side === "on" : p % 2 !== 0);
    rows.push(p % 2 === 0 ? [...a, ...b] : [...b, ...a]);
  }
  console.log("AB " + JSON.stringify(rows));
};
`;
/** 100 calls of a jitted step on 4,096 floats a block, none waited for (the host path alone). */
const JIT_NOWAIT_LOOP = `
const x = np.ones([4096]);
for (let i = 0; i < 20; i++) await step(x).blockUntilReady();
await ab(100, async () => {
  let y = x;
  for (let i = 0; i < 100; i++) { const b = step(x); if (y !== x) y.dispose(); y = b; }
  await y.blockUntilReady();
  y.dispose();
});`;
const WORKLOADS: Record<string, string> = {
  tiny_sync: `
import { np, jit } from "jitscope";
const step = jit((x: np.ArrayLike) => np.tanh(np.add(np.multiply(x, 2), 1)));
const x = np.ones([4096]);
for (let i = 0; i < 20; i++) await step(x).blockUntilReady();
await ab(30, async () => {
  for (let i = 0; i < 30; i++) {
    await step(x).blockUntilReady();
    await np.add(np.multiply(x, 3), 1).blockUntilReady();
  }
});`,
  attention_sync: `
import { np, nn, jit } from "jitscope";
const n = 256, d = 64;
const filled = (s: number) => np.reshape(np.array(Float32Array.from({ length: n * d }, (_, i) => ((i * s * 7919) % 101) / 101 - 0.5)), [n, d]);
const attention = jit((q: np.ArrayLike, k: np.ArrayLike, v: np.ArrayLike) =>
  np.matmul(nn.softmax(np.divide(np.matmul(q, np.transpose(k)), Math.sqrt(d)), -1), v));
const q = filled(1), k = filled(2), v = filled(3);
for (let i = 0; i < 20; i++) await attention(q, k, v).blockUntilReady();
await ab(10, async () => {
  for (let i = 0; i < 10; i++) await attention(q, k, v).blockUntilReady();
});`,
  eager_nowait: `
import { np } from "jitscope";
const x = np.ones([4096]);
await np.add(np.multiply(x, 3), 1).blockUntilReady();
await ab(200, async () => {
  let y = x;
  for (let i = 0; i < 100; i++) { const a = np.multiply(x, 3); const b = np.add(a, 1); a.dispose(); if (y !== x) y.dispose(); y = b; }
  await y.blockUntilReady();
  y.dispose();
});`,
  jit_nowait:
    `
import { np, jit } from "jitscope";
const step = jit((x: np.ArrayLike) => np.tanh(np.add(np.multiply(x, 2), 1)));
` + JIT_NOWAIT_LOOP,
  // A jitted function of several kernels (reductions between elementwise ops): a jit call's
  // per-dispatch recording, without waits.
  jit_kernels_nowait:
    `
import { np, jit } from "jitscope";
const step = jit((x: np.ArrayLike) => {
  const a = np.tanh(np.multiply(x, np.sum(x)));
  const b = np.subtract(a, np.max(a));
  return np.divide(b, np.sum(np.exp(b)));
});
` + JIT_NOWAIT_LOOP,
};
const med = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
};
const q = (xs: number[], f: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * f)]!;
const dir = process.env.KEEP_DIR ?? mkdtempSync(join(tmpdir(), "jitscope-rh-"));
try {
  for (const [name, src] of Object.entries(WORKLOADS)) {
    if (process.env.ONLY && !name.includes(process.env.ONLY)) continue;
    const script = join(dir, `${name}.ts`);
    writeFileSync(script, src.replace("\n", `\n${HARNESS}`));
    const bundle = join(dir, `${name}.mjs`);
    const built = await bundleScript(script, bundle, resolve(process.env.RUNTIME ?? "dist/runtime.mjs"), {
      markCallSites: process.env.MARKS !== "0" && process.env.JITSCOPE_EAGER_SITES !== "off",
    });
    if (!built.ok) throw new Error(built.message);
    const l0 = loadavg()[0]!;
    const args = [...(process.env.NODE_ARGS ? process.env.NODE_ARGS.split(" ") : []), "--enable-source-maps", bundle];
    const r = spawnSync(process.execPath, args, {
      encoding: "utf8",
      env: {
        ...process.env,
        XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? "/tmp",
        JITSCOPE_EVENTS_FILE: join(dir, `${name}.jsonl`),
      },
    });
    const m = /AB (\S+)/.exec(r.stdout);
    if (!m) throw new Error(`${name} failed:\n${r.stdout}\n${r.stderr}`);
    const rows = JSON.parse(m[1]!) as number[][];
    const dWall = rows.map((r) => r[0]! - r[2]!);
    const dCpu = rows.map((r) => r[1]! - r[3]!);
    const f = (xs: number[]) => `${med(xs).toFixed(1)} (q1 ${q(xs, 0.25).toFixed(1)}, q3 ${q(xs, 0.75).toFixed(1)})`;
    console.log(
      `${name}: per iteration µs — wall off ${med(rows.map((r) => r[2]!)).toFixed(1)} on ${med(rows.map((r) => r[0]!)).toFixed(1)}; ` +
        `cpu off ${med(rows.map((r) => r[3]!)).toFixed(1)} on ${med(rows.map((r) => r[1]!)).toFixed(1)}; ` +
        `paired Δwall ${f(dWall)}, Δcpu ${f(dCpu)}; ratio wall ${(100 * (med(rows.map((r) => r[0]! / r[2]!)) - 1)).toFixed(1)}%; load ${l0.toFixed(1)}→${loadavg()[0]!.toFixed(1)}`,
    );
  }
} finally {
  if (!process.env.KEEP_DIR) rmSync(dir, { recursive: true, force: true });
}
