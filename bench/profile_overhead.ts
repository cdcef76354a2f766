// Profiling overhead: the same workload timed inside one bundled script, with the recorder off
// and on (journal, as under `jitscope profile`), runs alternated, medians compared.
// Run: npm run build && node --import tsx bench/profile_overhead.ts [rounds]
// Goal (issue 4): overhead under 10%.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { bundleScript } from "../runtime/src/cli/bundle.js";
import { JournalWriter } from "../runtime/src/profile/journal.js";
import { createRecorder } from "../runtime/src/profile/recorder.js";
import { median } from "../runtime/src/profile/stats.js";

const WORKLOAD = `
import { np, jit } from "jitscope";
const step = jit((x: np.ArrayLike) => np.tanh(np.add(np.multiply(x, 2), 1)));
const x = np.ones([4096]);
for (let i = 0; i < 20; i++) await step(x).blockUntilReady();
const t0 = performance.now();
for (let i = 0; i < 300; i++) {
  await step(x).blockUntilReady();
  await np.add(np.multiply(x, 3), 1).blockUntilReady();
}
console.log("WORKLOAD_MS " + (performance.now() - t0));
`;

const rounds = Number(process.argv[2] ?? 5);
const dir = mkdtempSync(join(tmpdir(), "jitscope-bench-"));
try {
  const script = join(dir, "workload.ts");
  writeFileSync(script, WORKLOAD);
  const bundle = join(dir, "workload.mjs");
  const built = await bundleScript(script, bundle, resolve("dist/runtime.mjs"));
  if (!built.ok) throw new Error(built.message);

  const timeOnce = (profiled: boolean, i: number): number => {
    const env: Record<string, string | undefined> = { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? "/tmp" };
    delete env.JITSCOPE_EVENTS_FILE;
    delete env.JITSCOPE_REPORT_FILE;
    if (profiled) env.JITSCOPE_EVENTS_FILE = join(dir, `events-${i}.jsonl`);
    const r = spawnSync(process.execPath, ["--enable-source-maps", bundle], { encoding: "utf8", env });
    const m = /WORKLOAD_MS ([\d.]+)/.exec(r.stdout);
    if (!m) throw new Error(`workload failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    return Number(m[1]);
  };

  const off: number[] = [];
  const on: number[] = [];
  for (let i = 0; i < rounds; i++) {
    off.push(timeOnce(false, i));
    on.push(timeOnce(true, i));
  }
  const mOff = median(off);
  const mOn = median(on);
  console.log(`workload (300 × (jit call + 2 eager ops)), ${rounds} rounds each, medians:`);
  console.log(`  recorder off: ${mOff.toFixed(1)} ms   [${off.map((v) => v.toFixed(0)).join(", ")}]`);
  console.log(`  recorder on:  ${mOn.toFixed(1)} ms   [${on.map((v) => v.toFixed(0)).join(", ")}]`);
  console.log(`  overhead: ${(((mOn - mOff) / mOff) * 100).toFixed(1)}% (goal: under 10%)`);

  // The recorder's own share: what one recorded dispatch costs (JSON line + batched journal write),
  // so the rest of the overhead above is the backend's GPU timing (query sets, readbacks).
  const n = 200_000;
  const rec = createRecorder(new JournalWriter(join(dir, "micro.jsonl")));
  const t0 = performance.now();
  for (let i = 0; i < n; i++) rec.recordDispatch("c0/k1", 65536, i * 0.01, i);
  rec.flush();
  const perEventUs = ((performance.now() - t0) * 1000) / n;
  console.log(`recorder alone: ${perEventUs.toFixed(2)} µs per recorded dispatch (journal on disk)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
