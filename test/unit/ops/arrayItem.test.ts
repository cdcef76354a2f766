// The reads and attributes a JAX user types on an array: `await x.item()` (the one value of a
// one-element array), `await x.tolist()` (toArray's JAX name), `x.itemsize` and `x.nbytes` (the
// dtype's bytes, as JAX gives them) and `x.copy()` (storage of its own), on both backends; and what
// each says when it cannot answer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { jit } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import { JitScopeError } from "../../../runtime/src/ir/errors.js";
import { initWebGpu } from "../../../runtime/src/backend/select.js";
import { getConfig } from "../../../runtime/src/config.js";
import { onBackend } from "./harness.js";

async function backends(): Promise<("cpu" | "webgpu")[]> {
  if (await initWebGpu()) return ["cpu", "webgpu"];
  if (getConfig().requireWebgpu) assert.fail("JITSCOPE_REQUIRE_WEBGPU=1 but no WebGPU adapter");
  return ["cpu"];
}

test("item() reads the one value of a one-element array of any rank: a float32 sum, an int32 [1,1], a bool", async () => {
  for (const b of await backends()) {
    const [s, i, yes] = onBackend(b, () => [
      np.sum(np.array([1.5, 2.25, 4])),
      np.reshape(np.array([7], { dtype: "int32" }), [1, 1]),
      np.greater(np.array(3), 2),
    ]);
    assert.equal(await s.item(), 7.75, b);
    assert.equal(await i.item(), 7, b);
    assert.equal(await yes.item(), true, b);
  }
});

test("item() on an array of several elements is an error naming its shape and what to write", async () => {
  for (const b of await backends()) {
    const x = onBackend(b, () => np.array([1, 2, 3]));
    await assert.rejects(x.item(), (e: unknown) => {
      assert.ok(e instanceof JitScopeError);
      assert.match(e.message, /item\(\) reads an array of one element; float32\[3\] has 3/);
      assert.match(e.message, /await x\.toArray\(\)/);
      return true;
    });
  }
});

test("item() and tolist() inside a traced function are errors saying to read the value outside", async () => {
  let caught: unknown = null;
  const f = jit((x: np.ArrayLike) => {
    const t = np.sum(x);
    t.item().catch((e: unknown) => (caught = e));
    return t;
  });
  await onBackend("cpu", () => f(np.array([1, 2]))).data();
  await new Promise((r) => setTimeout(r, 0));
  assert.ok(caught instanceof JitScopeError);
  assert.match(caught.message, /cannot read a traced value: item\(\)/);
});

test("tolist() gives the nested values toArray() gives", async () => {
  for (const b of await backends()) {
    const x = onBackend(b, () => np.reshape(np.arange(6), [2, 3]));
    assert.deepEqual(await x.tolist(), [
      [0, 1, 2],
      [3, 4, 5],
    ]);
  }
});

test("itemsize and nbytes: 4 bytes per float32 or int32 element, 1 per bool, times the size", () => {
  const [f, i, bl] = onBackend("cpu", () => [
    np.zeros([3, 5]),
    np.zeros([7], { dtype: "int32" }),
    np.zeros([6], { dtype: "bool" }),
  ]);
  assert.deepEqual([f.itemsize, f.nbytes], [4, 60]);
  assert.deepEqual([i.itemsize, i.nbytes], [4, 28]);
  assert.deepEqual([bl.itemsize, bl.nbytes], [1, 6]);
});

test("copy() and np.copy give the same values and dtype in storage of their own: disposing the original leaves the copy readable", async () => {
  for (const b of await backends()) {
    const [f, i, yes] = onBackend(b, () => [
      np.array([1.5, -0, 3]),
      np.array([4, 5], { dtype: "int32" }),
      np.less(np.array([1, 3]), 2),
    ]);
    const [cf, ci, cb] = onBackend(b, () => [f.copy(), np.copy(i), yes.copy()]);
    f.dispose();
    i.dispose();
    yes.dispose();
    assert.deepEqual(await cf.toArray(), [1.5, -0, 3], b);
    assert.deepEqual([await ci.toArray(), ci.dtype], [[4, 5], "int32"], b);
    assert.deepEqual([await cb.toArray(), cb.dtype], [[true, false], "bool"], b);
  }
});
