// Dev measurement: does a profile's cost of a call agree with the program's own clock? Runs the
// GPT-style training fixture (test/fixtures/programs/lm_adamw_schedule.ts) for 130 steps, each
// waited for and timed by the script itself, under `jitscope profile` with the timestamp overhead
// taken off the spans (the default) and left on (JITSCOPE_TIMESTAMP_OVERHEAD=0); prints the
// script's median step beside the report's cost of a call (host part + GPU part).
//   npm run build && node --import tsx bench/dev/profiled_vs_own_clock.ts [runs per mode, default 2]
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Report } from "@jitscope/contract";

const REPO = join(import.meta.dirname, "..", "..");
const RUNS = Number(process.argv[2] ?? 2);
const dir = mkdtempSync(join(tmpdir(), "jitscope-own-clock-"));
const fixture = readFileSync(join(REPO, "test/fixtures/programs/lm_adamw_schedule.ts"), "utf8");
const loop = /for \(let i = 0; i < steps; i\+\+\) \{\n.*\n.*\n\}/;
if (!loop.test(fixture) || !fixture.includes("steps = 30;")) throw new Error("the fixture's training loop changed");
const timed = fixture.replace("steps = 30;", "steps = 130;").replace(
  loop,
  `const own: number[] = [];
for (let i = 0; i < steps; i++) {
  const t0 = performance.now();
  [params, state, l] = step(params, state, tokens, targets, np.array(i, { dtype: "int32" }));
  await np.asarray(l).blockUntilReady();
  own.push(performance.now() - t0);
}
const s = own.slice(10).sort((a, b) => a - b);
console.log("OWN_CLOCK_MS " + s[s.length >> 1]);`,
);
const script = join(dir, "lm_own_clock.ts");
writeFileSync(script, timed);
try {
  for (let r = 0; r < RUNS; r++)
    for (const [label, env] of [
      ["corrected", {}],
      ["as read", { JITSCOPE_TIMESTAMP_OVERHEAD: "0" }],
    ] as const) {
      const json = join(dir, "report.json");
      const p = spawnSync(process.execPath, [join(REPO, "dist/cli.mjs"), "profile", script, "--json", json], {
        encoding: "utf8",
        env: { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? "/tmp", ...env },
      });
      const own = /OWN_CLOCK_MS ([\d.]+)/.exec(p.stdout)?.[1];
      if (p.status !== 0 || !own) throw new Error(`profile failed: ${p.stderr.slice(-2000)}`);
      const report = JSON.parse(readFileSync(json, "utf8")) as Report;
      const fn = report.functions.find((f) => f.name === "trainStep")!;
      const overhead = report.device.timestampOverheadNs;
      console.log(
        `${label.padEnd(9)}: own clock ${Number(own).toFixed(2)} ms/step · report ${fn.cost!.ms.toFixed(2)} ms/call ` +
          `(host ${fn.msPerCall.toFixed(2)} + GPU ${fn.gpuMsPerCall.toFixed(2)})` +
          (overhead !== undefined ? ` · overhead taken off ${(overhead / 1000).toFixed(0)} µs/span` : ""),
      );
    }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
