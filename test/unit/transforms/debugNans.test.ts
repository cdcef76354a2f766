// jax_debug_nans / jax_debug_infs (runtime/src/debugNans.ts): on the CPU backend the first op to
// make a NaN (inf) throws JAX's FloatingPointError naming the op, at the user's line; a jitted
// call whose outputs hold one runs again op by op so the error names the op inside it; gradients'
// ops are checked too; with the flags off, or values clean, nothing changes. On WebGPU the flag
// warns once that nothing is checked there, and the values come back as computed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { config, grad, jit, np, type Array as Arr } from "../../../runtime/src/index.js";
import { JitScopeError } from "../../../runtime/src/ir/errors.js";
import { here, onBackend, webgpuOrSkip } from "../ops/harness.js";

/** The FloatingPointError `fn` throws on the CPU backend with `flag` set. */
function caught(flag: "jax_debug_nans" | "jax_debug_infs", fn: () => unknown): JitScopeError {
  config.update(flag, true);
  try {
    onBackend("cpu", fn);
  } catch (e) {
    assert.ok(e instanceof JitScopeError, String(e));
    return e;
  } finally {
    config.update(flag, false);
  }
  assert.fail("expected a FloatingPointError");
}

const atLine = (e: JitScopeError, line: number) => {
  assert.equal(e.name, "FloatingPointError");
  assert.equal(e.kind, "floating");
  assert.ok(e.location?.file.endsWith("debugNans.test.ts"), String(e.location?.file));
  assert.equal(e.location?.line, line, e.message);
};

test("eager: the op that makes the NaN throws FloatingPointError naming it, at the user's line", () => {
  const line = here() + 1;
  const e = caught("jax_debug_nans", () => np.log(np.array([-1, 2])));
  assert.match(e.message, /^invalid value \(nan\) encountered in log \(jax_debug_nans is set\)/);
  atLine(e, line);
  const line2 = here() + 4;
  const e2 = caught("jax_debug_nans", () => {
    const x = np.array([0, 1]);
    const y = np.multiply(x, 3); // 0 and 3: no NaN yet
    return np.divide(x, y); // 0 / 0
  });
  assert.match(e2.message, /encountered in div/);
  atLine(e2, line2);
});

test("jit: an invalid output reruns the function op by op, and the error names the op inside it", () => {
  const f = jit((x: Arr) => {
    const a = np.multiply(x, 2);
    return np.sqrt(np.subtract(a, 10)); // negative for x < 5
  });
  const line = here() - 2;
  const e = caught("jax_debug_nans", () => f(np.array([1, 20])));
  assert.match(e.message, /encountered in sqrt/);
  atLine(e, line);
});

test("the checks change nothing where the values are clean, and nothing with the flags off", async () => {
  config.update("jax_debug_nans", true);
  config.update("jax_debug_infs", true);
  try {
    const f = jit((x: Arr) => np.sqrt(np.subtract(np.multiply(x, 2), 10)));
    const got = await onBackend("cpu", () => f(np.array([7, 23]))).data();
    assert.deepEqual(Array.from(got), [2, 6]);
  } finally {
    config.update("jax_debug_nans", false);
    config.update("jax_debug_infs", false);
  }
  const off = await onBackend("cpu", () => np.log(np.array([-1]))).data();
  assert.ok(Number.isNaN(off[0]!), "with the flag off the NaN is returned");
});

test("jax_debug_infs: an overflow and a gradient's division by zero throw at their ops", () => {
  const line = here() + 1;
  const e = caught("jax_debug_infs", () => np.exp(np.array([100])));
  assert.match(e.message, /^invalid value \(inf\) encountered in exp \(jax_debug_infs is set\)/);
  atLine(e, line);
  // d√x/dx = 1 / (2√x) is inf at 0: the backward pass's division is where it appears.
  const e2 = caught("jax_debug_infs", () => grad((x: Arr) => np.sum(np.sqrt(x)))(np.array([0, 1])));
  assert.match(e2.message, /invalid value \(inf\) encountered in div/);
  assert.equal(e2.name, "FloatingPointError");
  const nan = caught("jax_debug_nans", () => np.subtract(np.array([Infinity]), np.array([Infinity])));
  assert.match(nan.message, /\(nan\) encountered in sub/);
});

test("on WebGPU the flag warns once that nothing is checked there, and the values come back as computed", async (t) => {
  if (!(await webgpuOrSkip(t))) return;
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (m: unknown) => void warnings.push(String(m));
  config.update("jax_debug_nans", true);
  try {
    const a = await onBackend("webgpu", () => np.log(np.array([-1]))).data();
    const b = await onBackend("webgpu", () => np.sqrt(np.array([-1]))).data();
    assert.ok(Number.isNaN(a[0]!) && Number.isNaN(b[0]!));
  } finally {
    config.update("jax_debug_nans", false);
    console.warn = warn;
  }
  // The earlier tests ran on the CPU backend only, so this is the process's first and only warning.
  assert.equal(warnings.length, 1, warnings.join("\n"));
  assert.match(warnings[0]!, /nothing is checked on webgpu; run with --backend cpu/);
});

test("a bad value for the flags is refused by name", () => {
  assert.throws(
    () => config.update("jax_debug_nans", "yes"),
    /config\.update: jax_debug_nans takes true or false, got "yes"/,
  );
});
