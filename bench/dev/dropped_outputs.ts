// Loops that drop their outputs, as JAX code does (nobody calls dispose()): their storage comes
// back only when V8 collects, so how soon the runtime asks for a collection decides whether the
// next call finds a pooled buffer or allocates one (on lavapipe a fresh buffer's pages are first
// touched by Dawn's clear and the kernel). Each workload runs in its own process per setting,
// the settings interleaved over rounds: the default collection floor (256 MiB), the floors
// JITSCOPE_COLLECT_MIB names, and the same loop calling dispose() (what collecting aims at).
//   npm run build && node --import tsx bench/dev/dropped_outputs.ts [rounds] [--floors 256,64,32]
// (ONLY=text runs the workloads whose name contains it)
// (RUNTIME=dist/other.mjs times another build of the runtime: keep it in dist/, where
// node_modules resolves; JITSCOPE_COLLECT_MIB is ignored by builds from before it)
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { bundleScript } from "../../runtime/src/cli/bundle.js";
import { median } from "../measure.js";

const rounds = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 3);
const floorsArg = process.argv.indexOf("--floors");
const floors = (floorsArg >= 0 ? process.argv[floorsArg + 1]! : "64,default").split(",");

const CHAIN = `(v: np.ArrayLike) => np.subtract(np.multiply(np.tanh(np.add(np.multiply(v, 1.5), 0.5)), v), np.exp(np.negative(np.multiply(v, v))))`;
/** The chain on 2^log2 floats, jitted or eager, called `calls` times, each call waited for (the
 *  jitted loop's first call compiles, inside the timing, alike for every setting). */
const loop = (jitted: boolean, log2: number, calls: number): string => `
const chain = ${jitted ? `jit(${CHAIN})` : CHAIN};
const x = np.array(Float32Array.from({ length: 1 << ${log2} }, (_, i) => ((i * 7919) % 4001) / 1000 - 2));
${jitted ? "" : "for (let i = 0; i < 3; i++) await chain(x).blockUntilReady();"}
const t0 = performance.now();
for (let i = 0; i < ${calls}; i++) { const y = chain(x); await y.blockUntilReady(); if (DISPOSE) y.dispose(); }
console.log("MS_PER_CALL " + (performance.now() - t0) / ${calls});`;
/** Tiny arrays, where a collection cycle ends by count (8,192 arrays) long before its bytes:
 *  each small bucket of the pool must keep that many, or most arrays get a fresh buffer. Prints
 *  the buffers created too (Dawn's GPUDevice is a global in Node). */
const tiny = (iterations: number): string => `
const G = (globalThis as { GPUDevice?: { prototype: { createBuffer: (...a: unknown[]) => unknown } } }).GPUDevice!;
let created = 0;
const create = G.prototype.createBuffer;
G.prototype.createBuffer = function (this: unknown, ...a: unknown[]) { created++; return create.apply(this, a); };
const step = jit((v: np.ArrayLike) => np.tanh(np.add(np.multiply(v, 2), 1)));
const x = np.ones([4096]);
for (let i = 0; i < 20; i++) await step(x).blockUntilReady();
const t0 = performance.now();
for (let i = 0; i < ${iterations}; i++) {
  const y = step(x); await y.blockUntilReady(); if (DISPOSE) y.dispose();
  const z = np.add(np.multiply(x, 3), 1); await z.blockUntilReady(); if (DISPOSE) z.dispose();
}
console.log("MS_PER_CALL " + (performance.now() - t0) / ${iterations} + " BUFFERS " + created);`;
const WORKLOADS: Record<string, string> = {
  "tiny (4096 floats): a jit call and two eager ops, 12,000 times, each waited for": tiny(12000),
  "jit chain 2^20, 300 calls each waited for": loop(true, 20, 300),
  "jit chain 2^18, 300 calls each waited for": loop(true, 18, 300),
  "eager chain 2^20, 100 calls each waited for": loop(false, 20, 100),
};

const dir = mkdtempSync(join(tmpdir(), "jitscope-dropped-"));
try {
  for (const [name, body] of Object.entries(WORKLOADS)) {
    if (process.env.ONLY && !name.includes(process.env.ONLY)) continue;
    const script = join(dir, "w.ts");
    const bundle = join(dir, "w.mjs");
    const source = `import { np, jit } from "jitscope";\nconst DISPOSE = process.env.DISPOSE === "1";\n${body}\n`;
    writeFileSync(script, source);
    const built = await bundleScript(script, bundle, resolve(process.env.RUNTIME ?? "dist/runtime.mjs"));
    if (!built.ok) throw new Error(built.message);
    const settings = [
      ...floors.map((f) => ({ label: `floor ${f}`, floor: f, dispose: false })),
      { label: "dispose()", floor: "default", dispose: true },
    ];
    const times = new Map<string, number[]>(settings.map((s) => [s.label, []]));
    const buffers = new Map<string, number>();
    for (let r = 0; r < rounds; r++) {
      for (const s of settings) {
        const env: Record<string, string | undefined> = {
          ...process.env,
          XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? "/tmp",
        };
        delete env.JITSCOPE_COLLECT_MIB;
        if (s.floor !== "default") env.JITSCOPE_COLLECT_MIB = s.floor;
        if (s.dispose) env.DISPOSE = "1";
        const out = spawnSync(process.execPath, [bundle], { encoding: "utf8", env });
        const m = /MS_PER_CALL (\S+)(?: BUFFERS (\d+))?/.exec(out.stdout);
        if (!m) throw new Error(`${name} (${s.label}) failed:\n${out.stdout}\n${out.stderr}`);
        times.get(s.label)!.push(Number(m[1]));
        if (m[2]) buffers.set(s.label, Number(m[2]));
      }
    }
    const cells = settings.map((s) => {
      const t = times.get(s.label)!;
      const made = buffers.has(s.label) ? `, ${buffers.get(s.label)} buffers created` : "";
      return `${s.label} ${median(t).toFixed(3)} ms (${Math.min(...t).toFixed(3)}–${Math.max(...t).toFixed(3)}${made})`;
    });
    console.log(`${name}: ${cells.join(", ")}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
