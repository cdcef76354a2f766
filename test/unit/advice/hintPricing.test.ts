// The cost model behind the hints' savings, checked against hand-computed figures: with device
// peaks injected (as calibration will record them), a dense lookup's saving is its kernels'
// measured time minus a gather's bytes at peak bandwidth, and a reshape boundary's is its bytes
// (written once, read back once) at peak bandwidth; without peaks the message says how it priced.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { DevicePeaks, Report } from "@jitscope/contract";
import { adviseReport } from "../../../runtime/src/advice/hints.js";
import { REPO, runCli } from "../cli/runCli.js";

const peaks: DevicePeaks = {
  gbPerS: 2, // 2·10^6 bytes per ms
  gflopPerS: 50,
  dispatchUs: 20,
  timestampTickNs: 65536,
  source: "measured",
  measuredAt: "2026-11-30T00:00:00Z",
};

const run = (name: string): Report => runCli(join(REPO, "test/fixtures/hints", `${name}.ts`)).report;
const perCallMs = (r: Report, id: string) => {
  const k = r.kernels.find((x) => x.id === id)!;
  return k.totalNs / k.dispatches / 1e6;
};

test("dense-lookup with peaks: saving = one-hot and matmul kernels' time − (128 rows × 128 floats read and written + 128 indices) at 2 GB/s", () => {
  const r = run("dense_lookup");
  const [hint] = adviseReport(r, undefined, peaks);
  assert.equal(hint?.kind, "dense-lookup");
  const measured = hint!.kernels!.reduce((t, id) => t + perCallMs(r, id), 0);
  const gatherBytes = 128 * (128 * 4 + 4) + 128 * 128 * 4;
  assert.ok(Math.abs(hint!.estimatedSavingMs - (measured - gatherBytes / 2e6)) < 1e-9);
  assert.equal(hint!.kernels!.length, 2, "the one-hot kernel and the matmul");
  assert.doesNotMatch(hint!.message, /no device peaks/);
  const unpriced = adviseReport(r, undefined, null)[0]!;
  assert.match(unpriced.message, /no device peaks: bytes priced at the best bandwidth a kernel reached/);
});

test("reshape-boundary with peaks: saving = the [2048,2048] float32 value written once and read back once at 2 GB/s", () => {
  // Row kernels off: with them the chain, the reshape and the sum are one kernel (no boundary).
  const r = runCli(join(REPO, "test/fixtures/hints/reshape_boundary.ts"), [], {
    env: { JITSCOPE_ROW_KERNELS: "0" },
  }).report;
  const hint = adviseReport(r, undefined, peaks).find((h) => h.kind === "reshape-boundary");
  assert.ok(hint);
  assert.ok(Math.abs(hint.estimatedSavingMs - (2 * 2048 * 2048 * 4) / 2e6) < 1e-9, `${hint.estimatedSavingMs}`);
  assert.match(hint.message, /\[2048,2048\] result of mul, tanh .* reshaped to \[4096,1024\]/);
});
