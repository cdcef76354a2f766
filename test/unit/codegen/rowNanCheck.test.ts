// A row max's NaN bookkeeping (codegen/rowNanCheck.ts) goes where every output reading the max
// is NaN anyway when its row holds a NaN (softmax, log-softmax, a cross-entropy), and stays
// where an output could hide the NaN (the max itself, x − max). Results are compared with the
// CPU backend on rows holding a NaN, a +inf and a −inf, as vec4 rows, scalar rows and rows too
// long for the register cache: NaN where the CPU has NaN, within 2e-5 elsewhere.

import { test } from "node:test";
import assert from "node:assert/strict";
import { jit, nn, np } from "../../../runtime/src/index.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { forceRowKernels } from "../../../runtime/src/codegen/subgroupSupport.js";
import { assertClose, onBackend, webgpuBackendOrSkip } from "../ops/harness.js";

type A = Tracer;
forceRowKernels(true);

const BOOKKEEPING = /bad\d|subgroupMax\(b\d\)/;

function rows(cols: number): Float32Array {
  const host = Float32Array.from({ length: 5 * cols }, (_, i) => Math.sin(i * 12.9898) * 3);
  host[cols + 13] = NaN; // row 1
  host[2 * cols + 5] = Infinity; // row 2
  host[3 * cols + 7] = -Infinity; // row 3
  return host;
}

/** One-hot rows of labels 1, 0, 3, 2, 4 as a host array (a constant of the jitted program). */
function oneHotRows(cols: number): A {
  const host = new Float32Array(5 * cols);
  [1, 0, 3, 2, 4].forEach((label, r) => (host[r * cols + label] = 1));
  return np.reshape(np.array(host), [5, cols]) as A;
}

const CASES: readonly [string, (x: A) => A, boolean][] = [
  ["softmax", (x) => nn.softmax(x, -1) as A, false],
  ["log_softmax", (x) => nn.log_softmax(x, -1) as A, false],
  [
    "log-sum-exp written out (max + log(sum(exp(x − max))))",
    (x) => np.add(np.max(x, -1), np.log(np.sum(np.exp(np.subtract(x, np.max(x, -1, { keepdims: true }))), -1))) as A,
    false,
  ],
  [
    "cross-entropy stacked with the row max it computed (the max itself an output)",
    (x) =>
      np.stack([
        np.negative(np.sum(np.multiply(oneHotRows(x.aval.shape[1]!), nn.log_softmax(x, -1)), -1)),
        np.max(x, -1),
      ]) as A,
    true,
  ],
  [
    "cross-entropy against nn.one_hot, made in the row kernel (0 · NaN is NaN: the sum is)",
    (x) =>
      np.negative(
        np.sum(
          np.multiply(nn.one_hot(np.array(Int32Array.from([1, 0, 3, 2, 4])), x.aval.shape[1]!), nn.log_softmax(x, -1)),
          -1,
        ),
      ) as A,
    false,
  ],
  [
    "max(x) + sum(maximum(x, 0)): a sum that may drop the NaN",
    (x) => np.add(np.max(x, -1), np.sum(np.maximum(x, 0), -1)) as A,
    true,
  ],
  ["x − max(x), no sum", (x) => np.subtract(x, np.max(x, -1, { keepdims: true })) as A, true],
];

for (const [name, f, kept] of CASES)
  test(`${name}: the row kernel ${kept ? "keeps" : "drops"} the max's NaN bookkeeping and matches the CPU on rows with NaN, +inf and −inf`, async (t) => {
    const b = await webgpuBackendOrSkip(t);
    if (!b) return;
    for (const cols of [1024, 40, 41, 4100]) {
      const host = rows(cols);
      const x = onBackend("webgpu", () => np.reshape(np.array(host), [5, cols]) as A);
      const lowered = await onBackend("webgpu", () => jit(f).lower(x));
      const row = lowered.kernels.filter((k) => /row-local/.test(k.wgsl));
      assert.ok(row.length > 0, `${name} [5,${cols}]: a row kernel`);
      for (const k of row)
        assert.equal(BOOKKEEPING.test(k.wgsl), kept, `${name} [5,${cols}]: bookkeeping in ${k.name}`);
      const want = await onBackend("cpu", () => f(np.reshape(np.array(host), [5, cols]) as A)).data();
      const got = await onBackend("webgpu", () => jit(f)(x) as A).data();
      assertClose(Array.from(got), Array.from(want), "float32", 2e-5, 2e-5, `${name} [5,${cols}]`);
    }
  });

test("softmax: a NaN in a row makes that whole row NaN and no other, as on the CPU", async (t) => {
  const b = await webgpuBackendOrSkip(t);
  if (!b) return;
  const cols = 1024;
  const got = await onBackend("webgpu", () =>
    jit((v: A) => nn.softmax(v, -1) as A)(np.reshape(np.array(rows(cols)), [5, cols]) as A),
  ).data();
  const nanRows = [0, 1, 2, 3, 4].map((r) => Array.from(got.subarray(r * cols, (r + 1) * cols)).every(Number.isNaN));
  // Row 2 holds +inf: inf − inf is NaN there, so its sum and every element are NaN too (JAX alike).
  assert.deepEqual(nanRows, [false, true, true, false, false]);
});
