// einsum with "..." (broadcast axes, as NumPy/JAX): JAX's results (scripts/jax/run_jax_einsum.py
// wrote test/fixtures/jax/einsum.json) on the CPU backend and on WebGPU, eager and under jit;
// bad "..." use is an error saying what is wrong.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as np from "../../../runtime/src/np.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import { JitScopeError } from "../../../runtime/src/ir/errors.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, webgpuOrSkip, type Nested } from "./harness.js";

config({ backend: "cpu" });
interface Case {
  spec: string;
  shapes: number[][];
  shape: number[];
  y: Nested;
}
const file: { jax: string; cases: Case[] } = JSON.parse(
  readFileSync(new URL("../../fixtures/jax/einsum.json", import.meta.url), "utf8"),
);

/** run_jax_einsum.py's operand: ((k·7) mod 11 − 5) / 4 from k = salt, row-major. */
function operand(shape: number[], salt: number): Tracer {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Array.from({ length: n }, (_, i) => ((((i + salt) * 7) % 11) - 5) / 4);
  return np.reshape(np.array(v), shape);
}

for (const backend of ["cpu", "webgpu"] as const) {
  for (const useJit of [false, true]) {
    test(`einsum with "..." matches JAX ${file.jax} on ${file.cases.length} specs on ${backend}${useJit ? " under jit" : " eagerly"}`, async (t) => {
      if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
      const ys = onBackend(backend, () =>
        file.cases.map((c) => {
          const ops = c.shapes.map((s, i) => operand(s, 3 * i));
          const f = (...xs: Tracer[]) => np.einsum(c.spec, ...xs);
          return (useJit ? jit(f) : f)(...ops);
        }),
      );
      for (const [i, c] of file.cases.entries()) {
        assert.deepEqual(ys[i]!.shape, c.shape, `${c.spec} shape`);
        assertClose(await ys[i]!.toArray(), c.y, "float32", 1e-5, 1e-6, c.spec);
      }
    });
  }
}

test('grad through einsum("...ij,...jk->...ik") with a broadcast size-1 axis sums that axis: ones·Bᵀ summed over the batch', async () => {
  const a = operand([1, 2, 3], 0);
  const b = operand([4, 3, 2], 5);
  const g = grad((x: Tracer) => np.sum(np.einsum("...ij,...jk->...ik", x, b)))(a);
  const want = np.sum(np.einsum("bjk->bj", b), 0); // d/dA_ij = Σ_b Σ_k B_bjk, for every i
  const w = (await want.toArray()) as number[];
  assertClose(await g.toArray(), [[w, w]], "float32");
});

test('bad "..." use is an error naming it: two in one operand, axes that do not broadcast, "..." only in the output', () => {
  const x = np.ones([2, 3, 4]);
  assert.throws(
    () => np.einsum("......i->i", x),
    (e: unknown) => e instanceof JitScopeError && /"\.\.\." may appear once per operand/.test(e.message),
  );
  assert.throws(
    () => np.einsum("...i,...i->...", x, np.ones([5, 4])),
    /the "\.\.\." axes do not broadcast: size 3 against 5/,
  );
  assert.throws(() => np.einsum("ijk->...", x), /the output has "\.\.\." but no operand does/);
  assert.throws(() => np.einsum("...ijkl", x), /operand 0 has shape \[2,3,4\] but "\.\.\.ijkl" names 4 axes besides/);
});
