// scipy.spatial.transform (Rotation, Slerp) against JAX (scripts/jax/run_jax_rotation.py wrote
// test/fixtures/jax/rotation.json): every constructor and every as_* on a stack, as_euler at and
// near gimbal lock for 8 sequences (and a round trip at the other lock), apply, composition, inv, magnitude, mean, concatenate,
// indexing, Slerp, gradients through from_rotvec → apply and with respect to a Rotation, vmap
// over a Rotation and jit of Rotations in and out. Each on the CPU reference, on WebGPU and under
// jit on WebGPU (harness.ts opCases). Quaternions are compared as JAX returns them (the same
// algorithms, so the same signs), except mean's, an eigenvector whose sign is arbitrary: both
// sides are compared canonical (w ≥ 0). Then the pytree behaviour, random, and bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { grad, jit, random, scipy, tree_util, vmap } from "../../../runtime/src/index.js";
import * as np from "../../../runtime/src/np.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import { assertClose, onBackend, opCases, refuses, type Nested, type OpCase } from "./harness.js";
import { fixtureCases } from "./surface2Expected.js";

const { jaxOpCase, jaxCase } = fixtureCases("rotation");
const { Rotation, Slerp } = scipy.spatial.transform;
type Rotation = InstanceType<typeof Rotation>;
const f = (v: Nested): Tracer => np.array(v as never, { dtype: "float32" });
const R = (q: Nested): Rotation => new Rotation(f(q));
const tol = { rtol: 1e-5, atol: 2e-6 };
const SEQS = ["xyz", "XYZ", "zyx", "ZYX", "zxz", "ZXZ", "xyx", "YZY"];

const cases: OpCase[] = [
  jaxOpCase("from_quat", (q) => Rotation.from_quat(f(q)).quat, tol),
  jaxOpCase("from_quat_single", (q) => Rotation.from_quat(f(q)).quat, tol),
  jaxOpCase("from_matrix", (m) => Rotation.from_matrix(f(m)).quat, {
    ...tol,
    title: "from_matrix of 8 rotations and 4 half turns (each branch of the trace/diagonal choice)",
  }),
  jaxOpCase("from_rotvec", (v) => Rotation.from_rotvec(f(v)).quat, {
    ...tol,
    title: "from_rotvec of 5 rotations, 2 half turns and a 2e-4 turn (the series branch)",
  }),
  jaxOpCase("from_rotvec_degrees", (v) => Rotation.from_rotvec(f(v), true).quat, tol),
  jaxOpCase("from_mrp", (p) => Rotation.from_mrp(f(p)).quat, tol),
  ...SEQS.map((seq) => jaxOpCase(`from_euler_${seq}`, (a) => Rotation.from_euler(seq, f(a)).quat, tol)),
  jaxOpCase("from_euler_xyz_degrees", (a) => Rotation.from_euler("xyz", f(a), true).quat, tol),
  jaxOpCase("from_euler_ZXZ_degrees", (a) => Rotation.from_euler("ZXZ", f(a), { degrees: true }).quat, {
    ...tol,
    title: "from_euler_ZXZ_degrees with { degrees: true } as an options object",
  }),
  jaxOpCase("from_euler_z_scalar_degrees", (a) => Rotation.from_euler("z", a as number, true).quat, tol),
  jaxOpCase("from_euler_xy", (a) => Rotation.from_euler("xy", f(a)).quat, tol),
  jaxOpCase("identity", () => Rotation.identity().quat),
  jaxOpCase("as_matrix", (q) => R(q).as_matrix(), tol),
  jaxOpCase("as_mrp", (q) => R(q).as_mrp(), tol),
  jaxOpCase("as_quat", (q) => R(q).as_quat()),
  jaxOpCase("as_quat_canonical", (q) => R(q).as_quat(true)),
  jaxOpCase("as_quat_scalar_first", (q) => R(q).as_quat(false, true)),
  jaxOpCase("as_quat_canonical_scalar_first", (q) => R(q).as_quat({ canonical: true, scalar_first: true }), {
    title: "as_quat_canonical_scalar_first with both flags as an options object",
  }),
  jaxOpCase("as_rotvec", (q) => R(q).as_rotvec(), {
    ...tol,
    title: "as_rotvec of 5 rotations, 2 half turns and a 2e-4 turn (the series branch)",
  }),
  jaxOpCase("as_rotvec_degrees", (q) => R(q).as_rotvec(true), { rtol: 1e-5, atol: 1e-5 }),
  jaxOpCase("magnitude", (q) => R(q).magnitude(), tol),
  jaxOpCase("inv", (q) => R(q).inv().quat),
  ...SEQS.map((seq) =>
    jaxOpCase(`as_euler_${seq}`, (q) => R(q).as_euler(seq), {
      rtol: 1e-5,
      atol: 1e-5,
      title: `as_euler_${seq} of 8 rotations, 1 at gimbal lock (middle angle 0 or −π/2) and 2 1e-3 from it`,
    }),
  ),
  // At the other lock (π, or +π/2) an ulp of atan2 picks another valid decomposition and the
  // middle angle sits on the ±π wrap: checked as the same rotation after a round trip.
  ...SEQS.map((seq) =>
    jaxOpCase(`as_euler_lock_roundtrip_${seq}`, (q) => Rotation.from_euler(seq, R(q).as_euler(seq)).as_matrix(), {
      ...tol,
      title: `from_euler(${seq}, as_euler(${seq})) at gimbal lock (middle angle π or +π/2) gives back JAX's matrix`,
    }),
  ),
  jaxOpCase("as_euler_xyz_degrees", (q) => R(q).as_euler("xyz", true), { rtol: 1e-5, atol: 1e-5 }),
  jaxOpCase("as_euler_ZXZ_degrees", (q) => R(q).as_euler("ZXZ", { degrees: true }), { rtol: 1e-5, atol: 1e-5 }),
  jaxOpCase("apply_single_cloud", (q, p) => R(q).apply(f(p)), tol),
  jaxOpCase("apply_single_cloud_inverse", (q, p) => R(q).apply(f(p), true), tol),
  jaxOpCase("apply_stack_pairwise", (q, v) => R(q).apply(f(v)), tol),
  jaxOpCase("apply_stack_pairwise_inverse", (q, v) => R(q).apply(f(v), { inverse: true }), tol),
  jaxOpCase("apply_stack_one_vector", (q, v) => R(q).apply(f(v)), tol),
  jaxOpCase("mul_stack_stack", (a, b) => R(a).mul(R(b)).quat, tol),
  jaxOpCase("mul_single_stack", (a, b) => R(a).mul(R(b)).quat, tol),
  jaxOpCase("mean", (q) => R(q).mean().as_quat(true), { ...tol, title: "mean of 6 rotations, canonical" }),
  jaxOpCase("mean_weighted", (q, w) => R(q).mean(f(w)).as_quat(true), {
    ...tol,
    title: "mean of 6 rotations with weights, canonical",
  }),
  jaxOpCase("concatenate", (a, b) => Rotation.concatenate([R(a), R(b)]).quat),
  jaxOpCase("getitem_index", (q) => R(q).get(2).quat),
  jaxOpCase("getitem_negative_index", (q) => R(q).get(-1).quat),
  jaxOpCase("getitem_slice", (q) => R(q).get("1:5").quat),
  jaxOpCase("getitem_indices", (q) => R(q).get([0, 3, 7, 3]).quat),
  jaxOpCase("slerp", (t, k, at) => Slerp.init(f(t), R(k))(f(at)).quat, {
    ...tol,
    title: "slerp through 4 keyframes at 8 times: at keyframes, between them, and past the last",
  }),
  jaxOpCase("slerp_single_time", (t, k, at) => Slerp.init(f(t), R(k))(at as number).quat, tol),
  jaxOpCase("slerp_rotvecs", (t, k) => Slerp.init(f(t), R(k)).rotvecs, tol),
  jaxOpCase("slerp_timedelta", (t, k) => Slerp.init(f(t), R(k)).timedelta),
  jaxOpCase(
    "grad_align",
    (rv, p, t) =>
      grad((v: Tracer) => np.sum(np.square(np.subtract(Rotation.from_rotvec(v).apply(f(p)), f(t)))))(f(rv)) as Tracer,
    { rtol: 1e-5, atol: 1e-6, title: "grad of |from_rotvec(v).apply(points) − targets|² in v" },
  ),
  jaxOpCase(
    "grad_pairwise",
    (rv, v) =>
      grad((x: Tracer) => np.sum(np.multiply(Rotation.from_rotvec(x).apply(f(v)), np.flip(f(v), 0))))(f(rv)) as Tracer,
    {
      rtol: 1e-5,
      atol: 1e-6,
      title: "grad through from_rotvec → apply of a stack of 5 (with half turns) in the rotvecs",
    },
  ),
  jaxOpCase(
    "grad_wrt_rotation",
    (q, v) => (grad((r: Rotation) => np.sum(np.multiply(np.square(r.apply(f(v))), f(v))))(R(q)) as Rotation).quat,
    { rtol: 1e-5, atol: 1e-6, title: "grad with respect to a Rotation is a Rotation of d loss / d quat" },
  ),
  jaxOpCase("vmap_apply", (q, p) => vmap((r: Rotation) => r.apply(f(p)))(R(q)) as Tracer, {
    ...tol,
    title: "vmap over a Rotation stack of r.apply(points)",
  }),
  jaxOpCase("vmap_as_euler", (q) => vmap((r: Rotation) => r.as_euler("zyx"))(R(q)) as Tracer, {
    rtol: 1e-5,
    atol: 1e-5,
    title: "vmap over a Rotation stack of r.as_euler(zyx)",
  }),
  jaxOpCase("jit_mul_inv", (a, b) => (jit((x: Rotation, y: Rotation) => x.mul(y.inv()))(R(a), R(b)) as Rotation).quat, {
    ...tol,
    title: "jit taking two Rotations and returning their composition a·b⁻¹",
  }),
];
opCases("scipy.spatial.transform vs JAX", cases);

test("a Rotation and a Slerp pass into and out of jit as pytrees: the results are a Rotation and a callable Slerp, with JAX's values", async () => {
  await onBackend("cpu", async () => {
    const { inputs, expect } = jaxCase("slerp");
    const [t, k, at] = inputs as [Nested, Nested, Nested];
    const s = Slerp.init(f(t), R(k));
    const back = jit((x: typeof s) => x)(s) as typeof s;
    assert.ok(back instanceof Slerp && typeof back === "function");
    const r = back(f(at));
    assert.ok(r instanceof Rotation);
    assertClose(await r.quat.toArray(), expect, "float32", 1e-5, 2e-6);
    const viaJit = jit((x: typeof s, times: Tracer) => x(times))(s, f(at)) as Rotation;
    assert.ok(viaJit instanceof Rotation);
    assertClose(await viaJit.quat.toArray(), expect, "float32", 1e-5, 2e-6);
  });
});

test("tree_util flattens a Rotation to its quat (path .quat) and a Slerp to times, timedelta, rotations.quat, rotvecs", () => {
  onBackend("cpu", () => {
    const r = Rotation.identity(2);
    const [leaves] = tree_util.flatten_with_path(r) as [[unknown[], Tracer][], unknown];
    assert.deepEqual(
      leaves.map(([p]) => tree_util.keystr(p as never)),
      [".quat"],
    );
    const s = Slerp.init(f([0, 1]), r);
    const [sl] = tree_util.flatten_with_path(s) as [[unknown[], Tracer][], unknown];
    assert.deepEqual(
      sl.map(([p]) => tree_util.keystr(p as never)),
      [".times", ".timedelta", ".rotations.quat", ".rotvecs"],
    );
  });
});

test("Rotation.random(key, 5) gives 5 unit quaternions, the normalised random.normal(key, [5, 4]); without num one [4]", async () => {
  await onBackend("cpu", async () => {
    const q = Rotation.random(random.key(7), 5).quat;
    assert.deepEqual(q.shape, [5, 4]);
    const norms = Array.from(await np.sqrt(np.sum(np.square(q), -1)).data());
    assertClose(norms, [1, 1, 1, 1, 1], "float32", 1e-6, 1e-6);
    const g = random.normal(random.key(7), [5, 4]);
    const want = (await np.divide(g, np.sqrt(np.sum(np.square(g), -1, { keepdims: true }))).toArray()) as Nested;
    assertClose(await q.toArray(), want, "float32", 1e-6, 1e-6);
    assert.deepEqual(Rotation.random(random.key(1)).quat.shape, [4]);
  });
});

test("Rotation.identity(3) stacks 3 of JAX's identity [0, 0, 0, 1]; single, length and get read the stack", async () => {
  await onBackend("cpu", async () => {
    const one = jaxCase("identity").expect;
    const r = Rotation.identity(3);
    assertClose(await r.quat.toArray(), [one, one, one], "float32");
    assert.equal(r.single, false);
    assert.equal(r.length, 3);
    assert.equal(r.get(0).single, true);
    assert.equal(Rotation.identity().single, true);
  });
});

test("Rotation refuses bad input, naming the method: Euler sequences, last-axis sizes, len and indexing of a single rotation, mean's weights, options, broadcasting", () => {
  onBackend("cpu", () => {
    const a3 = f([0.1, 0.2, 0.3]);
    const q = f([0, 0, 0, 1]);
    refuses(() => Rotation.from_euler("xyzx", a3), /from_euler: seq must be a string of 1 to 3 axes/);
    refuses(() => Rotation.from_euler("xYz", a3), /from_euler: seq's axes must be all from x, y, z .* got "xYz"/);
    refuses(() => Rotation.from_euler("xxy", a3), /from_euler: seq's consecutive axes must differ, got "xxy"/);
    refuses(
      () => Rotation.from_euler("z", a3),
      /from_euler: angles must have shape \[\.\.\., 1\], one angle per axis of "z"/,
    );
    refuses(() => Rotation.identity().as_euler("xy"), /as_euler: seq must be a string of 3 axes/);
    refuses(() => Rotation.identity().as_euler("xyw"), /as_euler: seq's axes must be all from x, y, z/);
    refuses(() => Rotation.from_quat(a3), /from_quat: quat must have shape \[\.\.\., 4\], got float32\[3\]/);
    refuses(() => Rotation.from_matrix(np.ones([3, 4])), /from_matrix: matrix must have shape \[\.\.\., 3, 3\]/);
    refuses(() => Rotation.from_rotvec(q), /from_rotvec: rotvec must have shape \[\.\.\., 3\]/);
    refuses(() => Rotation.from_mrp(f([1, 2])), /from_mrp: mrp must have shape \[\.\.\., 3\]/);
    refuses(() => new Rotation(a3), /Rotation: quat must have shape \[\.\.\., 4\]/);
    refuses(
      () => Rotation.from_rotvec("x" as never),
      /from_rotvec: rotvec must be an array, a number or a list, got "x"/,
    );
    refuses(() => Rotation.identity().length, /Rotation\.length: a single rotation has no length/);
    refuses(() => Rotation.identity().get(0), /Rotation\.get: a single rotation is not subscriptable/);
    refuses(() => Rotation.identity().mean(), /Rotation\.mean: needs a stack of rotations, got a single rotation/);
    refuses(() => Rotation.identity(3).mean(f([1, 2])), /mean: weights must have one value per rotation \(3\), got 2/);
    refuses(() => Rotation.identity(3).mean(np.ones([3, 1])), /mean: weights must be 1-D/);
    refuses(
      () => Rotation.from_rotvec(a3, { degree: true } as never),
      /from_rotvec: unknown option "degree": did you mean "degrees"\?/,
    );
    refuses(() => Rotation.from_rotvec(a3, "yes" as never), /from_rotvec: degrees must be a boolean, got "yes"/);
    refuses(
      () => Rotation.identity().as_quat({ canonical: true }, true),
      /as_quat: give canonical and scalar_first by position or in the options, not both/,
    );
    refuses(() => Rotation.identity().apply(f([1, 2])), /apply: vectors must have shape \[\.\.\., 3\]/);
    refuses(
      () => Rotation.identity(3).apply(np.ones([4, 3])),
      /apply: the rotations' stack \[3\] and the vectors' \[4\] do not broadcast/,
    );
    refuses(
      () => Rotation.identity(3).mul(Rotation.identity(2)),
      /mul: the rotations' stack \[3\] and the other rotation's \[2\] do not broadcast/,
    );
    refuses(() => Rotation.identity().mul(q as never), /mul: composes with another Rotation/);
    refuses(
      () => Rotation.concatenate([Rotation.identity(), q as never]),
      /concatenate: entry 1 is .*, not a Rotation/,
    );
    refuses(() => Rotation.identity(-1), /identity: num must be a non-negative integer or null, got number/);
  });
});

test("Slerp refuses bad input, naming it: a single rotation, times not matching the rotations, times of 2 axes", () => {
  onBackend("cpu", () => {
    refuses(
      () => Slerp.init(f([0, 1]), Rotation.identity()),
      /Slerp\.init: rotations must be a stack of at least 2 rotations/,
    );
    refuses(
      () => Slerp.init(f([0]), Rotation.identity(1)),
      /Slerp\.init: rotations must be a stack of at least 2 rotations/,
    );
    refuses(
      () => Slerp.init(f([0, 1, 2]), Rotation.identity(2)),
      /Slerp\.init: times must have one entry per rotation \(2\), got 3/,
    );
    refuses(() => Slerp.init(f([[0, 1]]), Rotation.identity(2)), /Slerp\.init: times must be 1-D/);
    refuses(() => Slerp.init(f([0, 1]), f([0, 0, 0, 1]) as never), /Slerp\.init: rotations must be a Rotation/);
    const s = Slerp.init(f([0, 1]), Rotation.identity(2));
    refuses(() => s(np.ones([2, 2])), /Slerp: times must be a number or 1-D, got float32\[2,2\]/);
  });
});
