// The jax.numpy names programs use that we lacked, against JAX (scripts/jax/run_jax_np_extras.py
// wrote test/fixtures/jax/np_extras.json): the index tricks mgrid ogrid r_ c_ s_ index_exp as
// string keys and calls, newaxis in x.at, poly, polydiv, trim_zeros, setxor1d,
// histogram_bin_edges, spacing, mask_indices, sort_complex, each on the CPU reference, on WebGPU
// and under jit on WebGPU (harness.ts opCases); then mask_indices without size (not traceable,
// as in JAX), array_str / array_repr texts, and what each refuses.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import { jit } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import { Complex } from "../../../runtime/src/trace/complexValue.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, opCases, refuses, webgpuOrSkip, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxCase, jaxOpCase, jaxParts } = fixtureCases("np_extras");
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const i32 = (v: Nested): Tracer => np.array(v as never, { dtype: "int32" });
/** An array the CPU backend holds whatever the current backend: concrete input, as JAX's
 *  trim_zeros asks (a WebGPU array's values reach the host only asynchronously). */
const host = (v: Nested, dtype: "float32" | "int32" = "float32"): Tracer =>
  onBackend("cpu", () => np.array(v as never, { dtype }));
const I = "int32" as const;
const parts = (z: Complex): Tracer[] => [z.re, z.im];

const cases: OpCase[] = [
  jaxOpCase("mgrid_count", () => np.mgrid["-1:1:5j"]),
  jaxOpCase("mgrid_count_down", () => np.mgrid["1:-1:-4j"]),
  jaxOpCase("mgrid_count_zero", () => np.mgrid["0:1:0j"], { dtype: I }),
  jaxOpCase("mgrid_2d", () => np.mgrid["0:2, 0:3"], { dtype: I }),
  jaxOpCase("mgrid_negative_step", () => np.mgrid["5:0:-2"], { dtype: I }),
  jaxOpCase("mgrid_float_step", () => np.mgrid["0:1:0.25"]),
  jaxOpCase("mgrid_mixed", () => np.mgrid("0:3", "0:1:3j")),
  jaxOpCase("mgrid_empty", () => np.mgrid["3:0"], { dtype: I }),
  jaxOpCase("mgrid_tuple_of_one", () => np.mgrid["0:4,"], { dtype: I }),
  ...jaxParts("ogrid_2d", [I, I], () => np.ogrid["0:2, 0:3"] as Tracer[]),
  ...jaxParts("ogrid_count", 2, () => np.ogrid["0:1:3j, 4:6"] as Tracer[]),
  jaxOpCase("ogrid_one", () => np.ogrid["2:8:3"] as Tracer, { dtype: I }),
  jaxOpCase("r_slices_scalars", () => np.r_["1:4, 0, 0"], { dtype: I }),
  jaxOpCase("r_array_float", (a) => np.r_(i32(a), "1:4", 0.5)),
  jaxOpCase("r_count", (v) => np.r_("-1:1:6j", 0, f(v))),
  jaxOpCase("r_negative_step", () => np.r_["10:0:-3, 100"], { dtype: I }),
  jaxOpCase("r_dir_0_2", (a, b) => np.r_("0,2", i32(a), i32(b)), { dtype: I }),
  jaxOpCase("r_dir_0_2_0", (a, b) => np.r_("0,2,0", i32(a), i32(b)), { dtype: I }),
  jaxOpCase("r_dir_0_2_m2", (a, b) => np.r_("0,2,-2", i32(a), i32(b)), { dtype: I }),
  jaxOpCase("r_dir_1", (m) => np.r_("1", i32(m), i32(m)), { dtype: I }),
  jaxOpCase("r_row", (a, b) => np.r_("r", i32(a), i32(b)), { dtype: I }),
  jaxOpCase("r_column", (a, b) => np.r_("c", i32(a), i32(b)), { dtype: I }),
  jaxOpCase("r_2d", (m) => np.r_(i32(m), i32(m)), { dtype: I }),
  jaxOpCase("c_1d", (a, b) => np.c_(i32(a), i32(b)), { dtype: I }),
  jaxOpCase("c_2d", (m) => np.c_(i32(m), i32(m)), { dtype: I }),
  jaxOpCase("c_slices", () => np.c_["0:3, 3:6"], { dtype: I }),
  jaxOpCase("c_dir_0_2_m1", (a, b) => np.c_("0,2,-1", i32(a), i32(b)), { dtype: I }),
  jaxOpCase("c_row", (a, b) => np.c_("r", i32(a), i32(b)), { dtype: I }),
  jaxOpCase("s_two", (x) => f(x).at(np.s_["1:3, ::2"]).get()),
  jaxOpCase("s_ellipsis", (x) => f(x).at(np.s_["..., 1"]).get()),
  jaxOpCase("index_exp_one", (x) => f(x).at(np.index_exp["1"]).get()),
  jaxOpCase("newaxis_middle", (x) => f(x).at(":, None, 1:3").get()),
  jaxOpCase("newaxis_ends", (x) => f(x).at(np.newaxis, "...", np.newaxis).get()),
  jaxOpCase("newaxis_after_int", (x) => f(x).at(1, np.newaxis).get()),
  jaxOpCase("newaxis_set", (x) =>
    f(x)
      .at("1, None, :")
      .set(f([[9, 8, 7, 6]])),
  ),
  jaxOpCase("newaxis_add", (x) => f(x).at(np.newaxis, ":", 0).add(100)),
  jaxOpCase("poly", (r) => np.poly(f(r)) as Tracer),
  jaxOpCase("poly_repeated", (r) => np.poly(f(r)) as Tracer),
  jaxOpCase("poly_int32", (r) => np.poly(i32(r)) as Tracer),
  jaxOpCase("poly_none", (r) => np.poly(f(r)) as Tracer),
  jaxOpCase("poly_scalar", (r) => np.poly(f(r)) as Tracer),
  ...jaxParts("poly_complex", 2, (re, im) => parts(np.poly(new Complex(f(re), f(im))) as Complex)),
  ...jaxParts("polydiv", 2, (u, v) => np.polydiv(f(u), f(v))),
  ...jaxParts("polydiv_short", 2, (u, v) => np.polydiv(f(u), f(v))),
  ...jaxParts("polydiv_int32", 2, (u, v) => np.polydiv(i32(u), i32(v))),
  ...jaxParts("polydiv_trim", 2, (u, v) => np.polydiv(host(u), host(v), { trim_leading_zeros: true })),
  ...jaxParts("polydiv_trim_exact", 2, (u, v) => np.polydiv(host(u), host(v), { trim_leading_zeros: true })),
  jaxOpCase("trim_zeros_fb", (t) => np.trim_zeros(host(t))),
  jaxOpCase("trim_zeros_f", (t) => np.trim_zeros(host(t), "f")),
  jaxOpCase("trim_zeros_b", (t) => np.trim_zeros(host(t), "b")),
  jaxOpCase("trim_zeros_all_zero", (t) => np.trim_zeros(host(t))),
  jaxOpCase("trim_zeros_nan", (t) => np.trim_zeros(host(t))),
  jaxOpCase("trim_zeros_int32", (t) => np.trim_zeros(host(t, I)), { dtype: I }),
  jaxOpCase("trim_zeros_2d", (t) => np.trim_zeros(host(t))),
  jaxOpCase("trim_zeros_2d_axis0", (t) => np.trim_zeros(host(t), "fb", 0)),
  jaxOpCase("trim_zeros_2d_axis1_f", (t) => np.trim_zeros(host(t), "f", [1])),
  jaxOpCase("setxor1d", (a, b) => np.setxor1d(i32(a), i32(b), { size: 6 }), { dtype: I }),
  jaxOpCase("setxor1d_pad_default", (a, b) => np.setxor1d(i32(a), i32(b), { size: 9 }), { dtype: I }),
  jaxOpCase("setxor1d_fill", (a, b) => np.setxor1d(i32(a), i32(b), { size: 8, fill_value: -1 }), { dtype: I }),
  jaxOpCase("setxor1d_truncate", (a, b) => np.setxor1d(i32(a), i32(b), { size: 2 }), { dtype: I }),
  jaxOpCase("setxor1d_assume_unique", (a, b) => np.setxor1d(f(a), f(b), { assume_unique: true, size: 6 })),
  jaxOpCase("setxor1d_nan", (a, b) => np.setxor1d(f(a), f(b), { size: 5 })),
  jaxOpCase("setxor1d_same", (a, b) => np.setxor1d(f(a), f(b), { size: 3 })),
  jaxOpCase("setxor1d_one_empty", (a, b) => np.setxor1d(f(a), f(b), { size: 3 })),
  jaxOpCase("setxor1d_both_empty", (a, b) => np.setxor1d(f(a), f(b), { size: 2 })),
  jaxOpCase("histogram_bin_edges", (x) => np.histogram_bin_edges(f(x), 4)),
  jaxOpCase("histogram_bin_edges_default", (x) => np.histogram_bin_edges(f(x))),
  jaxOpCase("histogram_bin_edges_range", (x) => np.histogram_bin_edges(f(x), 5, { range: [-10, 10] })),
  jaxOpCase("histogram_bin_edges_equal", (x) => np.histogram_bin_edges(f(x), 2)),
  jaxOpCase("histogram_bin_edges_given", (x) => np.histogram_bin_edges(f(x), i32([0, 1, 5]))),
  jaxOpCase("histogram_bin_edges_int32", (x) => np.histogram_bin_edges(i32(x), 3)),
  jaxOpCase("spacing", (x) => np.spacing(f(x)), { rtol: 0, atol: 0 }),
  jaxOpCase("spacing_int32", (x) => np.spacing(i32(x)), { rtol: 0, atol: 0 }),
  ...jaxParts("mask_indices_size", [I, I], () => np.mask_indices(3, (a, k) => np.triu(a, k), 1, { size: 5 })),
  ...jaxParts("sort_complex", 2, (re, im) => parts(np.sort_complex(new Complex(f(re), f(im))))),
  ...jaxParts("sort_complex_real", 2, (x) => parts(np.sort_complex(f(x)))),
  jaxOpCase("sort_complex_int32", (x) => np.sort_complex(i32(x)).re),
];
opCases("np extras", cases);

// mask_indices without size reads the mask on the host, so it runs eagerly only (as in JAX).
const triu = (a: Tracer, k: number) => np.triu(a, k);
const tril = (a: Tracer, k: number) => np.tril(a, k);
const custom = (x: Tracer, k: number) =>
  np.equal(np.remainder(np.add(np.arange(x.shape[0]!).reshape([-1, 1]), 1), np.add(np.arange(x.shape[1]!), 1 + k)), 0);
const maskCases: [string, () => Tracer[]][] = [
  ["mask_indices_triu", () => np.mask_indices(3, triu)],
  ["mask_indices_tril_k", () => np.mask_indices(4, tril, -1)],
  ["mask_indices_custom", () => np.mask_indices(3, custom)],
  ["mask_indices_empty", () => np.mask_indices(3, triu, 5)],
];
for (const [id, build] of maskCases)
  test(`mask_indices without size (${id}) gives JAX's rows and columns on the CPU reference and on WebGPU`, async (t) => {
    const backends: ("cpu" | "webgpu")[] = (await webgpuOrSkip(t)) ? ["cpu", "webgpu"] : ["cpu"];
    for (const b of backends) {
      const out = onBackend(b, build);
      for (const k of [0, 1]) {
        assert.equal(out[k]!.dtype, "int32");
        assertClose(await out[k]!.toArray(), jaxCase(`${id}_${k}`).expect, "int32");
      }
    }
  });

const texts = (
  JSON.parse(readFileSync(join(import.meta.dirname, "../../fixtures/jax/np_extras.json"), "utf8")) as {
    texts: Record<string, string>;
  }
).texts;

test("array_str writes NumPy's str as JAX's array_str does (floats aligned at the point, ints, a scalar, bools, precision)", () => {
  onBackend("cpu", () => {
    assert.equal(np.array_str(f([1.5, 2, 3])), texts.str_float);
    assert.equal(np.array_str(np.arange(6).reshape([2, 3])), texts.str_int_2d);
    assert.equal(np.array_str(f(3.5)), texts.str_scalar);
    assert.equal(np.array_str(np.array([true, false], { dtype: "bool" })), texts.str_bool);
    assert.equal(np.array_str(f([1 / 3, 2, -0.126]), { precision: 2 }), texts.str_precision);
  });
});

test("array_repr is what console.log prints, and JAX's repr for int arrays", async (t) => {
  onBackend("cpu", () => {
    assert.equal(np.array_repr(np.arange(4).reshape([2, 2])), texts.repr_int_2d);
    assert.equal(np.array_repr(i32(7)), texts.repr_int_scalar);
    const x = f([0.5, -2, 1e-3]);
    assert.equal(np.array_repr(x), inspect(x));
    assert.equal(np.array_repr(f([1 / 3, 2])), "Array([0.33333334, 2.        ], dtype=float32)");
    // JAX's own array_repr writes its class name (ArrayImpl); the values are its text.
    assert.equal(np.array_repr(f([1 / 3, 2]), { precision: 3 }), "Array([0.333, 2.   ], dtype=float32)");
  });
  if (!(await webgpuOrSkip(t))) return;
  const onGpu = onBackend("webgpu", () => f([1, 2]));
  assert.equal(np.array_repr(onGpu), inspect(onGpu));
  assert.match(np.array_str(onGpu), /on webgpu: values are on the device/);
});

test('np.newaxis is the string "newaxis", read as None is inside an index string', () => {
  assert.equal(np.newaxis, "newaxis");
  onBackend("cpu", () => {
    const x = f([
      [1, 2],
      [3, 4],
    ]);
    assert.deepEqual(x.at("None").get().shape, [1, 2, 2]);
    assert.deepEqual(x.at(":, newaxis").get().shape, [2, 1, 2]);
    assert.deepEqual(x.at(np.s_["..., None"]).get().shape, [2, 2, 1]);
  });
});

test("s_ gives a single entry as itself and several as an index tuple that x.at splices; spread works too", async () => {
  assert.deepEqual(np.s_["1:3"], { start: 1, stop: 3, step: null });
  assert.equal(np.s_["2"], 2);
  assert.equal(np.s_["..."], "...");
  assert.deepEqual([...np.index_exp["1:3"]], [{ start: 1, stop: 3, step: null }]);
  const t2 = np.s_["::-1, 2"] as readonly unknown[];
  assert.deepEqual([...t2], [{ start: null, stop: null, step: -1 }, 2]);
  await onBackend("cpu", async () => {
    const x = np.arange(12).reshape([3, 4]);
    assert.deepEqual(
      await x
        .at(...np.index_exp["1:, 1"])
        .get()
        .toArray(),
      [5, 9],
    );
    assert.deepEqual(await x.at(np.index_exp["0, 1"]).get().toArray(), 1); // a tuple, not the index array [0, 1]
  });
});

test('the index tricks stay usable as values: awaiting one does not parse "then", and a function\'s own keys are kept', async () => {
  assert.equal((np.mgrid as unknown as { then?: unknown }).then, undefined);
  assert.equal(await Promise.resolve(np.s_), np.s_);
  assert.equal(typeof np.r_.call, "function");
});

test("index tricks refuse what is not a slice, a number or a directive, naming the key", () => {
  onBackend("cpu", () => {
    refuses(() => np.mgrid["0:"], /mgrid: a grid's slice needs a stop/);
    refuses(() => np.mgrid["a:3"], /mgrid\["a:3"\]: start "a" is not a number/);
    refuses(() => np.mgrid["0:1:2:3"], /"0:1:2:3" is not a slice/);
    refuses(() => np.ogrid["..."], /ogrid: takes slices/);
    refuses(() => np.r_("x,y", f([1])), /r_: could not understand directive "x,y"/);
    refuses(() => np.r_(), /r_: needs at least one array, number or slice/);
    refuses(() => np.c_["None"], /c_: takes arrays, numbers and slices, not "None"/);
    refuses(() => np.s_["0:1:5j"], /s_\["0:1:5j"\]: an index takes integers/);
    refuses(() => np.s_["1.5"], /an index takes integers/);
  });
});

test("newaxis with index arrays is refused, and values that do not fit the new axes are refused", () => {
  onBackend("cpu", () => {
    const x = f([
      [1, 2],
      [3, 4],
    ]);
    refuses(() => x.at([0, 1], np.newaxis).get(), /newaxis together with index arrays is not supported/);
    refuses(() => x.at(np.newaxis).set(f([1, 2, 3])), /do not broadcast to the indexed shape \[1,2,2\]/);
  });
});

test("poly of a square matrix is its characteristic polynomial (x² − 5x − 2 for [[1, 2], [3, 4]]); more than 2-D is refused", async () => {
  const c = onBackend("cpu", () =>
    np.poly(
      f([
        [1, 2],
        [3, 4],
      ]),
    ),
  ) as Complex;
  const [re, im] = await Promise.all([c.re.data(), c.im.data()]);
  [1, -5, -2].forEach((want, i) => assert.ok(Math.abs(re[i]! - want) < 1e-4, `coefficient ${i}: ${re[i]} vs ${want}`));
  assert.ok(
    Array.from(im).every((v) => Math.abs(v) < 1e-4),
    `imaginary parts ${Array.from(im)}`,
  );
  onBackend("cpu", () => {
    refuses(() => np.poly(np.zeros([2, 2, 2])), /poly: input must be 1-D or a non-empty square matrix, got \[2,2,2\]/);
  });
});

test("trim_zeros and polydiv's trim_leading_zeros need concrete values: a WebGPU array and a jit tracer are refused with the way round", async (t) => {
  refuses(
    () => jit((x: Tracer) => np.trim_zeros(x))(host([0, 1])),
    /trim_zeros: needs concrete values.*not compatible with jit/,
  );
  refuses(
    () => jit((u: Tracer) => np.polydiv(u, f([1, 1]), { trim_leading_zeros: true })[1])(host([1, 2])),
    /polydiv: needs concrete values/,
  );
  if (!(await webgpuOrSkip(t))) return;
  const onGpu = onBackend("webgpu", () => f([0, 1, 0]));
  refuses(
    () => np.trim_zeros(onGpu),
    /trim_zeros: needs concrete values, but float32\[3\]: its values are on webgpu.*await x\.toArray\(\)/,
  );
});

test("setxor1d needs size, histogram_bin_edges refuses string bins, mask_indices under jit needs size, array_str refuses a bad precision, sort_complex refuses 0-d", () => {
  onBackend("cpu", () => {
    refuses(() => np.setxor1d(f([1]), f([2])), /setxor1d: pass \{ size \}/);
    refuses(
      () => np.setxor1d(f([1]), f([2]), { size: 2, assumeUnique: true } as never),
      /unknown option "assumeUnique".*assume_unique/,
    );
    refuses(
      () => np.histogram_bin_edges(f([1, 2]), "auto" as never),
      /string bins \("auto"\) are not implemented, as in JAX/,
    );
    refuses(
      () => jit(() => np.mask_indices(3, triu)[0]!)(),
      /mask_indices: under jit the mask is traced; pass \{ size \}/,
    );
    refuses(() => np.array_str(f([1]), { precision: -1 }), /precision must be a whole number/);
    refuses(() => np.sort_complex(f(1)), /sort_complex: a 0-d array has no axis to sort/);
  });
});
