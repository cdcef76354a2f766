// Complex arrays and np.fft against JAX (scripts/jax/run_jax_fft.py wrote
// test/fixtures/jax/fft.json): every case eagerly on the CPU reference and under jit on WebGPU,
// within a tolerance scaled by the expected values' size (float32 products over n terms); then
// the pieces a user meets besides the values: result types and shapes, the kernels a transform
// compiles to, and the errors for complex operands where only real ones are taken.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import * as np from "../../../runtime/src/np.js";
import * as lax from "../../../runtime/src/lax.js";
import * as nn from "../../../runtime/src/nn.js";
import * as scipy from "../../../runtime/src/scipy.js";
import * as tree from "../../../runtime/src/tree.js";
import * as optim from "../../../runtime/src/optim.js";
import { config } from "../../../runtime/src/config.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { grad } from "../../../runtime/src/trace/grad.js";
import { vjp } from "../../../runtime/src/trace/vjp.js";
import { vmap } from "../../../runtime/src/trace/vmap.js";
import { Complex, isComplex } from "../../../runtime/src/trace/complexValue.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { onBackend, refuses, webgpuOrSkip, type Nested } from "./harness.js";

config({ backend: "cpu" });

type Value = Nested | { re: Nested; im: Nested };
const fx: { cases: Record<string, { inputs: Value[]; expect: Value }> } = JSON.parse(
  readFileSync(new URL("../../fixtures/jax/fft.json", import.meta.url), "utf8"),
);

type V = Tracer | Complex;
/** The fixture's numbers: NaN, ±inf and −0 are written as strings (JSON has none of them). */
const num = (v: Nested): Nested =>
  Array.isArray(v)
    ? v.map((e) => num(e as Nested))
    : typeof v === "string"
      ? ({ nan: NaN, inf: Infinity, "-inf": -Infinity, "-0": -0 } as Record<string, number>)[v]!
      : v;
const isPair = (v: Value): v is { re: Nested; im: Nested } => typeof v === "object" && v !== null && !Array.isArray(v);
const load = (v: Value): V =>
  isPair(v)
    ? lax.complex(np.array(num(v.re) as number[]), np.array(num(v.im) as number[]))
    : np.array(num(v) as number[]);

/** What each case computes from its inputs, as a user of this runtime writes it. */
const R = (v: V) => v as Tracer;
const Z = (v: V) => v as Complex;
const fno = (wre: V, wim: V, u: V, lin: V) => {
  const [B, C, L, M] = [2, 3, 32, 6];
  const uh = np.fft.rfft(R(u)).slice([0, 0, 0], [B, C, M]);
  const mixed = np.einsum("bim,iom->bom", uh, lax.complex(R(wre), R(wim)));
  const outH = np
    .zeros([B, C, L / 2 + 1], { dtype: np.complex64 })
    .at(null, null, ":6")
    .set(mixed);
  return nn.gelu(np.add(np.fft.irfft(outH, L), np.einsum("bil,io->bol", R(u), R(lin))), { approximate: false });
};
const ins = (name: string) => fx.cases[name]!.inputs.map(load);
const fnoLoss = (wre: Tracer, wim: Tracer) => {
  const [, , u, lin] = ins("fno_forward");
  const target = ins("fno_grad_re")[0]!;
  return np.mean(np.square(np.subtract(fno(wre, wim, u!, lin!), R(target))));
};

const cases: Record<string, (...a: V[]) => V> = {};
for (const n of [8, 6, 9, 300, 512, 263, 1031, 1042]) {
  cases[`fft_${n}`] = (x) => np.fft.fft(x);
  cases[`ifft_${n}`] = (x) => np.fft.ifft(x);
  cases[`rfft_${n}`] = (x) => np.fft.rfft(x);
  cases[`irfft_${n}`] = (z) => np.fft.irfft(z, n);
}
for (const norm of ["ortho", "forward"] as const) {
  cases[`fft_${norm}`] = (z) => np.fft.fft(z, { norm });
  cases[`ifft_${norm}`] = (z) => np.fft.ifft(z, { norm });
  cases[`rfft_${norm}`] = (x) => np.fft.rfft(x, null, -1, norm);
  cases[`irfft_${norm}`] = (z) => np.fft.irfft(z, { norm });
}
Object.assign(cases, {
  rfft_n16: (x: V) => np.fft.rfft(x, 16),
  rfft_n6: (x: V) => np.fft.rfft(x, 6),
  fft_axis0: (x: V) => np.fft.fft(x, { axis: 0 }),
  irfft_default: (z: V) => np.fft.irfft(z),
  irfft_n9_axis0: (z: V) => np.fft.irfft(z, 9, 0),
  fft2: (z: V) => np.fft.fft2(z),
  ifft2: (z: V) => np.fft.ifft2(z),
  fftn_axes02: (z: V) => np.fft.fftn(z, { axes: [0, 2] }),
  ifftn: (z: V) => np.fft.ifftn(z),
  rfft2: (x: V) => np.fft.rfft2(x),
  rfftn: (x: V) => np.fft.rfftn(x),
  rfft2_s: (x: V) => np.fft.rfft2(x, [4, 10]),
  irfft2: (z: V) => np.fft.irfft2(z),
  irfft2_s: (z: V) => np.fft.irfft2(z, { s: [5, 9] }),
  irfftn: (z: V) => np.fft.irfftn(z),
  hfft: (z: V) => np.fft.hfft(z),
  hfft_n7: (z: V) => np.fft.hfft(z, 7),
  ihfft: (x: V) => np.fft.ihfft(x),
  fftfreq_8: () => np.fft.fftfreq(8),
  fftfreq_7_d: () => np.fft.fftfreq(7, 0.1),
  rfftfreq_9_d: () => np.fft.rfftfreq(9, 0.5),
  fftshift: (m: V) => np.fft.fftshift(R(m)),
  ifftshift: (m: V) => np.fft.ifftshift(R(m)),
  fftshift_axis1: (z: V) => np.fft.fftshift(Z(z), 1),
  multiply: (a: V, b: V) => np.multiply(Z(a), b),
  multiply_real: (a: V, w: V) => Z(a).mul(w),
  divide: (a: V, b: V) => np.divide(Z(a), b),
  divide_real: (w: V, b: V) => np.divide(R(w), Z(b)),
  add_real: (a: V, w: V) => np.add(Z(a), w),
  subtract_real: (w: V, a: V) => np.subtract(R(w), Z(a)),
  exp: (a: V) => np.exp(Z(a)),
  log: (a: V) => np.log(Z(a)),
  sqrt: (a: V) => np.sqrt(Z(a)),
  sqrt_edges: (a: V) => Z(a).sqrt(),
  sqrt_negative_real: (a: V) => np.sqrt(Z(a)),
  log_negative_real: (a: V) => np.log(Z(a)),
  abs: (a: V) => np.abs(a),
  angle: (a: V) => np.angle(a),
  matmul: (a: V, b: V) => np.matmul(Z(a), b),
  matmul_real: (a: V, b: V) => Z(a).matmul(b),
  einsum: (a: V, b: V) => np.einsum("bij,ijk->bk", a, b),
  power_2: (a: V) => np.power(Z(a), 2),
  power_3: (a: V) => Z(a).pow(3),
  power_neg2: (a: V) => np.power(Z(a), -2),
  power_half: (a: V) => np.power(Z(a), 0.5),
  power_real_base: (w: V, a: V) => np.power(np.add(np.abs(w), 0.5), Z(a)),
  vdot: (a: V, b: V) => np.vdot(Z(a), b),
  norm_vector: (z: V) => np.linalg.norm(Z(z).slice([0, 0], [1, 5]).reshape(5)),
  norm_fro: (z: V) => np.linalg.norm(z),
  norm_1: (z: V) => np.linalg.norm(z, 1),
  norm_inf_axis: (z: V) => np.linalg.norm(z, Infinity, 1),
  sum_axis1: (z: V) => np.sum(Z(z), 1),
  mean: (z: V) => Z(z).mean(),
  fftconvolve_full: (a: V, b: V) => scipy.signal.convolve(R(a), R(b), "full", { method: "fft" }),
  fftconvolve_same: (a: V, b: V) => scipy.signal.convolve(R(a), R(b), "same", { method: "fft" }),
  fftconvolve_valid: (a: V, b: V) => scipy.signal.convolve(R(a), R(b), "valid", { method: "fft" }),
  fftconvolve_same_short: (a: V, b: V) => scipy.signal.convolve(R(a), R(b), "same", { method: "fft" }),
  fftconvolve_2d_same: (a: V, b: V) => scipy.signal.convolve(R(a), R(b), "same", { method: "fft" }),
  fftcorrelate_valid: (a: V, b: V) => scipy.signal.correlate(R(a), R(b), "valid", { method: "fft" }),
  grad_fftconvolve: (a: V, b: V) =>
    grad((x: Tracer) => np.sum(np.square(scipy.signal.convolve(x, R(b), "same", { method: "fft" }))))(R(a)),
  grad_power: (x: V) => grad((v: Tracer) => np.sum(np.square(np.abs(np.fft.rfft(v)))))(R(x)),
  grad_spectrum_filter: (x: V) =>
    grad((v: Tracer) =>
      np.sum(np.square(np.fft.irfft(np.multiply(np.fft.rfft(v), np.arange(9, { dtype: "float32" })), 16))),
    )(R(x)),
  grad_complex_input: (z: V, w: V) =>
    grad((u: Complex) => np.add(np.sum(np.square(np.abs(np.multiply(u, w)))), np.real(np.sum(np.multiply(u, u)))))(
      Z(z),
    ),
  vjp_complex: (z: V, w: V, ct: V) => vjp((u: Complex) => np.fft.fft(np.multiply(u, w)), Z(z))[1](Z(ct))[0] as Complex,
  poisson: (f: V) => {
    const N = 32;
    const k = np.multiply(np.fft.fftfreq(N, 1 / N), 2 * Math.PI);
    const k2 = np.add(np.square(np.expand_dims(k, 1)), np.square(np.expand_dims(k, 0)));
    const zero = np.equal(k2, 0);
    const uh = np.where(zero, 0, np.divide(np.fft.fft2(f), np.where(zero, 1, k2)));
    return np.real(np.fft.ifft2(uh));
  },
  fno_forward: fno,
  fno_grad_re: () => grad(fnoLoss, [0, 1])(R(ins("fno_forward")[0]!), R(ins("fno_forward")[1]!))[0],
  fno_grad_im: () => grad(fnoLoss, [0, 1])(R(ins("fno_forward")[0]!), R(ins("fno_forward")[1]!))[1],
});

const flat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap((e) => flat(e as Nested)) : [Number(v)]);

/** "" when `got` matches `want` within tol·(1 + max|want|) per element, else what differs. */
async function mismatch(name: string, got: V, want: Value, tol: number): Promise<string> {
  const complexWant = isPair(want);
  if (isComplex(got) !== complexWant) return `${name}: expected a ${complexWant ? "complex" : "real"} result`;
  const pairs: [Tracer, Nested][] = isComplex(got)
    ? [
        [got.re, (want as { re: Nested }).re],
        [got.im, (want as { im: Nested }).im],
      ]
    : [[got, want as Nested]];
  for (const [t, w] of pairs) {
    const e = flat(num(w));
    const a = Array.from(await t.data());
    if (a.length !== e.length) return `${name}: ${a.length} values, expected ${e.length}`;
    const scale = 1 + Math.max(...e.map(Math.abs));
    const worst = Math.max(...a.map((x, i) => Math.abs(x - e[i]!)));
    if (!(worst <= tol * scale)) return `${name}: max error ${worst.toExponential(2)} > ${tol}·${scale.toFixed(1)}`;
  }
  return "";
}

const names = Object.keys(fx.cases);

test("every fft.json case has a computation here, and none is left over", () => {
  assert.deepEqual(names.filter((n) => !cases[n]).sort(), []);
  assert.deepEqual(
    Object.keys(cases)
      .filter((n) => !fx.cases[n])
      .sort(),
    [],
  );
});

for (const backend of ["cpu", "webgpu"] as const) {
  test(`complex arithmetic and np.fft equal JAX's values on ${backend} (${names.length} cases${backend === "webgpu" ? ", under jit" : ""})`, async (t) => {
    if (backend === "webgpu" && !(await webgpuOrSkip(t))) return;
    const failures: string[] = [];
    for (const name of names) {
      const c = fx.cases[name]!;
      const got = await onBackend(backend, () => {
        const args = c.inputs.map(load);
        return backend === "cpu" ? cases[name]!(...args) : (jit(cases[name]!)(...args) as V);
      });
      const why = await mismatch(name, got, c.expect, 2e-5);
      if (why) failures.push(why);
    }
    assert.deepEqual(failures, []);
  });
}

test("a transform's result is complex64 of the transformed shape; irfft's is float32", () => {
  const x = np.ones([3, 10]);
  const z = np.fft.rfft(x);
  assert.ok(z instanceof Complex);
  assert.equal(z.dtype, "complex64");
  assert.deepEqual(z.shape, [3, 6]);
  assert.equal(z.toString(), "Array(complex64[3,6])");
  const back = np.fft.irfft(z, 10);
  assert.equal(back.dtype, "float32");
  assert.deepEqual(back.shape, [3, 10]);
  assert.deepEqual(np.fft.fft2(np.ones([2, 4, 6])).shape, [2, 4, 6]);
});

test("a complex array reads back as [re, im] pairs and as NumPy's interleaved buffer", async () => {
  const z = lax.complex(np.array([[1, 2]]), np.array([[3, -4]]));
  assert.deepEqual(await z.toArray(), [
    [
      [1, 3],
      [2, -4],
    ],
  ]);
  assert.deepEqual(Array.from(await z.data()), [1, 3, 2, -4]);
  assert.deepEqual(Array.from(await np.abs(z).data()), [Math.hypot(1, 3), Math.hypot(2, 4)].map(Math.fround));
});

test("complex arrays pass through jit and vmap as pytrees and come out complex", async () => {
  const z = lax.complex(np.array([[1, 2, 3, 4]]), np.array([[0, 1, 0, -1]]));
  const f = jit((u: Complex) => np.fft.ifft(np.fft.fft(u)));
  const back = f(z);
  assert.ok(back instanceof Complex);
  const [re, im] = [Array.from(await back.re.data()), Array.from(await back.im.data())];
  re.forEach((v, i) => assert.ok(Math.abs(v - [1, 2, 3, 4][i]!) < 1e-5, `re[${i}] = ${v}`));
  im.forEach((v, i) => assert.ok(Math.abs(v - [0, 1, 0, -1][i]!) < 1e-5, `im[${i}] = ${v}`));
  // vmap over rows equals the transform of the whole batch along its last axis.
  const rows = lax.complex(
    np.array([
      [1, 0, 0, 0],
      [0, 1, 0, 0],
    ]),
    np.zeros([2, 4]),
  );
  const each = vmap((u: Complex) => np.fft.fft(u))(rows);
  assert.deepEqual(
    Array.from(await each.im.data()).map((v) => Math.round(v) + 0),
    [0, 0, 0, 0, 0, -1, 0, 1],
  );
});

test("a transform of length 4096 is split four-step: its constants are 64×64 tables, each bound once", async () => {
  const lowered = await onBackend("cpu", () => jit((x: Tracer) => np.fft.rfft(x)).lower(np.ones([4096])));
  // 4096 = 64·64: the cos and sin matrices of the length-64 transforms (both levels read the
  // same two) and the 64×64 twiddles' cos and sin.
  assert.deepEqual(
    lowered.constants.map((c) => c.shape.join("×")),
    ["64×64", "64×64", "64×64", "64×64"],
  );
  assert.ok(lowered.program.eqns.filter((e) => e.prim === "matmul").length >= 4);
  // A program of many transforms of one length binds the tables once.
  const many = await onBackend("cpu", () =>
    jit((x: Tracer) => np.fft.irfft(np.fft.rfft(np.fft.irfft(np.fft.rfft(x), 64)), 64)).lower(np.ones([64])),
  );
  assert.equal(many.constants.length, 4, "cos and sin of the 64×64 transform, and of the 33×64 inverse");
});

test("a real-only np function given a complex array names the problem and what takes complex", () => {
  const z = lax.complex(np.ones([2]), np.ones([2]));
  refuses(
    () => np.tanh(z as unknown as Tracer),
    /tanh: argument is complex64\[2\], and tanh takes real arrays only; .*np\.fft/,
  );
  refuses(() => np.fft.rfft(z), /fft\.rfft: the input must be real, got complex64\[2\] \(use fft\.fft\)/);
  refuses(() => np.fft.fft(np.ones([4]), { norm: "half" as "ortho" }), /norm must be "backward", "ortho" or "forward"/);
  refuses(() => np.fft.fft(np.ones([4]), 0), /transform length must be a whole number ≥ 1, got 0/);
  refuses(() => np.fft.fft2(np.ones([4, 4]), [4]), /s has 1 sizes but there are 2 axes/);
  refuses(() => lax.complex(np.ones([2]), np.ones([3])), /complex: .*\[2\].*\[3\]/);
  refuses(
    () => np.linalg.norm(lax.complex(np.eye(2), np.eye(2)), 2),
    /norm: ord 2 of a complex matrix needs a complex SVD, which is not available/,
  );
});

test("layout, joining and selection functions act on both parts of a complex array", async () => {
  const z = lax.complex(np.array([[1, 2, 3]]), np.array([[4, 5, 6]]));
  const pairs = async (v: Complex) => (await v.toArray()) as unknown;
  assert.deepEqual(await pairs(np.flip(z, 1)), [
    [
      [3, 6],
      [2, 5],
      [1, 4],
    ],
  ]);
  assert.deepEqual(await pairs(np.roll(z, 1, 1)), [
    [
      [3, 6],
      [1, 4],
      [2, 5],
    ],
  ]);
  assert.deepEqual(
    await pairs(
      np.pad(z, [
        [0, 0],
        [1, 0],
      ]),
    ),
    [
      [
        [0, 0],
        [1, 4],
        [2, 5],
        [3, 6],
      ],
    ],
  );
  assert.deepEqual(await pairs(z.T), [[[1, 4]], [[2, 5]], [[3, 6]]]);
  assert.deepEqual(await pairs(np.concatenate([z, np.ones([1, 1])], 1)), [
    [
      [1, 4],
      [2, 5],
      [3, 6],
      [1, 0],
    ],
  ]);
  assert.deepEqual(await pairs(np.stack([np.reshape(z, [3]), np.zeros([3])])), [
    [
      [1, 4],
      [2, 5],
      [3, 6],
    ],
    [
      [0, 0],
      [0, 0],
      [0, 0],
    ],
  ]);
  assert.deepEqual(await pairs(np.where(np.array([[true, false, true]]), z, -1)), [
    [
      [1, 4],
      [-1, 0],
      [3, 6],
    ],
  ]);
  assert.deepEqual(await pairs(z.at(0, 1).add(lax.complex(10, 20))), [
    [
      [1, 4],
      [12, 25],
      [3, 6],
    ],
  ]);
  assert.deepEqual(await pairs(z.at(0, 1).set(7)), [
    [
      [1, 4],
      [7, 0],
      [3, 6],
    ],
  ]);
  assert.deepEqual(await pairs(np.astype(np.array([1, 2]), np.complex64)), [
    [1, 0],
    [2, 0],
  ]);
  assert.deepEqual(Array.from(await np.astype(z, "float32").data()), [1, 2, 3]);
  assert.deepEqual(await pairs(np.zeros_like(z)), [
    [
      [0, 0],
      [0, 0],
      [0, 0],
    ],
  ]);
  refuses(() => np.pad(z, 1, { constant_values: 2 }), /complex array is padded with zeros here; constant_values 2/);
});

test("console.log of a complex array prints JAX's complex repr on the host, and how to read it otherwise", () => {
  const z = onBackend("cpu", () => lax.complex(np.array([1, -0.5]), np.array([4, -2])));
  assert.equal(inspect(z), "Array([ 1. +4.j, -0.5-2.j], dtype=complex64)");
  // The transform of a real signal has exact zeros where JAX has them (DC's imaginary part is +0).
  assert.equal(
    inspect(
      onBackend("cpu", () =>
        np.fft.fft(
          np.array([
            [1, 2],
            [3, 4],
          ]),
        ),
      ),
    ),
    "Array([[ 3.+0.j, -1.+0.j],\n       [ 7.+0.j, -1.+0.j]], dtype=complex64)",
  );
  jit((u: Complex) => {
    assert.match(inspect(u), /^Array\(shape=\[2\], dtype=complex64\) \(tracer\): print its values with/);
    return u;
  })(z);
});

test("tree functions take a complex array as one leaf, as JAX does; optim refuses one by its path", async () => {
  const grads = { w: lax.complex(np.array([1, 2]), np.array([3, -4])), b: np.array([5]) };
  assert.equal(tree.leaves(grads).length, 2);
  const conjugated = tree.map((g: Tracer | Complex) => np.conj(g), grads) as typeof grads;
  assert.deepEqual(Array.from(await conjugated.w.im.data()), [-3, 4]);
  refuses(
    () => optim.adam(0.1).init(grads),
    /optim\.adam: params\.w is complex64; keep a complex parameter as two float32 arrays/,
  );
});

test("a real array's method given a complex operand points at the np function that takes it", () => {
  const z = lax.complex(np.ones([2]), np.ones([2]));
  refuses(
    () => np.ones([2]).mul(z as unknown as Tracer),
    /multiply: argument 1 is complex64\[2\]: a real array's methods take real operands; np\.multiply\(x, z\) takes complex ones/,
  );
});

test("lax.scan carries a complex array and stacks complex outputs; grad flows through it", async () => {
  // A phasor rotated by θ each step: z_t = e^{iθt}·z_0, so the stacked outputs are known exactly.
  const theta = 0.3;
  const rot = lax.complex(Math.cos(theta), Math.sin(theta));
  const run = (z0: Complex) => lax.scan((z: Complex) => [np.multiply(z, rot), z] as const, z0, null, { length: 4 });
  const [last, ys] = jit(run)(lax.complex(np.array(1), np.array(0))) as unknown as [Complex, Complex];
  const re = Array.from(await ys.re.data());
  re.forEach((v, t) => assert.ok(Math.abs(v - Math.cos(theta * t)) < 1e-6, `Re z_${t} = ${v}`));
  assert.ok(Math.abs((await last.im.data())[0]! - Math.sin(4 * theta)) < 1e-6);
  // d/dφ of Re z_4 with z_0 = e^{iφ}: −sin(φ + 4θ), at φ = 0.
  const g = grad((phi: Tracer) => np.real(run(np.exp(lax.complex(0, phi)))[0]))(np.array(0));
  assert.ok(Math.abs((await g.data())[0]! + Math.sin(4 * theta)) < 1e-5);
});
