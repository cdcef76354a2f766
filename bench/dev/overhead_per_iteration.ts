// The worst case of profile_overhead.ts (a jit call and two eager ops on 4096 floats, each waited
// for) timed per iteration instead of per block, across processes: the unprofiled plain bundle
// and the profiled marked bundle (as `jitscope profile` runs it), alternated. Each process times
// 1,500 iterations and prints its median and mean; the table gives the medians over processes
// and the per-round differences, so a slow iteration (a timed dispatch, a journal batch) shows
// in the mean and not in the median.
//   npm run build && node --import tsx bench/dev/overhead_per_iteration.ts [rounds]
// (STACK=1 profiles the plain bundle instead: eager lines from stack captures.)

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { bundleScript } from "../../runtime/src/cli/bundle.js";
import { median } from "../../runtime/src/profile/stats.js";

const rounds = Number(process.argv[2] ?? 8);
const SOURCE = `import { np, jit } from "jitscope";
const step = jit((x: np.ArrayLike) => np.tanh(np.add(np.multiply(x, 2), 1)));
const x = np.ones([4096]);
for (let i = 0; i < 20; i++) await step(x).blockUntilReady();
const us: number[] = [];
for (let k = 0; k < 1500; k++) {
  const t0 = performance.now();
  await step(x).blockUntilReady();
  await np.add(np.multiply(x, 3), 1).blockUntilReady();
  us.push((performance.now() - t0) * 1000);
}
us.sort((a, b) => a - b);
console.log("ITER " + us[us.length >> 1] + " " + us.reduce((s, v) => s + v, 0) / us.length);
`;

const dir = mkdtempSync(join(tmpdir(), "jitscope-iter-"));
try {
  const script = join(dir, "loop.ts");
  writeFileSync(script, SOURCE);
  const runtime = resolve("dist/runtime.mjs");
  const plain = join(dir, "plain.mjs");
  const marked = join(dir, "marked.mjs");
  for (const [out, markCallSites] of [
    [plain, false],
    [marked, true],
  ] as const) {
    const built = await bundleScript(script, out, runtime, { markCallSites });
    if (!built.ok) throw new Error(built.message);
  }
  const run = (bundle: string, profiled: boolean): [number, number] => {
    const env: Record<string, string | undefined> = {
      ...process.env,
      XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? "/tmp",
    };
    delete env.JITSCOPE_EVENTS_FILE;
    if (profiled) env.JITSCOPE_EVENTS_FILE = join(dir, "events.jsonl");
    const r = spawnSync(process.execPath, ["--enable-source-maps", bundle], { encoding: "utf8", env });
    const m = /ITER (\S+) (\S+)/.exec(r.stdout);
    if (!m) throw new Error(`the loop failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    return [Number(m[1]), Number(m[2])];
  };
  const profiledBundle = process.env.STACK === "1" ? plain : marked;
  const rows: [number, number, number, number][] = [];
  for (let i = 0; i < rounds; i++) {
    // Which side runs first alternates, so a drift in load favours neither.
    const first = i % 2 === 0;
    const a = first ? run(plain, false) : run(profiledBundle, true);
    const b = first ? run(profiledBundle, true) : run(plain, false);
    const [off, on] = first ? [a, b] : [b, a];
    rows.push([off[0], off[1], on[0], on[1]]);
  }
  const col = (i: number) => median(rows.map((r) => r[i]!));
  const diff = (i: number, j: number) => median(rows.map((r) => r[j]! - r[i]!));
  const pct = (i: number, j: number) => (100 * median(rows.map((r) => r[j]! / r[i]! - 1))).toFixed(1);
  console.log(
    `${rounds} rounds, profiled side ${process.env.STACK === "1" ? "stack captures" : "call-site marks"}: ` +
      `median iteration ${col(0).toFixed(0)} → ${col(2).toFixed(0)} µs (+${diff(0, 2).toFixed(1)} µs, ${pct(0, 2)}%); ` +
      `mean ${col(1).toFixed(0)} → ${col(3).toFixed(0)} µs (+${diff(1, 3).toFixed(1)} µs, ${pct(1, 3)}%)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
