// lax.dynamic_slice / dynamic_update_slice and the *_in_dim forms (lax/dynamicSlice.ts) against
// JAX (test/fixtures/jax/surface2.json) on the CPU reference, on WebGPU and under jit on WebGPU:
// starts inside, clamped at either end and negative (wrapped once), given as JS numbers (a static
// slice) and as int32 Arrays (a gather); gradients in the operand and the update; vmap over the
// start; a fori_loop reading row i with the loop counter, and its gradient; traced jit arguments.
import { test } from "node:test";
import { grad, jit, vmap } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import * as lax from "../../../runtime/src/lax.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { expectUserError, here, onBackend, opCases, webgpuOrSkip, assertClose, type Nested } from "./harness.js";
import { jaxCase, jaxOpCase } from "./surface2Expected.js";

const arr = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const int = (v: number): Tracer => np.array(v, { dtype: "int32" });
const starts = (v: Nested, traced: boolean): (number | Tracer)[] => (v as number[]).map((s) => (traced ? int(s) : s));
const where = (k: number) => ["inside", "clamped at the end", "negative (wrapped)", "clamped at 0", "at 0"][k]!;

const cases = [0, 1, 2, 3, 4].flatMap((k) =>
  [false, true].flatMap((traced) => {
    const how = traced ? "int32 Array starts" : "JS number starts";
    return [
      jaxOpCase(`ds_${k}`, (m, s) => lax.dynamic_slice(arr(m), starts(s, traced), [2, 3]), {
        title: `dynamic_slice ${where(k)}, ${how} = JAX`,
      }),
      jaxOpCase(`dus_${k}`, (m, u, s) => lax.dynamic_update_slice(arr(m), arr(u), starts(s, traced)), {
        title: `dynamic_update_slice ${where(k)}, ${how} = JAX`,
      }),
      jaxOpCase(
        `ds_grad_${k}`,
        (m, w, s) =>
          grad((x: Tracer) => np.sum(np.multiply(lax.dynamic_slice(x, starts(s, traced), [2, 3]), arr(w))))(arr(m)),
        { title: `grad of dynamic_slice ${where(k)}, ${how} = JAX` },
      ),
      jaxOpCase(
        `dus_grad_${k}`,
        (m, u, s) => {
          const f = (x: Tracer, v: Tracer) =>
            np.sum(np.multiply(lax.dynamic_update_slice(x, v, starts(s, traced)), arr(m)));
          const [gx, gu] = grad(f, [0, 1])(arr(m), arr(u));
          return np.concatenate([np.ravel(gx), np.ravel(gu)]);
        },
        { title: `grad of dynamic_update_slice in operand and update ${where(k)}, ${how} = JAX` },
      ),
    ];
  }),
);
opCases("lax dynamic_slice", [
  ...cases,
  jaxOpCase(
    "ds_in_dim",
    (m) => {
      const x = arr(m);
      return np.concatenate([
        np.ravel(lax.dynamic_slice_in_dim(x, 2, 3, 1)),
        lax.dynamic_index_in_dim(x, int(3), 0, false),
        np.ravel(lax.dynamic_index_in_dim(x, -1, 1)),
      ]);
    },
    { title: "dynamic_slice_in_dim and dynamic_index_in_dim (keepdims both ways) = JAX" },
  ),
  jaxOpCase(
    "dus_in_dim",
    (m, u4) => {
      const [x, u] = [arr(m), arr(u4)];
      const block = arr([
        [10, 11],
        [13, 14],
      ]);
      return np.concatenate([
        np.ravel(lax.dynamic_update_slice_in_dim(x, block, int(1), 1)),
        np.ravel(lax.dynamic_update_index_in_dim(x, u, 4, 1)),
        np.ravel(lax.dynamic_update_index_in_dim(x, np.reshape(np.slice(u, [0], [3]), [1, 3]), int(1), 0)),
      ]);
    },
    { title: "dynamic_update_slice_in_dim and dynamic_update_index_in_dim (with and without the axis) = JAX" },
  ),
  jaxOpCase(
    "ds_vmap",
    (m, s) => vmap((i: Tracer) => lax.dynamic_slice(arr(m), [i, 1], [2, 4]))(np.array(s as never, { dtype: "int32" })),
    {
      title: "vmap of dynamic_slice over the start (in range, clamped, negative) = JAX",
    },
  ),
  jaxOpCase(
    "dus_vmap",
    (m, u, s) =>
      vmap((i: Tracer) => lax.dynamic_update_slice(arr(m), arr(u), [1, i]))(np.array(s as never, { dtype: "int32" })),
    { title: "vmap of dynamic_update_slice over the start = JAX" },
  ),
  jaxOpCase(
    "ds_vmap_grad",
    (m, s) =>
      vmap((i: Tracer) => grad((x: Tracer) => np.sum(np.square(lax.dynamic_slice(x, [i, 1], [2, 4]))))(arr(m)))(
        np.array(s as never, { dtype: "int32" }),
      ),
    { title: "vmap over the start of grad of dynamic_slice = JAX" },
  ),
  jaxOpCase("ds_fori", (m) => rowLoop(arr(m)), {
    title: "fori_loop reading row i with dynamic_index_in_dim(x, i) = JAX",
  }),
  jaxOpCase("ds_fori_grad", (m) => grad((x: Tracer) => np.sum(np.square(rowLoop(x))))(arr(m)), {
    title: "grad through that fori_loop = JAX",
  }),
]);

/** Σ_i (i + 1) · x[i], each row read with the loop counter. */
function rowLoop(x: Tracer): Tracer {
  const body = (i: Tracer, acc: Tracer) =>
    np.add(acc, np.multiply(lax.dynamic_index_in_dim(x, i, 0, false), np.astype(np.add(i, 1), "float32")));
  return lax.fori_loop(0, x.shape[0]!, body, np.zeros([x.shape[1]!]));
}

test("lax dynamic_slice: traced int32 starts passed as jit arguments = JAX [cpu, webgpu]", async (t) => {
  const { inputs, expect } = jaxCase("ds_jit_arg");
  const [i, j] = inputs[1] as number[];
  const f = jit((x: Tracer, a: Tracer, b: Tracer) => lax.dynamic_slice(x, [a, b], [2, 3]));
  const backends: ("cpu" | "webgpu")[] = (await webgpuOrSkip(t)) ? ["cpu", "webgpu"] : ["cpu"];
  for (const b of backends) {
    const out = onBackend(b, () => f(arr(inputs[0]!), int(i!), int(j!)));
    assertClose(await out.toArray(), expect, "float32", 1e-6, 1e-7, `[${b}]`);
  }
});

test("lax dynamic_slice: bad starts, sizes and update dtypes are errors naming the problem", async (t) => {
  const x = () => np.zeros([4, 6]);
  const iz = () => np.zeros([2, 2], { dtype: "int32" });
  const file = "dynamicSlice.test.ts";
  // Each thunk on one line; here() - 1 is that line (where the error must point).
  const f1 = () => lax.dynamic_slice(x(), [1], [2, 3]);
  const l1 = here() - 1;
  const f2 = () => lax.dynamic_slice(x(), [0, 0], [5, 3]);
  const l2 = here() - 1;
  const f3 = () => lax.dynamic_slice(x(), [np.array(1.5), 0], [2, 3]);
  const l3 = here() - 1;
  const f4 = () => lax.dynamic_slice(x(), [0.5, 0], [2, 3]);
  const l4 = here() - 1;
  const f5 = () => lax.dynamic_update_slice(x(), iz(), [0, 0]);
  const l5 = here() - 1;
  await expectUserError(t, f1, file, l1, "dynamic_slice", "start_indices", "got 1");
  await expectUserError(t, f2, file, l2, "slice_sizes[0] = 5", "[0, 4]");
  await expectUserError(t, f3, file, l3, "0-d int32", "float32[]");
  await expectUserError(t, f4, file, l4, "start_indices[0] = 0.5", "integer");
  await expectUserError(t, f5, file, l5, "dtype", "int32[2,2]");
});
