// Shared harness for the np/nn tests: every case runs on the CPU reference (checked against
// hand-computed values), on WebGPU (checked against the CPU reference and the hand values), and
// under jit on WebGPU (checked against the hand values).
// Without an adapter the WebGPU half skips loudly, unless JITSCOPE_REQUIRE_WEBGPU=1 (then fails).
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { jit } from "../../../runtime/src/index.js";
import { initWebGpu, webGpuStatus } from "../../../runtime/src/backend/select.js";
import type { WebGpuBackend } from "../../../runtime/src/backend/webgpu.js";
import { config, getConfig } from "../../../runtime/src/config.js";
import { JitScopeError } from "../../../runtime/src/ir/errors.js";
import type { DType } from "../../../runtime/src/ir/types.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import type { Lowered } from "../../../runtime/src/trace/jitTypes.js";

export type Nested = number | boolean | readonly Nested[];

export interface OpCase {
  readonly name: string;
  /** Builds the result from scratch (called once per backend, so inputs live on that backend). */
  readonly build: () => Tracer;
  /** Hand-computed result (nested lists; a plain value for 0-d). */
  readonly expect: Nested;
  readonly dtype: DType;
  /** Defaults to the shape of `expect`. */
  readonly shape?: readonly number[];
  /** Tolerances for float32 (|a - e| <= atol + rtol·|e|). */
  readonly rtol?: number;
  readonly atol?: number;
}

export function onBackend<T>(backend: "cpu" | "webgpu", fn: () => T): T {
  const prev = config({ backend });
  try {
    return fn();
  } finally {
    config({ backend: prev.backend });
  }
}

/**
 * `f` run eagerly on the CPU reference and under jit on WebGPU, each on fresh arrays from `args`:
 * asserts the two agree (float32, |a - e| <= tol + tol·|e|), and returns the WebGPU compilation
 * for the test to inspect its kernels.
 */
export async function jitOnWebGpuMatchesCpu(
  name: string,
  f: (...xs: Tracer[]) => Tracer,
  args: () => Tracer[],
  tol = 1e-4,
): Promise<Lowered> {
  const want = Array.from(await onBackend("cpu", () => f(...args())).data());
  const got = Array.from(await onBackend("webgpu", () => jit(f)(...args())).data());
  assertClose(got, want, "float32", tol, tol, name);
  return onBackend("webgpu", () => jit(f).lower(...args()));
}

/** "<id>: <why>" for each case `disagreement` finds wrong on `backend`, in order; a case that
 *  throws disagrees with "threw <its first line>" (the JAX fixture replays). */
export async function disagreementsOn<C extends { readonly id: string }>(
  backend: "cpu" | "webgpu",
  cases: readonly C[],
  disagreement: (c: C) => Promise<string | null>,
): Promise<string[]> {
  const failures: string[] = [];
  for (const c of cases) {
    let why: string | null;
    try {
      why = await onBackend(backend, () => disagreement(c));
    } catch (e) {
      why = `threw ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`;
    }
    if (why) failures.push(`${c.id}: ${why}`);
  }
  return failures;
}

let warned = false;
/**
 * The one "WebGPU or skip" of the test suite: the WebGPU backend np and jit run on (one device per
 * test process), or null after skipping `t` loudly; under JITSCOPE_REQUIRE_WEBGPU=1 it fails.
 */
export async function webgpuBackendOrSkip(t: TestContext): Promise<WebGpuBackend | null> {
  const backend = await initWebGpu();
  if (backend) return backend as WebGpuBackend;
  const reason = webGpuStatus().reason ?? "unknown reason";
  if (getConfig().requireWebgpu) assert.fail(`JITSCOPE_REQUIRE_WEBGPU=1 but no WebGPU adapter: ${reason}`);
  if (!warned) {
    warned = true;
    console.warn(`\n*** WebGPU tests SKIPPED: no WebGPU adapter (${reason}) ***\n`);
  }
  t.skip(`no WebGPU adapter: ${reason}`);
  return null;
}

/** True when WebGPU is up; otherwise skips `t` loudly (see webgpuBackendOrSkip). */
export async function webgpuOrSkip(t: TestContext): Promise<boolean> {
  return (await webgpuBackendOrSkip(t)) !== null;
}

function shapeOf(v: Nested): number[] {
  const shape: number[] = [];
  let cur: Nested = v;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0] as Nested;
  }
  return shape;
}

/** Deep comparison: exact for ints and bools, within tolerance for floats (NaN equals NaN). */
export function assertClose(
  actual: unknown,
  expected: Nested,
  dtype: DType,
  rtol = 1e-5,
  atol = 1e-6,
  path = "",
): void {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path || "value"}: expected a list, got ${String(actual)}`);
    assert.equal(actual.length, expected.length, `${path || "value"}: length`);
    expected.forEach((e, i) => assertClose((actual as unknown[])[i], e as Nested, dtype, rtol, atol, `${path}[${i}]`));
    return;
  }
  if (dtype === "bool") {
    assert.equal(actual, Boolean(expected), `${path}: expected ${String(expected)}, got ${String(actual)}`);
    return;
  }
  assert.equal(typeof actual, "number", `${path}: expected a number, got ${String(actual)}`);
  const a = actual as number;
  const e = Number(expected);
  if (dtype === "int32") {
    assert.equal(a, e, `${path}: expected ${e}, got ${a}`);
    return;
  }
  if (Number.isNaN(e)) return assert.ok(Number.isNaN(a), `${path}: expected NaN, got ${a}`);
  if (!Number.isFinite(e)) return assert.equal(a, e, `${path}: expected ${e}, got ${a}`);
  assert.ok(
    Math.abs(a - e) <= atol + rtol * Math.abs(e),
    `${path}: expected ${e}, got ${a} (rtol ${rtol}, atol ${atol})`,
  );
}

async function checkResult(out: Tracer, c: OpCase, expected: Nested, what: string): Promise<void> {
  assert.equal(out.dtype, c.dtype, `${what}: dtype`);
  assert.deepEqual(out.shape, c.shape ? [...c.shape] : shapeOf(c.expect), `${what}: shape`);
  assertClose(await out.toArray(), expected, c.dtype, c.rtol, c.atol, what);
}

/** Registers three tests per case: CPU vs hand values; WebGPU vs CPU reference and hand values;
 *  the same built under jit on WebGPU vs hand values. */
export function opCases(group: string, cases: readonly OpCase[]): void {
  for (const c of cases) {
    test(`${group}: ${c.name} [cpu reference = hand values]`, async () => {
      await checkResult(onBackend("cpu", c.build), c, c.expect, "cpu vs hand");
    });
    test(`${group}: ${c.name} [webgpu = cpu reference = hand values]`, async (t) => {
      if (!(await webgpuOrSkip(t))) return;
      const reference = (await onBackend("cpu", c.build).toArray()) as Nested;
      const out = onBackend("webgpu", c.build);
      await checkResult(out, c, reference, "webgpu vs cpu");
      await checkResult(out, c, c.expect, "webgpu vs hand");
    });
    // Inside jit the same np code is traced, fused and compiled: the result must not change.
    test(`${group}: ${c.name} [jit on webgpu = hand values]`, async (t) => {
      if (!(await webgpuOrSkip(t))) return;
      const out = onBackend("webgpu", () => jit(c.build)() as Tracer);
      await checkResult(out, c, c.expect, "jit on webgpu vs hand");
    });
  }
}

/** The line number of the caller (source-mapped), for checking that errors point at it. */
export function here(): number {
  const stack = new Error().stack ?? "";
  const frame = stack.split("\n")[2] ?? "";
  const m = /:(\d+):\d+\)?\s*$/.exec(frame);
  if (!m) throw new Error(`cannot find the caller's line in ${frame}`);
  return Number(m[1]);
}

/**
 * Runs `fn` on each backend and checks it throws a JitScopeError that names every fragment and
 * points at `file`:`line` (the test's own call).
 */
export async function expectUserError(
  t: TestContext,
  fn: () => unknown,
  file: string,
  line: number,
  ...fragments: string[]
): Promise<void> {
  const backends: ("cpu" | "webgpu")[] = ["cpu"];
  if (await initWebGpu()) backends.push("webgpu");
  else if (getConfig().requireWebgpu) assert.fail("JITSCOPE_REQUIRE_WEBGPU=1 but no WebGPU adapter");
  else t.diagnostic("no WebGPU adapter: error checked on the CPU backend only");
  for (const b of backends) {
    let caught: unknown = null;
    try {
      onBackend(b, fn);
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof JitScopeError, `[${b}] expected a JitScopeError, got ${String(caught)}`);
    for (const f of fragments)
      assert.ok(caught.message.includes(f), `[${b}] "${caught.message}" should mention "${f}"`);
    assert.ok(caught.location, `[${b}] the error should carry the user's location: ${caught.message}`);
    assert.ok(caught.location.file.endsWith(file), `[${b}] location ${caught.location.file} should be ${file}`);
    assert.equal(caught.location.line, line, `[${b}] ${caught.message}`);
    assert.ok(
      caught.message.includes(`${file}:${line}:`),
      `[${b}] the message should name ${file}:${line}: ${caught.message}`,
    );
  }
}

/** Asserts that `fn` throws a JitScopeError whose message matches `message`. */
export function refuses(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof JitScopeError && message.test(e.message));
}
