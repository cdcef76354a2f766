// The host part of a compiled call (from the call until it returns: argument checks, encoding,
// bind groups, the submit), and the whole loop's time, in a real training loop: the LM fixture's AdamW step (77 kernels,
// test/fixtures/programs/lm_adamw_schedule.ts) run for 400 steps, every call timed, unprofiled.
// Builds of the runtime are compared in alternated processes, each its median call after the
// first two (the compile), with the final parameters' norm printed so the builds' results can
// be compared too.
// Run: npm run build && node --import tsx bench/dev/call_host_time.ts [rounds]
// (RUNTIMES=dist/a.mjs,dist/b.mjs compares other builds, kept in dist/ where node_modules resolves;
// DONATE=compare runs each build with the step as written, donating its parameters and optimizer
// state (jit's donate_argnums), and without donation; DONATE=0 without donation only)
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { bundleScript } from "../../runtime/src/cli/bundle.js";
import { median } from "../../runtime/src/profile/stats.js";

const rounds = Number(process.argv[2] ?? 4);
const builds = (process.env.RUNTIMES ?? "dist/runtime.mjs").split(",");
const donations = process.env.DONATE === "compare" ? [false, true] : [process.env.DONATE !== "0"];
const runs = builds.flatMap((rt) => donations.map((donated) => ({ rt, donated })));
const runtimes = runs.map((r) => `${r.rt}${r.donated ? " (donate_argnums [0, 1])" : ""}`);

/** The fixture with 400 steps and each call of its jitted step timed. */
function timedFixture(donated: boolean): string {
  let src = readFileSync("test/fixtures/programs/lm_adamw_schedule.ts", "utf8");
  const swap = (from: string, to: string) => {
    if (!src.includes(from)) throw new Error(`the LM fixture changed: "${from}" not found`);
    src = src.replace(from, to);
  };
  swap("steps = 30;", "steps = 400;");
  // The fixture donates its parameters and optimizer state, as JAX code does.
  if (!donated) swap("const step = jit(trainStep, { donate_argnums: [0, 1] });", "const step = jit(trainStep);");
  swap(
    "for (let i = 0; i < steps; i++) {",
    "const hostMs: number[] = [];\nconst loop0 = performance.now();\nfor (let i = 0; i < steps; i++) {\n  const t0 = performance.now();",
  );
  // The loop's whole time, until its last loss is read: host and device together.
  swap(
    "const evalLogits",
    "await np.asarray(l).toArray();\nconst loopMs = performance.now() - loop0;\nconst evalLogits",
  );
  swap(
    '[params, state, l] = step(params, state, tokens, targets, np.array(i, { dtype: "int32" }));',
    '[params, state, l] = step(params, state, tokens, targets, np.array(i, { dtype: "int32" }));\n  hostMs.push(performance.now() - t0);',
  );
  return (
    src +
    "\nconst s = hostMs.slice(2).sort((a, b) => a - b);\nconsole.log(`HOST_MS ${s[s.length >> 1]} MIN_MS ${s[0]} LOOP_MS ${loopMs}`);\n"
  );
}

const dir = mkdtempSync(join(tmpdir(), "jitscope-host-"));
try {
  const bundles = await Promise.all(
    runs.map(async ({ rt, donated }, i) => {
      const script = join(dir, `lm_timed_${i}.ts`);
      writeFileSync(script, timedFixture(donated));
      const out = join(dir, `lm_${i}.mjs`);
      const built = await bundleScript(script, out, resolve(rt));
      if (!built.ok) throw new Error(built.message);
      return out;
    }),
  );
  const host = runtimes.map((): number[] => []);
  const mins = runtimes.map((): number[] => []);
  const loops = runtimes.map((): number[] => []);
  const norms = runtimes.map((): string[] => []);
  for (let r = 0; r < rounds; r++) {
    // Alternate which build runs first.
    const order = runtimes.map((_, i) => i);
    if (r % 2) order.reverse();
    for (const i of order) {
      const p = spawnSync(process.execPath, [bundles[i]!], {
        encoding: "utf8",
        env: { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? "/tmp" },
      });
      const m = /HOST_MS ([\d.]+) MIN_MS ([\d.]+) LOOP_MS ([\d.]+)/.exec(p.stdout);
      if (!m) throw new Error(`${runtimes[i]} failed:\n${p.stdout}\n${p.stderr}`);
      host[i]!.push(Number(m[1]));
      mins[i]!.push(Number(m[2]));
      loops[i]!.push(Number(m[3]));
      norms[i]!.push(/embed norm (\S+)/.exec(p.stdout)?.[1] ?? "?");
    }
  }
  runtimes.forEach((rt, i) =>
    console.log(
      `${rt}: host part of a call, median ${median(host[i]!).toFixed(2)} ms (runs ${host[i]!.map((v) => v.toFixed(2)).join(", ")}), ` +
        `fastest call ${median(mins[i]!).toFixed(2)} ms; 400 steps ${median(loops[i]!).toFixed(0)} ms ` +
        `(${loops[i]!.map((v) => v.toFixed(0)).join(", ")}); embed norm ${[...new Set(norms[i])].join(" / ")}`,
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
