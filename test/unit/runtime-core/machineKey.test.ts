// The measurement caches' key (backend/machineKey.ts): a software adapter's adds the host CPU, so
// peaks measured on one CPU are not read on another under the same Mesa description; a hardware
// adapter's is its description alone.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cpuDetails, hostCpu, machineCacheKey } from "../../../runtime/src/backend/machineKey.js";
import { cachedPeaks, type MeasuredPeaks } from "../../../runtime/src/profile/calibrationCache.js";

const LAVAPIPE = "llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1 · mesa · software";
const ZEN3 = { model: "AMD EPYC 7B13 64-Core Processor", cores: 2 };
const ZEN5 = { model: "AMD EPYC 9B45 128-Core Processor", cores: 2 };

test("a software adapter's cache key adds the host CPU model and core count; a hardware adapter's is its description", () => {
  assert.equal(machineCacheKey(LAVAPIPE, true, ZEN3), `${LAVAPIPE} · AMD EPYC 7B13 64-Core Processor ×2`);
  assert.notEqual(machineCacheKey(LAVAPIPE, true, ZEN3), machineCacheKey(LAVAPIPE, true, ZEN5));
  assert.notEqual(machineCacheKey(LAVAPIPE, true, ZEN3), machineCacheKey(LAVAPIPE, true, { ...ZEN3, cores: 16 }));
  assert.equal(machineCacheKey("NVIDIA H200 · nvidia · hopper", false, ZEN3), "NVIDIA H200 · nvidia · hopper");
  assert.equal(machineCacheKey("NVIDIA H200 · nvidia · hopper", false, ZEN5), "NVIDIA H200 · nvidia · hopper");
  const here = hostCpu();
  assert.ok(here.cores >= 1 && here.model.length > 0 && here.model === here.model.trim());
});

test("peaks cached for lavapipe on one CPU are measured again on another, and read back on the first", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "jitscope-machinekey-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const measured: string[] = [];
  const figures = (gbPerS: number): MeasuredPeaks => ({ gbPerS, gflopPerS: 30, dispatchUs: 30, timestampTickNs: 1 });
  const peaks = async (cpu: typeof ZEN3, gbPerS: number) =>
    (
      await cachedPeaks(machineCacheKey(LAVAPIPE, true, cpu), dir, async () => {
        measured.push(cpu.model);
        return figures(gbPerS);
      })
    ).peaks;
  assert.equal((await peaks(ZEN3, 9.5)).gbPerS, 9.5);
  const onZen5 = await peaks(ZEN5, 14.2);
  assert.equal(onZen5.gbPerS, 14.2);
  assert.equal(onZen5.source, "measured");
  const backOnZen3 = await peaks(ZEN3, 99);
  assert.equal(backOnZen3.gbPerS, 9.5);
  assert.equal(backOnZen3.source, "cache");
  assert.deepEqual(measured, [ZEN3.model, ZEN5.model]);
});

test("/proc/cpuinfo's first processor gives family, model and the widest vector extension; text without them gives nothing", () => {
  const zen5 = [
    "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\nmodel\t\t: 2\nmodel name\t: AMD EPYC\nflags\t\t: fpu sse2 avx avx2 avx512f avx512vl",
    "processor\t: 1\ncpu family\t: 25\nmodel\t\t: 1\nflags\t\t: avx2",
  ].join("\n\n");
  assert.equal(cpuDetails(zen5), "family 26 model 2, AVX-512");
  assert.equal(
    cpuDetails("cpu family\t: 25\nmodel\t\t: 1\nmodel name\t: AMD EPYC\nflags\t\t: sse2 avx avx2"),
    "family 25 model 1, AVX2",
  );
  assert.equal(cpuDetails("processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd"), "");
  assert.equal(cpuDetails(""), "");
});
