// `jitscope tune <script>`: the script runs with the autotuner searching its matmul shapes; the
// report's kernel carries the record (validated), the cache file holds the winner, a later
// `jitscope profile` reuses it (source "cache"), and a corrupt cache is reported and searched
// again rather than crashing. Timing is never asserted.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateReport, type Report } from "@jitscope/contract";
import { CLI, REPO, fixture } from "./runCli.js";
import { webgpuBackendOrSkip } from "../ops/harness.js";

function run(cmd: "tune" | "profile", cache: string, dir: string, name: string) {
  const reportPath = join(dir, `${name}.json`);
  const r = spawnSync(
    process.execPath,
    [CLI, cmd, fixture("tune_matmul.ts"), "--json", reportPath, "--tune-budget", "300"],
    {
      cwd: REPO,
      encoding: "utf8",
      timeout: 240_000,
      env: { ...process.env, XDG_RUNTIME_DIR: "/tmp", JITSCOPE_AUTOTUNE_CACHE: cache, JITSCOPE_AUTOTUNE: "" },
    },
  );
  assert.equal(r.status, 0, `${cmd} exits 0\n${r.stdout}\n${r.stderr}`);
  const report: Report = validateReport(readFileSync(reportPath, "utf8"));
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
