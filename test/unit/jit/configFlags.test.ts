// JAX's spelling of the settings: config.update("jax_…", value) and disable_jit(() => …).
// jax_disable_jit and disable_jit make every jit a pass-through (the function runs, and traces,
// on each call) and restore the setting after; jax_log_compiles writes one stderr line per
// compilation with the argument types and the retrace reason; the platform flags pick the
// backend; x64 and debug_nans warn once; unknown names and bad values are errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { np } from "../../../runtime/src/index.js";
import { config, disable_jit } from "../../../runtime/src/configFlags.js";
import { getConfig } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { refuses } from "../ops/harness.js";

config({ backend: "cpu" });

/** The console.warn lines `fn` writes (awaited), and its result. */
async function warnings<R>(fn: () => R | Promise<R>): Promise<[string[], R]> {
  const lines: string[] = [];
  const orig = console.warn;
  console.warn = (...a: unknown[]) => void lines.push(a.map(String).join(" "));
  try {
    return [lines, await fn()];
  } finally {
    console.warn = orig;
  }
}

test("config.update('jax_disable_jit', true) runs the function on every call; false compiles once again", async () => {
  let runs = 0;
  const f = jit((x: Tracer) => (runs++, np.multiply(x, 3)));
  config.update("jax_disable_jit", true);
  try {
    assert.deepEqual(await f(np.array([1, 2])).toArray(), [3, 6]);
    f(np.array([1, 2]));
    assert.equal(runs, 2);
    assert.equal(f.cacheSize, 0);
  } finally {
    config.update("jax_disable_jit", false);
  }
  f(np.array([1, 2]));
  f(np.array([1, 2]));
  assert.equal(runs, 3);
  assert.equal(f.cacheSize, 1);
});

test("disable_jit(body) returns body's value and restores the setting, after a throw and after an async body", async () => {
  let runs = 0;
  const f = jit((x: Tracer) => (runs++, np.add(x, 1)));
  const out = disable_jit(() => f(np.array([1])));
  assert.deepEqual(await out.toArray(), [2]);
  assert.equal(getConfig().disableJit, false);
  assert.throws(() =>
    disable_jit(() => {
      throw new Error("boom");
    }),
  );
  assert.equal(getConfig().disableJit, false);
  const pending = disable_jit(async () => {
    await Promise.resolve();
    assert.equal(getConfig().disableJit, true); // still on while the body runs
    return f(np.array([5]));
  });
  assert.deepEqual(await (await pending).toArray(), [6]);
  assert.equal(getConfig().disableJit, false);
  assert.equal(runs, 2);
  assert.equal(f.cacheSize, 0);
  refuses(() => disable_jit(5 as never), /disable_jit: pass the code to run as a function/);
});

test("jax_log_compiles logs each compilation with its types, kernel count and reason, and nothing for a cached call", async () => {
  config.update("jax_log_compiles", true);
  try {
    const step = jit((x: Tracer, w: Tracer) => np.tanh(np.matmul(x, w)));
    const [lines] = await warnings(() => {
      step(np.ones([2, 3]), np.ones([3, 4]));
      step(np.ones([2, 3]), np.ones([3, 4]));
      step(np.ones([5, 3]), np.ones([3, 4]));
    });
    assert.equal(lines.length, 2);
    assert.match(
      lines[0]!,
      /^jitscope: jit\(step\) at configFlags\.test\.ts:\d+ compiled in [\d.]+ ms, \d+ kernels?, for f32\[2,3\], f32\[3,4\] \(first call\)$/,
    );
    assert.match(lines[1]!, /for f32\[5,3\], f32\[3,4\] \(argument 0: shape \[2,3\] → \[5,3\]\)$/);
  } finally {
    config.update("jax_log_compiles", false);
  }
  const quiet = jit((x: Tracer) => np.negative(x));
  const [none] = await warnings(() => quiet(np.ones([2])));
  assert.deepEqual(none, []);
});

test("jax_platform_name / jax_platforms pick the backend: cpu, or WebGPU for an accelerator name", () => {
  const prev = getConfig().backend;
  try {
    config.update("jax_platform_name", "gpu");
    assert.equal(getConfig().backend, "webgpu");
    config.update("jax_platforms", "cpu");
    assert.equal(getConfig().backend, "cpu");
    config.update("jax_platforms", "cuda,cpu");
    assert.equal(getConfig().backend, "webgpu");
    refuses(() => config.update("jax_platforms", "abacus"), /unknown platform "abacus"; use "cpu" or "gpu"/);
  } finally {
    config({ backend: prev });
  }
});

test("jax_enable_x64 warns once that it is not available, false says nothing; jax_debug_nans and jax_debug_infs set the checks without a warning", async () => {
  const [lines] = await warnings(() => {
    config.update("jax_enable_x64", false);
    config.update("jax_enable_x64", true);
    config.update("jax_enable_x64", true);
    config.update("jax_debug_nans", true);
    config.update("jax_debug_infs", true);
    config.update("jax_default_matmul_precision", "highest");
  });
  try {
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /jax_enable_x64 is not available: WebGPU has no float64 or int64, so arrays stay 32-bit/);
    assert.equal(getConfig().debugNans, true);
    assert.equal(getConfig().debugInfs, true);
  } finally {
    config.update("jax_debug_nans", false);
    config.update("jax_debug_infs", false);
  }
  assert.equal(getConfig().debugNans, false);
  // The program still runs, in float32.
  assert.equal(np.array([1.5]).dtype, "float32");
});

test("an unknown flag names the one likely meant and the known ones; a bad value says what the flag takes", () => {
  refuses(
    () => config.update("jax_disable_jti", true),
    /unknown or unsupported flag "jax_disable_jti" \(did you mean jax_disable_jit\?\); this runtime reads jax_disable_jit, jax_log_compiles/,
  );
  refuses(() => config.update("jax_disable_jit", "yes"), /jax_disable_jit takes true or false, got "yes"/);
  refuses(
    () => config.update("jax_default_matmul_precision", "double"),
    /jax_default_matmul_precision must be one of default, high, highest/,
  );
});
