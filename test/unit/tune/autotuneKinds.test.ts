// The autotuner on the kernel kinds beyond matmul, through jit: an elementwise chain and a conv
// are searched at first compile, the winners land in the cache under their shape classes, later
// compilations run them with results equal to hand-computed references, and a cached winner the
// kernel cannot use (a name of no candidate) is ignored and searched again. Timing is never
// asserted: only which configurations exist and what the kernels compute.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { np, nn, lax, config } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import type { ConcreteArray } from "../../../runtime/src/array.js";
import type { CachedTune } from "../../../runtime/src/codegen/tune/tuneCache.js";
import { defaultElementwiseConfig, describeElementwiseConfig } from "../../../runtime/src/codegen/elementwiseConfig.js";
import { pendingSearches, resetTuner, runPendingSearches } from "../../../runtime/src/codegen/tune/tuner.js";
import { webgpuBackendOrSkip } from "../ops/harness.js";

/** `budgetMs`: a search's time budget; a test that asserts which candidates were tried gives one
 *  no loaded machine spends before reaching them all (the search stops when they are done). */
async function withSearch(
  t: Parameters<typeof webgpuBackendOrSkip>[0],
  body: (path: string) => Promise<void>,
  budgetMs = 300,
) {
  if (!(await webgpuBackendOrSkip(t))) return;
  const path = join(mkdtempSync(join(tmpdir(), "jitscope-tune-kinds-")), "autotune.json");
  const prevEnv = process.env.JITSCOPE_AUTOTUNE_CACHE;
  process.env.JITSCOPE_AUTOTUNE_CACHE = path;
  resetTuner(() => {});
  const prev = config({ backend: "webgpu", autotune: "search", autotuneBudgetMs: budgetMs });
  try {
    await body(path);
  } finally {
    config({ backend: prev.backend, autotune: prev.autotune, autotuneBudgetMs: prev.autotuneBudgetMs });
    if (prevEnv === undefined) delete process.env.JITSCOPE_AUTOTUNE_CACHE;
    else process.env.JITSCOPE_AUTOTUNE_CACHE = prevEnv;
    resetTuner();
  }
}

const entries = (path: string) =>
  (JSON.parse(readFileSync(path, "utf8")) as { entries: Record<string, CachedTune> }).entries;

test("an elementwise chain of 70,001 values is searched at first compile and its winner's results equal the reference; an unusable cached winner is searched again", async (t) => {
  await withSearch(t, async (path) => {
    const n = 70_001;
    const xs = Array.from({ length: n }, (_, i) => Math.sin(i * 0.013) * 2);
    const expected = xs.map((v) => Math.tanh(v * 1.5 + 0.5) * v - Math.exp(-v * v));
    const x = np.array(xs) as ConcreteArray;
    const f = (v: np.ArrayLike) =>
      np.subtract(np.multiply(np.tanh(np.add(np.multiply(v, 1.5), 0.5)), v), np.exp(np.negative(np.multiply(v, v))));
    const check = async (y: unknown) => {
      const got = Array.from(await (y as ConcreteArray).data());
      got.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) < 1e-5, `[${i}] ${v} vs ${expected[i]}`));
    };
    const first = jit(f, { name: "first" });
    assert.equal((await first.lower(x)).kernels[0]!.autotune, undefined);
    await check(first(x));
    assert.equal(pendingSearches(), 1);
    await runPendingSearches();
    const key = `elementwise ${n} mul·add·tanh·mul·mul·neg·exp·sub in float32[${n}] out float32`;
    const saved = entries(path)[key]!;
    assert.ok(saved, Object.keys(entries(path)).join("; "));
    // The attached adapter's default (vec4 ×16 wg64 on lavapipe; elementwiseDefaults.test.ts).
    const dflt = describeElementwiseConfig(defaultElementwiseConfig(4, n));
    assert.equal(saved.defaultConfig, dflt);
    assert.equal(saved.candidates[0]!.config, dflt);
    await check(first(x)); // re-lowered to the winner
    const second = jit(f, { name: "second" });
    const k = (await second.lower(x)).kernels[0]!;
    assert.equal(k.autotune?.winner, saved.winner);
    assert.equal(k.autotune?.shapeClass, key);
    assert.ok(k.wgsl.includes(`[${saved.winner}]`), "the kernel is the winner's module");
    await check(second(x));

    writeFileSync(
      path,
      JSON.stringify({
        ...JSON.parse(readFileSync(path, "utf8")),
        entries: { [key]: { ...saved, winner: "vec4 ×3 wg64" } },
      }),
    );
    resetTuner(() => {});
    const third = jit(f, { name: "third" });
    assert.equal((await third.lower(x)).kernels[0]!.autotune, undefined, "a winner no candidate has is not used");
    assert.equal(pendingSearches(), 1, "and its class is searched again");
    await runPendingSearches();
    assert.notEqual(entries(path)[key]!.winner, "vec4 ×3 wg64");
    await check(third(x));
  });
});

/** conv(x, w) SAME, stride 1, NCHW/OIHW, by hand. */
function convRef(x: number[], w: number[], [N, C, H, W]: number[], [O, , KH, KW]: number[]): number[] {
  const out: number[] = [];
  for (let b = 0; b < N!; b++)
    for (let o = 0; o < O!; o++)
      for (let i = 0; i < H!; i++)
        for (let j = 0; j < W!; j++) {
          let s = 0;
          for (let c = 0; c < C!; c++)
            for (let u = 0; u < KH!; u++)
              for (let v = 0; v < KW!; v++) {
                const [ii, jj] = [i + u - 1, j + v - 1];
                if (ii >= 0 && ii < H! && jj >= 0 && jj < W!)
                  s += x[((b * C! + c) * H! + ii) * W! + jj]! * w[((o * C! + c) * KH! + u) * KW! + v]!;
              }
          out.push(s);
        }
  return out;
}

test("a conv on 13×11 images is searched at first compile and its winner's results equal the hand-computed conv", async (t) => {
  await withSearch(t, async (path) => {
    const xs = [3, 5, 13, 11],
      ws = [6, 5, 3, 3];
    const xd = Array.from({ length: xs.reduce((a, b) => a * b) }, (_, i) => Math.sin(i * 0.7));
    const wd = Array.from({ length: ws.reduce((a, b) => a * b) }, (_, i) => Math.cos(i * 0.3));
    const x = np.reshape(np.array(xd), xs) as ConcreteArray;
    const w = np.reshape(np.array(wd), ws) as ConcreteArray;
    const expected = convRef(xd, wd, xs, ws);
    const f = (a: np.ArrayLike, b: np.ArrayLike) => lax.conv_general_dilated(a, b, [1, 1], "SAME");
    const check = async (y: unknown) => {
      const got = Array.from(await (y as ConcreteArray).data());
      assert.equal(got.length, expected.length);
      got.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) < 1e-3, `[${i}] ${v} vs ${expected[i]}`));
    };
    const first = jit(f, { name: "first" });
    await check(first(x, w));
    await runPendingSearches();
    const key = "conv float32 [3,5,13,11]*[6,5,3,3]->[3,6,13,11] s1,1 p1,1/1,1 d1,1/1,1 g1";
    const saved = entries(path)[key]!;
    assert.ok(saved, Object.keys(entries(path)).join("; "));
    assert.equal(saved.candidates[0]!.config, saved.defaultConfig, "the default is tried first");
    assert.match(saved.winner, /^\d+×\d+ (wg\d+|split-K \d+)$/);
    await check(first(x, w));
    const k = (await jit(f, { name: "second" }).lower(x, w)).kernels.find((q) => q.autotune)!;
    assert.equal(k.autotune!.winner, saved.winner);
    assert.ok(k.wgsl.includes(`[${saved.winner}]`));
  });
});

/** Attention's masked softmax over [rows, cols] in float64: softmax(x/8 + mask) per row. */
function maskedSoftmaxRef(x: readonly number[], mask: readonly number[], cols: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < x.length / cols; r++) {
    const a = Array.from({ length: cols }, (_, c) => x[r * cols + c]! * 0.125 + mask[r * cols + c]!);
    const m = Math.max(...a);
    const s = a.reduce((acc, v) => acc + Math.exp(v - m), 0);
    out.push(...a.map((v) => Math.exp(v - m) / s));
  }
  return out;
}

test("a masked softmax over [64, 1024] is searched with the online loop among its candidates; a cached online winner runs and equals the reference", async (t) => {
  await withSearch(
    t,
    async (path) => {
      const [R, C] = [64, 1024];
      const xd = Array.from({ length: R * C }, (_, i) => Math.sin(i * 0.37) * 20);
      // Causal: row r sees columns up to 16·r, −inf after (the first lanes of later loads: −inf).
      const md = Array.from({ length: R * C }, (_, i) => (i % C <= 16 * Math.floor(i / C) ? 0 : -Infinity));
      const expected = maskedSoftmaxRef(xd, md, C);
      const x = np.reshape(np.array(xd), [R, C]) as ConcreteArray;
      const m = np.reshape(np.array(md), [R, C]) as ConcreteArray;
      const f = (a: np.ArrayLike, b: np.ArrayLike) => nn.softmax(np.add(np.multiply(a, 0.125), b), -1);
      const check = async (y: unknown, what: string) => {
        const got = Array.from(await (y as ConcreteArray).data());
        assert.equal(got.length, expected.length);
        got.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) < 1e-6, `${what} [${i}] ${v} vs ${expected[i]}`));
      };
      const first = jit(f, { name: "first" });
      await check(first(x, m), "untuned");
      await runPendingSearches();
      const key = Object.keys(entries(path)).find((k) => k.startsWith("row "));
      assert.ok(key, Object.keys(entries(path)).join("; "));
      const saved = entries(path)[key]!;
      const tried = saved.candidates.map((c) => c.config);
      assert.equal(tried[0], saved.defaultConfig, "the default is tried first");
      assert.match(saved.defaultConfig, /^two loops, \d+ rows?\/wg$/);
      assert.ok(
        tried.some((c) => c.startsWith("online, ")),
        tried.join(" · "),
      );
      await check(first(x, m), `re-lowered to ${saved.winner}`);

      const online = tried.find((c) => c.startsWith("online, "))!;
      writeFileSync(
        path,
        JSON.stringify({ ...JSON.parse(readFileSync(path, "utf8")), entries: { [key]: { ...saved, winner: online } } }),
      );
      resetTuner(() => {});
      const second = jit(f, { name: "second" });
      const k = (await second.lower(x, m)).kernels.find((q) => q.autotune)!;
      assert.equal(k.autotune!.winner, online);
      assert.ok(k.wgsl.includes(`[${online}]`) && /online softmax/.test(k.plan), k.plan);
      await check(second(x, m), online);
    },
    // Every candidate must be reached: a budget no machine spends first (the search stops when
    // they are done). 60 s ran out after two candidates once, on a 2-core machine running other
    // test files beside it.
    600_000,
  );
});
