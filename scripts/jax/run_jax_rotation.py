#!/usr/bin/env python3
"""jax.scipy.spatial.transform: every Rotation constructor (from_quat, from_matrix incl. 180°
rotations, from_rotvec incl. 180° and tiny angles, from_mrp, from_euler for Tait–Bryan and proper
Euler sequences, intrinsic and extrinsic, in radians and degrees) and every as_* (as_euler near
and at gimbal lock) on a stack of rotations; apply and its inverse on a point cloud; composition,
inv, magnitude, mean with and without weights, concatenate, indexing; Slerp between keyframes;
a gradient through from_rotvec → apply; vmap over a Rotation and jit of a Rotation in and out.

Writes test/fixtures/jax/rotation.json, replayed by test/unit/ops/rotation.test.ts on CPU and
WebGPU, eager and under jit (through surface2Expected.ts's fixtureCases). Quaternions are stored
as JAX returns them, except mean's (an eigenvector, sign arbitrary): stored canonical.
Run:  $JAX_PYTHON scripts/jax/run_jax_rotation.py   (~30 s on 2 cores: many small jits)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import jax  # noqa: E402

jax.config.update("jax_platforms", "cpu")
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax.scipy.spatial.transform import Rotation, Slerp  # noqa: E402

from fixture_json import Cases  # noqa: E402

case = Cases()
rng = np.random.default_rng(17)
f32 = np.float32


def unit(x):
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(f32)


# A stack of 8 rotations; some with w < 0 so canonical / as_rotvec / as_mrp flip them.
quat_raw = (rng.standard_normal((8, 4)) * 2).astype(f32)
quats = unit(quat_raw)
points = rng.standard_normal((10, 3)).astype(f32)
vecs8 = rng.standard_normal((8, 3)).astype(f32)
R8 = Rotation.from_quat(quats)

case("from_quat", [quat_raw], Rotation.from_quat(quat_raw).quat)
case("from_quat_single", [quat_raw[0]], Rotation.from_quat(quat_raw[0]).quat)

# Matrices: the stack's, and 180° rotations (trace −1) that take each of from_matrix's branches.
s2 = f32(np.sqrt(0.5))
half_turns = np.array(
    [
        np.diag([1, -1, -1]),
        np.diag([-1, 1, -1]),
        np.diag([-1, -1, 1]),
        [[0, 1, 0], [1, 0, 0], [0, 0, -1]],  # 180° about (1, 1, 0)/√2
    ],
    dtype=f32,
)
mats = np.concatenate([np.asarray(R8.as_matrix()), half_turns]).astype(f32)
case("from_matrix", [mats], Rotation.from_matrix(mats).quat)

rotvecs = np.concatenate(
    [
        rng.standard_normal((5, 3)),
        [[np.pi, 0, 0], [0, -np.pi * s2, np.pi * s2], [1e-4, -2e-4, 5e-5]],
    ]
).astype(f32)
case("from_rotvec", [rotvecs], Rotation.from_rotvec(rotvecs).quat)
rotvecs_deg = np.rad2deg(rotvecs).astype(f32)
case("from_rotvec_degrees", [rotvecs_deg], Rotation.from_rotvec(rotvecs_deg, degrees=True).quat)
mrps = (rng.standard_normal((8, 3)) * 0.7).astype(f32)
case("from_mrp", [mrps], Rotation.from_mrp(mrps).quat)

angles = rng.uniform(-3, 3, (8, 3)).astype(f32)
angles[:, 1] = rng.uniform(0.2, 2.9, 8)  # proper Euler's middle angle in (0, π)
SEQS = ["xyz", "XYZ", "zyx", "ZYX", "zxz", "ZXZ", "xyx", "YZY"]
for seq in SEQS:
    case(f"from_euler_{seq}", [angles], Rotation.from_euler(seq, angles).quat)
angles_deg = np.rad2deg(angles).astype(f32)
case("from_euler_xyz_degrees", [angles_deg], Rotation.from_euler("xyz", angles_deg, degrees=True).quat)
case("from_euler_ZXZ_degrees", [angles_deg], Rotation.from_euler("ZXZ", angles_deg, degrees=True).quat)
case("from_euler_z_scalar_degrees", [np.float32(90)], Rotation.from_euler("z", f32(90), degrees=True).quat)
case("from_euler_xy", [angles[:, :2]], Rotation.from_euler("xy", angles[:, :2]).quat)
case("identity", [], Rotation.identity().quat)

case("as_matrix", [quats], R8.as_matrix())
case("as_mrp", [quats], R8.as_mrp())
for canonical in [False, True]:
    for scalar_first in [False, True]:
        name = f"as_quat{'_canonical' if canonical else ''}{'_scalar_first' if scalar_first else ''}"
        case(name, [quats], R8.as_quat(canonical=canonical, scalar_first=scalar_first))
# as_rotvec of the stack, of 180° turns about x and about (0, −1, 1)/√2, and of a tiny turn.
rv_quats = np.asarray(Rotation.from_rotvec(rotvecs).quat)
case("as_rotvec", [rv_quats], Rotation(rv_quats).as_rotvec())
case("as_rotvec_degrees", [rv_quats], Rotation(rv_quats).as_rotvec(degrees=True))
case("magnitude", [rv_quats], Rotation(rv_quats).magnitude())
case("inv", [quats], R8.inv().quat)

# as_euler: the stack, then rotations at gimbal lock (the middle angle 0 for proper sequences,
# −π/2 for Tait–Bryan) and 1e-3 from it. At exact lock the quaternion has exact zeros (float32's
# cos(π/2) is −4e-8, not 0): they are set, so the middle angle is exactly at the lock, not an ulp
# from JAX's 1e-7 threshold. The other lock (π, or +π/2) comes out of 2·atan2(h, 0): an ulp of
# atan2 there picks another (equally valid) decomposition and the middle angle sits on the ±π
# wrap, so it is checked as a round trip: from_euler(seq, as_euler(seq)) is the same rotation.
def euler_quats(seq, middles):
    return np.array(Rotation.from_euler(seq, np.array([[0.3, m, -0.8] for m in middles], f32)).quat)


def lock_quats(seq, middles):
    q = euler_quats(seq, middles)
    q[np.abs(q) < 1e-6] = 0
    return q


for seq in SEQS:
    proper = seq[0].lower() == seq[2].lower()
    near = [0.0, 1e-3, np.pi - 1e-3] if proper else [-np.pi / 2, np.pi / 2 - 1e-3, 1e-3 - np.pi / 2]
    qs = np.concatenate([quats, lock_quats(seq, near[:1]), euler_quats(seq, near[1:])]).astype(f32)
    case(f"as_euler_{seq}", [qs], Rotation(qs).as_euler(seq))
    other = lock_quats(seq, [np.pi if proper else np.pi / 2])
    back = Rotation.from_euler(seq, Rotation(other).as_euler(seq)).as_matrix()
    assert np.allclose(back, Rotation(other).as_matrix(), atol=1e-6)
    case(f"as_euler_lock_roundtrip_{seq}", [other], Rotation(other).as_matrix())
case("as_euler_xyz_degrees", [quats], R8.as_euler("xyz", degrees=True))
case("as_euler_ZXZ_degrees", [quats], R8.as_euler("ZXZ", degrees=True))

case("apply_single_cloud", [quats[0], points], Rotation(quats[0]).apply(points))
case("apply_single_cloud_inverse", [quats[0], points], Rotation(quats[0]).apply(points, inverse=True))
case("apply_stack_pairwise", [quats, vecs8], R8.apply(vecs8))
case("apply_stack_pairwise_inverse", [quats, vecs8], R8.apply(vecs8, inverse=True))
case("apply_stack_one_vector", [quats, vecs8[0]], R8.apply(vecs8[0]))

quats_b = unit(rng.standard_normal((8, 4)).astype(f32))
case("mul_stack_stack", [quats, quats_b], (R8 * Rotation(quats_b)).quat)
case("mul_single_stack", [quats[3], quats_b], (Rotation(quats[3]) * Rotation(quats_b)).quat)

# mean: K's top eigenvector, whose sign is arbitrary; stored canonical.
close = unit(np.array([0.1, -0.2, 0.3, 1.0], f32) + 0.15 * rng.standard_normal((6, 4)).astype(f32))
weights = rng.uniform(0.1, 2.0, 6).astype(f32)
case("mean", [close], Rotation(close).mean().as_quat(canonical=True))
case("mean_weighted", [close, weights], Rotation(close).mean(weights).as_quat(canonical=True))

case("concatenate", [quats[:3], quats[3:]], Rotation.concatenate([Rotation(quats[:3]), Rotation(quats[3:])]).quat)
case("getitem_index", [quats], R8[2].quat)
case("getitem_negative_index", [quats], R8[-1].quat)
case("getitem_slice", [quats], R8[1:5].quat)
case("getitem_indices", [quats], R8[jnp.array([0, 3, 7, 3])].quat)

# Slerp through 4 keyframes, at and between them, and (as JAX's) extrapolated past the last.
key_angles = np.array([[90, 0, 0], [0, 45, 0], [0, 0, -30], [20, 30, 40]], f32)
key_quats = np.asarray(Rotation.from_euler("zxy", key_angles, degrees=True).quat)
key_times = np.array([0.0, 1.0, 2.5, 4.0], f32)
slerp = Slerp.init(key_times, Rotation(jnp.asarray(key_quats)))
at = np.array([0.0, 0.3, 1.0, 1.7, 2.5, 3.9, 4.0, 4.5], f32)
case("slerp", [key_times, key_quats, at], slerp(at).quat)
case("slerp_single_time", [key_times, key_quats, f32(1.25)], slerp(f32(1.25)).quat)
case("slerp_rotvecs", [key_times, key_quats], slerp.rotvecs)
case("slerp_timedelta", [key_times, key_quats], slerp.timedelta)


# A gradient: the rotation vector aligning points to targets, through from_rotvec → apply.
targets = Rotation.from_rotvec(np.array([0.4, -0.3, 0.9], f32)).apply(points)
rv0 = np.array([0.1, 0.2, -0.3], f32)


def align_loss(rv, p, t):
    return jnp.sum((Rotation.from_rotvec(rv).apply(p) - t) ** 2)


case("grad_align", [rv0, points, targets], jax.grad(align_loss)(rv0, points, targets))
rv8 = rotvecs[:5]


def pairwise_loss(rv, v):
    return jnp.sum(Rotation.from_rotvec(rv).apply(v) * v[::-1])


case("grad_pairwise", [rv8, vecs8[:5]], jax.grad(pairwise_loss)(rv8, vecs8[:5]))

# A gradient with respect to a Rotation itself: a Rotation whose quat is d loss / d quat.
case("grad_wrt_rotation", [quats, vecs8], jax.grad(lambda r: jnp.sum(r.apply(vecs8) ** 2 * vecs8))(R8).quat)

# vmap over a Rotation (a pytree), and jit taking and returning one.
case("vmap_apply", [quats, points], jax.vmap(lambda r: r.apply(points))(R8))
case("vmap_as_euler", [quats], jax.vmap(lambda r: r.as_euler("zyx"))(R8))
case("jit_mul_inv", [quats, quats_b], jax.jit(lambda a, b: (a * b.inv()))(R8, Rotation(quats_b)).quat)
case.write("rotation")
