// `jitscope tune <script>`: the script runs with the autotuner searching its matmul shapes (and,
// in a second script, an elementwise chain's and a conv net's kernels); the report's kernel
// carries the record (validated), the cache file holds the winner, a later `jitscope profile`
// reuses it (source "cache"), and a corrupt cache is reported and searched again rather than
// crashing. Timing is never asserted.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateReport, type Report } from "@jitscope/contract";
import { CLI, REPO, fixture } from "./runCli.js";
import { webgpuBackendOrSkip } from "../ops/harness.js";

function runScript(script: string, cmd: "tune" | "profile", cache: string, dir: string, name: string) {
  const reportPath = join(dir, `${name}.json`);
  const r = spawnSync(process.execPath, [CLI, cmd, fixture(script), "--json", reportPath, "--tune-budget", "300"], {
    cwd: REPO,
    encoding: "utf8",
    timeout: 240_000,
    env: { ...process.env, XDG_RUNTIME_DIR: "/tmp", JITSCOPE_AUTOTUNE_CACHE: cache, JITSCOPE_AUTOTUNE: "" },
  });
  assert.equal(r.status, 0, `${cmd} exits 0\n${r.stdout}\n${r.stderr}`);
  return { r, report: validateReport(readFileSync(reportPath, "utf8")) as Report };
}

function run(cmd: "tune" | "profile", cache: string, dir: string, name: string) {
  const { r, report } = runScript("tune_matmul.ts", cmd, cache, dir, name);
  const k = report.kernels.find((x) => x.name === "matmul_add_max");
  assert.ok(k, `the dense layer's kernel: ${report.kernels.map((x) => x.name).join(", ")}`);
  return { r, report, k };
}

test("jitscope tune searches the script's matmul, records it in the report and the cache; profile reuses it; a corrupt cache is searched again", async (t) => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  if (!(await webgpuBackendOrSkip(t))) return;
  const dir = mkdtempSync(join(tmpdir(), "jitscope-tune-cli-"));
  const cache = join(dir, "autotune.json");

  const tuned = run("tune", cache, dir, "tune");
  assert.equal(tuned.report.device.backend, "webgpu", "the script ran on WebGPU");
  assert.match(tuned.r.stdout, /sum \d/);
  const a = tuned.k.autotune!;
  assert.ok(a, "the kernel has an autotune record");
  assert.equal(a.source, "search");
  assert.equal(a.budgetMs, 300);
  assert.ok(a.candidates.length >= 1 && a.candidates.some((c) => c.config === a.winner));
  assert.match(tuned.r.stdout, /autotuned kernels \(margin = /);
  assert.match(tuned.r.stdout, /matmul_add_max \(c0\/k0\): tried \d+ variants?; /);
  const file = JSON.parse(readFileSync(cache, "utf8")) as { entries: Record<string, { winner: string }> };
  assert.equal(file.entries["matmul float32 [1×] 33×40@40×24 A·B"]?.winner, a.winner);

  const again = run("profile", cache, dir, "profile");
  assert.equal(again.k.autotune?.source, "cache");
  assert.equal(again.k.autotune?.winner, a.winner);
  assert.ok(again.k.wgsl.includes(`[${a.winner}]`), "the profiled kernel is the cached winner's module");

  writeFileSync(cache, "{ not json");
  const repaired = run("tune", cache, dir, "repaired");
  assert.match(
    repaired.r.stderr,
    /the autotune cache .*autotune\.json is not usable \(not JSON.*searching again and rewriting it/,
  );
  assert.equal(repaired.k.autotune?.source, "search");
  assert.ok(JSON.parse(readFileSync(cache, "utf8")).entries, "the cache was rewritten");
});

test("jitscope tune on a script with an elementwise chain and a conv net prints and records their searches; profile reuses them", async (t) => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  if (!(await webgpuBackendOrSkip(t))) return;
  const dir = mkdtempSync(join(tmpdir(), "jitscope-tune-cli-"));
  const cache = join(dir, "autotune.json");
  const { r, report } = runScript("tune_chain_conv.ts", "tune", cache, dir, "tune");
  assert.match(r.stdout, /chain -?\d+\.\d{3} conv -?\d+\.\d{3}/);
  const chain = report.kernels.find((k) => k.compilation === "c0" && k.autotune);
  assert.ok(chain, `the chain's kernel is tuned: ${report.kernels.map((k) => k.name).join(", ")}`);
  // 70,003 floats: 16 vec4s per invocation, interleaved, on a CPU adapter; 4 neighbours on a GPU
  // (elementwiseDefaults.test.ts).
  assert.match(chain.autotune!.defaultConfig, /^vec4 ×(16 wg64 interleaved|4 wg64)$/);
  assert.ok(
    chain.autotune!.candidates.every((c) =>
      /^(vec4|scalar) ×(1|2|4|8|16|32|64) wg(64|128|256)( interleaved)?$/.test(c.config),
    ),
  );
  const convs = report.kernels.filter((k) => k.name.startsWith("conv") && k.autotune);
  assert.ok(convs.length >= 2, "the forward conv and its gradients' convs are tuned");
  for (const k of [chain, ...convs]) {
    const a = k.autotune!;
    assert.equal(a.source, "search");
    assert.equal(a.candidates[0]!.config, a.defaultConfig, "the default is always a candidate, tried first");
    assert.ok(a.candidates.some((c) => c.config === a.winner));
    assert.ok(r.stdout.includes(`${k.name} (${k.id}): tried ${a.candidates.length} variant`), r.stdout);
  }
  for (const k of convs) assert.match(k.autotune!.winner, /^\d+×\d+ (wg\d+|split-K \d+)$/);
  const keys = Object.keys((JSON.parse(readFileSync(cache, "utf8")) as { entries: object }).entries);
  assert.ok(
    keys.includes("elementwise 70003 mul·add·tanh·mul·mul·neg·exp·sub in float32[70003] out float32"),
    keys.join("\n"),
  );
  assert.ok(
    keys.includes("conv float32 [4,3,13,11]*[8,3,3,3]->[4,8,13,11] s1,1 p1,1/1,1 d1,1/1,1 g1"),
    keys.join("\n"),
  );
  assert.ok(
    !keys.some((k) => / (log|sqrt|cos|random_uniform) in /.test(k)),
    `random.normal's eager ops are not searched: ${keys.join("; ")}`,
  );

  const again = runScript("tune_chain_conv.ts", "profile", cache, dir, "profile");
  const reused = again.report.kernels.filter((k) => k.autotune);
  assert.equal(reused.length, convs.length + 1);
  assert.ok(reused.every((k) => k.autotune!.source === "cache"));
  assert.match(again.r.stdout, /chain -?\d+\.\d{3} conv -?\d+\.\d{3}/);
});
