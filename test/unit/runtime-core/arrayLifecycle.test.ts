// Eager arrays: reading back (data, toArray nesting), blockUntilReady, dispose and the clear
// error on any use after it. Runs on the current backend (WebGPU when an adapter exists).
import { test } from "node:test";
import assert from "node:assert/strict";
import "../../../runtime/src/index.js";
import { arrayFromHost, ConcreteArray, nest } from "../../../runtime/src/array.js";
import { bind1, lit } from "../../../runtime/src/trace/core.js";
import { JitScopeError } from "../../../runtime/src/ir/errors.js";
import { cpuBackend, currentBackend } from "../../../runtime/src/backend/select.js";

function isDisposedError(e: unknown): boolean {
  assert.ok(e instanceof JitScopeError, `expected a JitScopeError, got ${String(e)}`);
  assert.equal(e.kind, "disposed");
  assert.match(e.message, /array read after dispose\(\)/);
  assert.match(e.message, /f32\[2,2\]/);
  // The error points at this test file, not at the runtime.
  assert.ok(e.location?.file.endsWith("arrayLifecycle.test.ts"), `location ${JSON.stringify(e.location)}`);
  return true;
}

test("toArray nests by shape: scalar, vector, matrix, rank 3, empty, bool", async () => {
  assert.equal(await arrayFromHost([7], [], "float32").toArray(), 7);
  assert.deepEqual(await arrayFromHost([1, 2], [2], "int32").toArray(), [1, 2]);
  assert.deepEqual(await arrayFromHost([1, 2, 3, 4, 5, 6], [2, 3], "float32").toArray(), [
    [1, 2, 3],
    [4, 5, 6],
  ]);
  assert.deepEqual(await arrayFromHost([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2], "int32").toArray(), [
    [
      [1, 2],
      [3, 4],
    ],
    [
      [5, 6],
      [7, 8],
    ],
  ]);
  assert.deepEqual(await arrayFromHost([], [2, 0], "float32").toArray(), [[], []]);
  assert.deepEqual(await arrayFromHost(Uint8Array.from([1, 0]), [2], "bool").toArray(), [true, false]);
  assert.deepEqual(nest([1, 2, 3, 4], [4, 1], "int32"), [[1], [2], [3], [4]]);
});

test("data() gives a typed array of the dtype's storage type, and a copy", async () => {
  const a = arrayFromHost([1.5, 2.5], [2], "float32");
  const d = await a.data();
  assert.ok(d instanceof Float32Array);
  assert.deepEqual(Array.from(d), [1.5, 2.5]);
  d[0] = 100;
  assert.deepEqual(Array.from(await a.data()), [1.5, 2.5]);
  assert.ok((await arrayFromHost([3, 4], [2], "int32").data()) instanceof Int32Array);
  assert.ok((await arrayFromHost(Uint8Array.from([1]), [1], "bool").data()) instanceof Uint8Array);
});

test("the host buffer an array was made from is copied, not shared", async () => {
  const src = Float32Array.from([1, 2, 3]);
  const a = arrayFromHost(src, [3], "float32");
  src[0] = 42;
  assert.deepEqual(await a.toArray(), [1, 2, 3]);
});

test("numbers given for int32 are converted (truncated toward zero)", async () => {
  assert.deepEqual(await arrayFromHost([1.7, -1.7], [2], "int32").toArray(), [1, -1]);
});

test("ops return at once; blockUntilReady resolves to the same array", async () => {
  const a = arrayFromHost([1, 2, 3, 4], [2, 2], "float32");
  const b = bind1("mul", {}, [a, lit(2, "float32")]);
  assert.ok(b instanceof ConcreteArray);
  assert.deepEqual(b.shape, [2, 2]);
  assert.equal(await b.blockUntilReady(), b);
  assert.deepEqual(await b.toArray(), [
    [2, 4],
    [6, 8],
  ]);
});

test("dispose() frees at once; every later read or use is a clear error", async () => {
  const a = arrayFromHost([1, 2, 3, 4], [2, 2], "float32");
  a.dispose();
  a.dispose(); // idempotent
  assert.equal(a.isDisposed, true);
  await assert.rejects(a.data(), isDisposedError);
  await assert.rejects(a.toArray(), isDisposedError);
  await assert.rejects(a.blockUntilReady(), isDisposedError);
  assert.throws(() => bind1("neg", {}, [a]), isDisposedError);
  assert.match(a.toString(), /disposed/);
});

test("dispose() gives the storage back to the backend (live count drops by one)", () => {
  const backend = currentBackend();
  if (!backend.stats) return assert.fail(`backend ${backend.name} has no stats()`);
  const before = backend.stats().liveArrays;
  const a = arrayFromHost([1, 2, 3], [3], "float32");
  assert.equal(backend.stats().liveArrays, before + 1);
  a.dispose();
  assert.equal(backend.stats().liveArrays, before);
});

test("the CPU backend's stats count live arrays and bytes", () => {
  const cpu = cpuBackend();
  const before = cpu.stats();
  const d = cpu.fromHost(Float32Array.from([1, 2, 3, 4]), { shape: [4], dtype: "float32" });
  assert.deepEqual(cpu.stats(), { ...before, liveArrays: before.liveArrays + 1, liveBytes: before.liveBytes + 16 });
  cpu.free(d);
  cpu.free(d);
  assert.deepEqual(cpu.stats(), before);
});

test("to(backend) copies through the host; to the same backend is the array itself", async () => {
  const a = arrayFromHost([1, 2], [2], "float32");
  assert.equal(await a.to(a.backend.name), a);
  const c = await a.to("cpu");
  assert.equal(c.backend.name, "cpu");
  assert.deepEqual(await c.toArray(), [1, 2]);
});

test("a shape error from an eager op names the op, both shapes and this file:line", () => {
  const a = arrayFromHost([1, 2, 3, 4, 5, 6], [2, 3], "float32");
  const b = arrayFromHost([1, 2, 3, 4, 5, 6], [3, 2], "float32");
  const line = Number(new Error().stack!.split("\n")[1]!.match(/:(\d+):\d+\)?$/)![1]) + 2;
  assert.throws(
    () => bind1("add", {}, [a, b]),
    (e: unknown) => {
      assert.ok(e instanceof JitScopeError);
      assert.equal(e.kind, "shape");
      assert.match(e.message, /^add: shapes differ \(f32\[2,3\], f32\[3,2\]\)/);
      assert.ok(e.location?.file.endsWith("arrayLifecycle.test.ts"));
      assert.equal(e.location?.line, line);
      assert.match(e.message, new RegExp(`arrayLifecycle\\.test\\.ts:${line}:`));
      return true;
    },
  );
});
