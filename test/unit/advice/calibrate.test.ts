// Device calibration: the cache keyed by adapter (measured once, then read), a corrupt cache
// measured again with a note, and one real calibration on the WebGPU device (lavapipe in CI)
// whose figures are sane and whose second call reads the cache.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { calibrateDevice } from "../../../runtime/src/profile/calibrate.js";
import {
  CACHE_FILE,
  cachedPeaks,
  calibrationCacheDir,
  type MeasuredPeaks,
} from "../../../runtime/src/profile/calibrationCache.js";
import { webgpuBackendOrSkip } from "../ops/harness.js";

const FIGURES: MeasuredPeaks = { gbPerS: 9.5, gflopPerS: 24, dispatchUs: 12.5, timestampTickNs: 65536 };
const AT = new Date("2026-11-30T06:00:00.000Z");

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), "jitscope-calib-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test("the cache directory is JITSCOPE_CACHE_DIR, else $XDG_CACHE_HOME/jitscope, else ~/.cache/jitscope", () => {
  assert.equal(calibrationCacheDir({ JITSCOPE_CACHE_DIR: "/x/y", XDG_CACHE_HOME: "/c" }), "/x/y");
  assert.equal(calibrationCacheDir({ XDG_CACHE_HOME: "/c" }), "/c/jitscope");
  assert.match(calibrationCacheDir({}), /\.cache\/jitscope$/);
});

test("the first use of an adapter measures and caches; the second reads the cache without measuring", async (t) => {
  const dir = tempDir(t);
  let measured = 0;
  const measure = async () => {
    measured++;
    return FIGURES;
  };
  const first = await cachedPeaks("adapter A", dir, measure, () => AT);
  assert.deepEqual(first, {
    peaks: { ...FIGURES, source: "measured", measuredAt: "2026-11-30T06:00:00.000Z" },
    notes: [],
  });
  const second = await cachedPeaks("adapter A", dir, measure, () => new Date());
  assert.deepEqual(second, {
    peaks: { ...FIGURES, source: "cache", measuredAt: "2026-11-30T06:00:00.000Z" },
    notes: [],
  });
  assert.equal(measured, 1);
  // Another adapter is measured on its own, and both stay in the file.
  await cachedPeaks(
    "adapter B",
    dir,
    async () => ({ ...FIGURES, gbPerS: 100 }),
    () => AT,
  );
  const file = JSON.parse(readFileSync(join(dir, CACHE_FILE), "utf8")) as { adapters: Record<string, MeasuredPeaks> };
  assert.deepEqual(Object.keys(file.adapters).sort(), ["adapter A", "adapter B"]);
  assert.equal(file.adapters["adapter B"]!.gbPerS, 100);
});

/** The cache's answer for "adapter A" in `dir`, measuring FIGURES at AT when it must. */
const measureAdapterA = (dir: string) =>
  cachedPeaks(
    "adapter A",
    dir,
    async () => FIGURES,
    () => AT,
  );

test("a corrupt cache file is measured again with a note and rewritten, never a crash", async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, CACHE_FILE), "{ not json");
  const r = await measureAdapterA(dir);
  assert.equal(r.peaks.source, "measured");
  assert.equal(r.peaks.gbPerS, 9.5);
  assert.equal(r.notes.length, 1);
  assert.match(r.notes[0]!, /calibration cache .*calibration\.json could not be used .*: peaks measured again/);
  const again = await cachedPeaks("adapter A", dir, async () => assert.fail("must read the rewritten cache"));
  assert.equal(again.peaks.source, "cache");
  // An entry with a non-positive figure is not trusted either.
  const bad = { version: 2, adapters: { "adapter A": { ...FIGURES, gbPerS: 0, measuredAt: "x" } } };
  writeFileSync(join(dir, CACHE_FILE), JSON.stringify(bad));
  const third = await measureAdapterA(dir);
  assert.equal(third.peaks.source, "measured");
  assert.match(third.notes[0]!, /1 malformed entry/);
});

test("a version 1 cache (peaks taken beside Dawn's busy polling) is measured again, and the note says why", async (t) => {
  const dir = tempDir(t);
  const old = {
    version: 1,
    adapters: { "adapter A": { ...FIGURES, gbPerS: 4, measuredAt: "2026-11-01T00:00:00.000Z" } },
  };
  writeFileSync(join(dir, CACHE_FILE), JSON.stringify(old));
  const r = await measureAdapterA(dir);
  assert.equal(r.peaks.source, "measured");
  assert.equal(r.peaks.gbPerS, 9.5);
  assert.equal(r.notes.length, 1);
  assert.match(r.notes[0]!, /measured by an older JIT Scope \(calibration version 1\).*peaks measured again/);
  const file = JSON.parse(readFileSync(join(dir, CACHE_FILE), "utf8")) as { version: number };
  assert.equal(file.version, 2, "rewritten at the current version");
});

test("JITSCOPE_CALIBRATE=0 leaves the device uncalibrated and says so", async () => {
  const r = await calibrateDevice({} as GPUDevice, "adapter", { JITSCOPE_CALIBRATE: "0" });
  assert.equal(r.result, null);
  assert.deepEqual(r.notes, ["JITSCOPE_CALIBRATE=0: the device was not calibrated, kernels are not classified"]);
});

test("on WebGPU: calibration measures sane peaks, and the second call reads them from the cache", async (t) => {
  const backend = await webgpuBackendOrSkip(t);
  if (!backend) return;
  assert.ok(backend.timestampQuery, "the adapter has timestamp queries (lavapipe does): calibration times with them");
  const dir = tempDir(t);
  const env = { JITSCOPE_CACHE_DIR: dir };
  const first = await calibrateDevice(backend.device, "test adapter", env);
  assert.ok(first.result, `calibrated: ${first.notes.join("; ")}`);
  const p = first.result.peaks;
  assert.equal(p.source, "measured");
  // An upper bound above any device made (an H200 measured 4,096 GB/s here; lavapipe 10-20).
  assert.ok(p.gbPerS > 0.1 && p.gbPerS < 20_000, `bandwidth ${p.gbPerS} GB/s`);
  assert.ok(p.gflopPerS > 0.1 && p.gflopPerS < 1e6, `FMA throughput ${p.gflopPerS} GFLOP/s`);
  assert.ok(p.dispatchUs > 0 && p.dispatchUs < 10_000, `empty dispatch ${p.dispatchUs} µs`);
  assert.ok(Number.isInteger(p.timestampTickNs) && p.timestampTickNs >= 1, `tick ${p.timestampTickNs} ns`);
  assert.ok(Number.isFinite(Date.parse(p.measuredAt)));
  const second = await calibrateDevice(backend.device, "test adapter", env);
  assert.deepEqual(second.result?.peaks, { ...p, source: "cache" });
  // JITSCOPE_RECALIBRATE=1 measures again and replaces the cached figures.
  const third = await calibrateDevice(backend.device, "test adapter", { ...env, JITSCOPE_RECALIBRATE: "1" });
  assert.equal(third.result?.peaks.source, "measured");
  const fourth = await calibrateDevice(backend.device, "test adapter", env);
  assert.deepEqual(fourth.result?.peaks, { ...third.result!.peaks, source: "cache" });
});
