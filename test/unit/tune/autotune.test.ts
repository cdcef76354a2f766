// The autotuner: its on-disk cache (round trip, corrupt or foreign files read as empty with a
// message, never a crash), a search at first compile that lands in the cache and in later
// compilations' kernels, results equal to the CPU reference under the tuned configuration, and
// the report record's validation. No timing is asserted: only which configurations exist.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatAutotune, validateKernelAutotune, ReportSchemaError } from "@jitscope/contract";
import { np, config } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import type { ConcreteArray } from "../../../runtime/src/array.js";
import {
  adapterHash,
  cachePathFor,
  loadCache,
  saveCache,
  type CachedTune,
} from "../../../runtime/src/codegen/tune/tuneCache.js";
import { pendingSearches, resetTuner, runPendingSearches } from "../../../runtime/src/codegen/tune/tuner.js";
import { parseMatmulConfig } from "../../../runtime/src/codegen/matmulConfig.js";
import { webgpuBackendOrSkip } from "../ops/harness.js";

const entry: CachedTune = {
  candidates: [
    { config: "2×4 vec4 wg8×8", medianNs: 2000 },
    { config: "4×8 vec4 wg8×8", medianNs: 1000 },
  ],
  winner: "4×8 vec4 wg8×8",
  defaultConfig: "2×4 vec4 wg8×8",
  speedupOverDefault: 2,
  budgetMs: 500,
};

test("the autotune cache round-trips: saved entries load back equal", () => {
  const path = join(mkdtempSync(join(tmpdir(), "jitscope-tune-")), "sub", "autotune.json");
  saveCache(path, "adapter A", new Map([["matmul float32 [1×] 3×5@5×7 A·B", entry]]));
  const loaded = loadCache(path, "adapter A");
  assert.equal(loaded.problem, null);
  assert.deepEqual([...loaded.entries], [["matmul float32 [1×] 3×5@5×7 A·B", entry]]);
});

test("a missing cache file is an empty cache without a message", () => {
  const loaded = loadCache(join(tmpdir(), "jitscope-no-such-dir", "x.json"), "adapter A");
  assert.equal(loaded.problem, null);
  assert.equal(loaded.entries.size, 0);
});

test("a corrupt, foreign-adapter or malformed cache file loads as empty with a message naming the file", () => {
  const dir = mkdtempSync(join(tmpdir(), "jitscope-tune-"));
  const path = join(dir, "autotune.json");
  writeFileSync(path, '{"version": 2, "adapter": "adapter A", "entr');
  const corrupt = loadCache(path, "adapter A");
  assert.equal(corrupt.entries.size, 0);
  assert.match(
    corrupt.problem!,
    new RegExp(`autotune cache ${path.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} is not usable \\(not JSON`),
  );
  assert.match(corrupt.problem!, /searching again and rewriting it/);
  saveCache(path, "adapter A", new Map([["k", entry]]));
  assert.match(loadCache(path, "adapter B").problem!, /written for adapter "adapter A", this is "adapter B"/);
  writeFileSync(path, JSON.stringify({ version: 2, adapter: "adapter A", entries: { k: { ...entry, winner: 3 } } }));
  assert.match(loadCache(path, "adapter A").problem!, /entries\["k"\]\.winner must be a string/);
});

test("a version 1 cache (candidates timed by the wall clock) loads as empty, with a message saying why", () => {
  const dir = mkdtempSync(join(tmpdir(), "jitscope-tune-"));
  const path = join(dir, "autotune.json");
  writeFileSync(path, JSON.stringify({ version: 1, adapter: "adapter A", entries: { k: entry } }));
  const loaded = loadCache(path, "adapter A");
  assert.equal(loaded.entries.size, 0);
  assert.match(
    loaded.problem!,
    /not usable \(its candidates were timed by the wall clock \(autotune cache version 1, an older JIT Scope\)\); ignoring it, searching again and rewriting it/,
  );
});

test("the cache path is per adapter under ~/.cache/jitscope, or JITSCOPE_AUTOTUNE_CACHE", () => {
  assert.equal(
    cachePathFor("llvmpipe", { XDG_CACHE_HOME: "/c" }),
    join("/c", "jitscope", `autotune-${adapterHash("llvmpipe")}.json`),
  );
  assert.notEqual(adapterHash("llvmpipe"), adapterHash("NVIDIA H200"));
  assert.equal(cachePathFor("llvmpipe", { JITSCOPE_AUTOTUNE_CACHE: "/tmp/t.json" }), "/tmp/t.json");
});

test("the report's autotune record is validated, and reads as one sentence", () => {
  assert.deepEqual(validateKernelAutotune({ ...entry, source: "search" }), { ...entry, source: "search" });
  assert.throws(() => validateKernelAutotune({ ...entry, source: "guess" }), ReportSchemaError);
  assert.throws(() => validateKernelAutotune({ ...entry, candidates: [{ config: "x" }] }), /candidates\[0\]\.medianNs/);
  assert.equal(
    formatAutotune({ ...entry, source: "search" }),
    "tried 2 variants; 4×8 vec4 wg8×8 won, 2.00× over the default 2×4 vec4 wg8×8 (searched in 500 ms budget)",
  );
  assert.equal(
    formatAutotune({ ...entry, winner: entry.defaultConfig, speedupOverDefault: 1, source: "cache" }),
    "tried 2 variants; the default 2×4 vec4 wg8×8 won (from the autotune cache)",
  );
});

/** x @ w + 1 by hand, as plain numbers. */
function reference(x: number[], w: number[], m: number, k: number, n: number): number[] {
  return Array.from({ length: m * n }, (_, idx) => {
    const i = Math.floor(idx / n),
      j = idx % n;
    let s = 1;
    for (let t = 0; t < k; t++) s += x[i * k + t]! * w[t * n + j]!;
    return s;
  });
}

test("search at first compile: the result lands in the cache file and later compilations use it; a corrupt cache is searched again", async (t) => {
  const backend = await webgpuBackendOrSkip(t);
  if (!backend) return;
  const dir = mkdtempSync(join(tmpdir(), "jitscope-tune-"));
  const path = join(dir, "autotune.json");
  const prevEnv = process.env.JITSCOPE_AUTOTUNE_CACHE;
  process.env.JITSCOPE_AUTOTUNE_CACHE = path;
  const warnings: string[] = [];
  resetTuner((m) => warnings.push(m));
  const prev = config({ backend: "webgpu", autotune: "search", autotuneBudgetMs: 400 });
  try {
    const [m, k, n] = [17, 36, 44];
    const xs = Array.from({ length: m * k }, (_, i) => Math.sin(i * 0.37));
    const ws = Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.11));
    const x = np.reshape(np.array(xs), [m, k]) as ConcreteArray;
    const w = np.reshape(np.array(ws), [k, n]) as ConcreteArray;
    const expected = reference(xs, ws, m, k, n);
    const f = (a: np.ArrayLike, b: np.ArrayLike) => np.add(np.matmul(a, b), 1);
    const check = async (y: unknown) => {
      const got = Array.from(await (y as ConcreteArray).data());
      got.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) < 1e-3, `[${i}] ${v} vs ${expected[i]}`));
    };

    const first = jit(f, { name: "first" });
    const lowered = await first.lower(x, w);
    assert.equal(lowered.kernels[0]!.autotune, undefined, "the first compile runs the default while it searches");
    await check(first(x, w));
    await runPendingSearches();
    assert.equal(pendingSearches(), 0);
    await check(first(x, w)); // re-lowered to the winner at this call
    const file = JSON.parse(readFileSync(path, "utf8")) as { entries: Record<string, CachedTune> };
    const key = "matmul float32 [1×] 17×36@36×44 A·B";
    const saved = file.entries[key]!;
    assert.ok(saved, `cache has ${key}: ${Object.keys(file.entries).join(", ")}`);
    assert.ok(saved.candidates.length >= 1 && saved.candidates.every((c) => parseMatmulConfig(c.config)));
    assert.ok(saved.candidates.some((c) => c.config === saved.winner));

    const second = jit(f, { name: "second" });
    const k2 = (await second.lower(x, w)).kernels[0]!;
    assert.equal(k2.autotune?.source, "search");
    assert.equal(k2.autotune?.winner, saved.winner);
    assert.ok(k2.wgsl.includes(`[${saved.winner}]`), "the kernel is the winner's module");
    await check(second(x, w));

    resetTuner((msg) => warnings.push(msg)); // a later process
    const third = jit(f, { name: "third" });
    assert.equal((await third.lower(x, w)).kernels[0]!.autotune?.source, "cache");
    assert.equal(pendingSearches(), 0, "a cached shape is not searched again");

    writeFileSync(path, "{ corrupt");
    resetTuner((msg) => warnings.push(msg));
    const fourth = jit(f, { name: "fourth" });
    assert.equal((await fourth.lower(x, w)).kernels[0]!.autotune, undefined);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /is not usable \(not JSON.*searching again and rewriting it/);
    await runPendingSearches();
    assert.ok(JSON.parse(readFileSync(path, "utf8")).entries[key], "the search rewrote the cache");
    await check(fourth(x, w));
  } finally {
    config({ backend: prev.backend, autotune: prev.autotune, autotuneBudgetMs: prev.autotuneBudgetMs });
    if (prevEnv === undefined) delete process.env.JITSCOPE_AUTOTUNE_CACHE;
    else process.env.JITSCOPE_AUTOTUNE_CACHE = prevEnv;
    resetTuner();
  }
});
