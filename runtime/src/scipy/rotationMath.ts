// The quaternion arithmetic under scipy.spatial.transform's Rotation (scipy/rotation.ts), as
// jax.scipy.spatial.transform's private functions: scalar-last quaternions [..., 4], matrices
// [..., 3, 3], vectors [..., 3]. JAX writes each for one rotation and maps it with
// jnp.vectorize; here each is written on the last axis's components (a take per component, a
// stack to rebuild), so a stack of any leading shape is the same elementwise work, batch axes
// broadcast as vectorize's do, everything fuses, and grad and vmap go through unchanged. The
// sequence of an Euler conversion is a JS string, so its axes, sign and branch are resolved on
// the host where JAX selects them with `where` on traced values. Same formulas, same branch
// thresholds (1e-3 for the small-angle series, 1e-7 for gimbal lock) as JAX's, so results agree
// to float32 rounding, quaternion signs included.

import type { Tracer } from "../trace/core.js";
import * as np from "../np.js";
import type { ArrayLike } from "../np.js";

type Quat = [Tracer, Tracer, Tracer, Tracer];

/** The `n` components of `x`'s last axis, each [...]. */
export function parts(x: Tracer, n: number): Tracer[] {
  return Array.from({ length: n }, (_, i) => np.take(x, i, -1));
}

const quat = (q: Tracer): Quat => parts(q, 4) as Quat;
const pack = (xs: readonly Tracer[]): Tracer => np.stack(np.broadcast_arrays(...xs), -1);
const add = (a: ArrayLike, b: ArrayLike, ...rest: ArrayLike[]): Tracer =>
  rest.reduce<Tracer>((acc, x) => np.add(acc, x), np.add(a, b));
const mul = np.multiply;
const sub = np.subtract;

/** √(Σ x²) over the last axis (JAX's _vector_norm: sqrt of a dot). */
export function norm(x: Tracer): Tracer {
  return np.sqrt(np.sum(np.square(x), -1));
}

/** p·q, the rotation q then p (JAX's _compose_quat). Leading axes broadcast. */
export function composeQuat(p: Tracer, q: Tracer): Tracer {
  const [px, py, pz, pw] = quat(p);
  const [qx, qy, qz, qw] = quat(q);
  const cross = [sub(mul(py, qz), mul(pz, qy)), sub(mul(pz, qx), mul(px, qz)), sub(mul(px, qy), mul(py, qx))];
  return pack([
    add(mul(pw, qx), mul(qw, px), cross[0]!),
    add(mul(pw, qy), mul(qw, py), cross[1]!),
    add(mul(pw, qz), mul(qw, pz), cross[2]!),
    sub(sub(sub(mul(pw, qw), mul(px, qx)), mul(py, qy)), mul(pz, qz)),
  ]);
}

export function normalizeQuat(q: Tracer): Tracer {
  return np.divide(q, np.expand_dims(norm(q), -1));
}

/** The conjugate: the inverse of a unit quaternion. */
export function invQuat(q: Tracer): Tracer {
  return np.multiply(q, np.array([-1, -1, -1, 1], { dtype: "float32" }));
}

export function quatToMatrix(q: Tracer): Tracer {
  const [x, y, z, w] = quat(q);
  const [x2, y2, z2, w2] = [mul(x, x), mul(y, y), mul(z, z), mul(w, w)];
  const [xy, zw, xz, yw, yz, xw] = [mul(x, y), mul(z, w), mul(x, z), mul(y, w), mul(y, z), mul(x, w)];
  const rows = [
    [add(sub(sub(x2, y2), z2), w2), mul(2, sub(xy, zw)), mul(2, add(xz, yw))],
    [mul(2, add(xy, zw)), add(sub(add(np.negative(x2), y2), z2), w2), mul(2, sub(yz, xw))],
    [mul(2, sub(xz, yw)), mul(2, add(yz, xw)), add(add(sub(np.negative(x2), y2), z2), w2)],
  ];
  return np.stack(
    rows.map((r) => pack(r)),
    -2,
  );
}

/** JAX's _from_matrix: the largest of the diagonal and the trace picks the best-conditioned of
 *  four formulas (argmax keeps the first of ties), then the result is normalised. */
export function matrixToQuat(m: Tracer): Tracer {
  const e = (i: number, j: number): Tracer => np.take(np.take(m, i, -2), j, -1);
  const trace = add(e(0, 0), e(1, 1), e(2, 2));
  const decision = pack([e(0, 0), e(1, 1), e(2, 2), trace]);
  const choice = np.argmax(decision, -1);
  let out: Tracer = pack([sub(e(2, 1), e(1, 2)), sub(e(0, 2), e(2, 0)), sub(e(1, 0), e(0, 1)), add(trace, 1)]);
  for (const i of [2, 1, 0]) {
    const j = (i + 1) % 3;
    const k = (j + 1) % 3;
    const c: Tracer[] = [];
    c[i] = add(sub(1, trace), mul(2, e(i, i)));
    c[j] = add(e(j, i), e(i, j));
    c[k] = add(e(k, i), e(i, k));
    c[3] = sub(e(k, j), e(j, k));
    out = np.where(np.expand_dims(np.equal(choice, i), -1), pack(c), out);
  }
  return normalizeQuat(out);
}

/** JAX's _from_rotvec: sin(θ/2)/θ, by its Taylor series below θ = 1e-3. */
export function rotvecToQuat(rotvec: Tracer, degrees: boolean): Tracer {
  const rv = degrees ? np.deg2rad(rotvec) : rotvec;
  const angle = norm(rv);
  const a2 = mul(angle, angle);
  const small = add(sub(0.5, np.divide(a2, 48)), np.divide(mul(a2, a2), 3840));
  const large = np.divide(np.sin(np.divide(angle, 2)), angle);
  const scale = np.where(np.less_equal(angle, 1e-3), small, large);
  return np.concatenate([mul(np.expand_dims(scale, -1), rv), np.expand_dims(np.cos(np.divide(angle, 2)), -1)], -1);
}

/** JAX's _as_rotvec: w made ≥ 0 so the angle is in [0, π]; θ/sin(θ/2) by series below 1e-3. */
export function quatToRotvec(q: Tracer, degrees: boolean): Tracer {
  const w0 = np.take(q, 3, -1);
  const qp = np.where(np.expand_dims(np.less(w0, 0), -1), np.negative(q), q);
  const vec = vectorPart(qp);
  const angle = mul(2, np.arctan2(norm(vec), np.take(qp, 3, -1)));
  const a2 = mul(angle, angle);
  const small = add(2, np.divide(a2, 12), np.divide(mul(mul(7, a2), a2), 2880));
  const large = np.divide(angle, np.sin(np.divide(angle, 2)));
  let scale = np.where(np.less_equal(angle, 1e-3), small, large);
  if (degrees) scale = np.rad2deg(scale);
  return mul(np.expand_dims(scale, -1), vec);
}

/** The first three components (the vector part) of a [..., 4]. */
export function vectorPart(q: Tracer): Tracer {
  return pack(parts(q, 3));
}

/** JAX's _from_mrp: (2p, 1 − |p|²) / (1 + |p|²). */
export function mrpToQuat(mrp: Tracer): Tracer {
  const s = add(np.sum(np.square(mrp), -1), 1);
  const q = np.concatenate([mul(2, mrp), np.expand_dims(sub(2, s), -1)], -1);
  return np.divide(q, np.expand_dims(s, -1));
}

/** JAX's _as_mrp: the vector part over 1 + |w|, the quaternion's sign chosen so w ≥ 0. */
export function quatToMrp(q: Tracer): Tracer {
  const w = np.take(q, 3, -1);
  const sign = np.where(np.less(w, 0), -1, 1);
  const denominator = add(1, mul(sign, w));
  return np.divide(mul(np.expand_dims(sign, -1), vectorPart(q)), np.expand_dims(denominator, -1));
}

/** The rotation angle in [0, π]. */
export function magnitude(q: Tracer): Tracer {
  return mul(2, np.arctan2(norm(vectorPart(q)), np.abs(np.take(q, 3, -1))));
}

/** JAX's _make_canonical: q or −q, whichever has w > 0 (or, where w = 0, the first nonzero
 *  component of x, y, z positive). */
export function canonicalQuat(q: Tracer): Tracer {
  const [x, y, z, w] = quat(q);
  const neg = (c: Tracer): Tracer => np.less(c, 0);
  const zero = (c: Tracer): Tracer => np.equal(c, 0);
  const and = np.logical_and;
  const flip = np.logical_or(
    np.logical_or(neg(w), and(zero(w), neg(x))),
    np.logical_or(and(and(zero(w), zero(x)), neg(y)), and(and(and(zero(w), zero(x)), zero(y)), neg(z))),
  );
  return np.where(np.expand_dims(flip, -1), np.negative(q), q);
}

/** A quaternion per angle about one fixed axis (0, 1, 2: x, y, z). */
function elementaryQuat(axis: number, angle: Tracer): Tracer {
  const half = np.divide(angle, 2);
  const zero = np.zeros_like(half);
  const s = np.sin(half);
  return pack([axis === 0 ? s : zero, axis === 1 ? s : zero, axis === 2 ? s : zero, np.cos(half)]);
}

/** JAX's _elementary_quat_compose: angles [..., n] about `axes` (n of them), each new rotation
 *  composed after (intrinsic) or before (extrinsic) the ones so far. Not normalised, as JAX's. */
export function eulerToQuat(angles: Tracer, axes: readonly number[], intrinsic: boolean, degrees: boolean): Tracer {
  const a = parts(degrees ? np.deg2rad(angles) : angles, axes.length);
  let result = elementaryQuat(axes[0]!, a[0]!);
  for (let i = 1; i < axes.length; i++) {
    const q = elementaryQuat(axes[i]!, a[i]!);
    result = intrinsic ? composeQuat(result, q) : composeQuat(q, result);
  }
  return result;
}

/** JAX's _compute_euler_from_quat (Bernardes & Viollet's direct method): `axes` of a 3-letter
 *  sequence, resolved on the host. At gimbal lock (the middle angle within 1e-7 of 0 or π) the
 *  third angle is 0 and the first carries the whole turn. Angles wrap into [−π, π). */
export function quatToEuler(q: Tracer, seqAxes: readonly number[], extrinsic: boolean, degrees: boolean): Tracer {
  const angleFirst = extrinsic ? 0 : 2;
  const angleThird = extrinsic ? 2 : 0;
  const axes = extrinsic ? seqAxes : [...seqAxes].reverse();
  const i = axes[0]!;
  const j = axes[1]!;
  const symmetric = i === axes[2];
  const k = symmetric ? 3 - i - j : axes[2]!;
  const sign = ((i - j) * (j - k) * (k - i)) / 2; // ±1: an even or odd permutation of x, y, z
  const c4 = quat(q);
  const w = c4[3];
  const [qi, qj, qk] = [c4[i]!, c4[j]!, mul(c4[k]!, sign)];
  const a = symmetric ? w : sub(w, qj);
  const b = symmetric ? qi : add(qi, qk);
  const c = symmetric ? qj : add(qj, w);
  const d = symmetric ? qk : sub(qk, qi);
  const angles: Tracer[] = [];
  angles[1] = mul(2, np.arctan2(np.hypot(c, d), np.hypot(a, b)));
  const eps = 1e-7;
  const atPi = np.less_equal(np.abs(sub(angles[1], Math.PI)), eps);
  const atZero = np.less_equal(np.abs(angles[1]), eps);
  const halfSum = np.arctan2(b, a);
  const halfDiff = np.arctan2(d, c);
  // JAX's order: "case 1" (θ₂ ≈ 0) wins over "case 2" (θ₂ ≈ π) where both hold.
  const regular = np.logical_not(np.logical_or(atZero, atPi));
  angles[0] = np.where(atZero, mul(2, halfSum), mul(mul(2, halfDiff), extrinsic ? -1 : 1));
  angles[2] = np.zeros_like(angles[1]);
  angles[angleFirst] = np.where(regular, sub(halfSum, halfDiff), angles[angleFirst]!);
  angles[angleThird] = np.where(regular, add(halfSum, halfDiff), angles[angleThird]!);
  if (!symmetric) {
    angles[angleThird] = mul(angles[angleThird]!, sign);
    angles[1] = sub(angles[1], Math.PI / 2);
  }
  const wrapped = sub(np.remainder(add(pack(angles), Math.PI), 2 * Math.PI), Math.PI);
  return degrees ? np.rad2deg(wrapped) : wrapped;
}

/** JAX's _apply: each matrix times its vector (or the transpose's, for the inverse); leading axes
 *  broadcast. A broadcast product and a sum over the last axis, so it fuses. */
export function applyMatrix(m: Tracer, vectors: Tracer, inverse: boolean): Tracer {
  const mat = inverse ? np.swapaxes(m, -1, -2) : m;
  return np.sum(np.multiply(mat, np.expand_dims(vectors, -2)), -1);
}
