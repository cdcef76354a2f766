// scipy.spatial.transform.Slerp, as jax.scipy.spatial.transform's: spherical linear
// interpolation between keyframe rotations. `Slerp.init(times, rotations)` keeps each segment's
// start rotation and the rotation vector to the next keyframe; calling the instance at times,
// `slerp(times)` as Python's `slerp(times)`, finds each time's segment (searchsorted) and turns
// its start rotation by that vector times the fraction of the segment elapsed. A time outside the
// keyframes extrapolates from the first or last segment, as JAX's clamped gather does. A Slerp
// is a callable function object whose prototype is Slerp's (as tree_util.Partial's), so the call
// reads as JAX's and the instance is a pytree node, JAX's NamedTuple fields as its children
// (times, timedelta, rotations, rotvecs): it passes through jit, vmap and grad.

import { JitScopeError } from "../ir/errors.js";
import type { Tracer } from "../trace/core.js";
import { GetAttrKey, register_pytree_with_keys } from "../trace/pytreeNodes.js";
import { libraryScope } from "../trace/scopeCalls.js";
import * as np from "../np.js";
import { avalText } from "../np/validate.js";
import { floatInput, Rotation, type RotationInput } from "./rotation.js";

const NAME = "scipy.spatial.transform.Slerp";

/** A Slerp: call it at times (a number: one rotation; a 1-D array: a stack). */
export interface Slerp {
  (times: RotationInput): Rotation;
  /** The keyframe times [n], increasing. */
  readonly times: Tracer;
  /** Each segment's length [n − 1]. */
  readonly timedelta: Tracer;
  /** Each segment's start rotation (a stack of n − 1). */
  readonly rotations: Rotation;
  /** Each segment's rotation vector from its start to its end keyframe [n − 1, 3]. */
  readonly rotvecs: Tracer;
}

interface SlerpFields {
  times: Tracer;
  timedelta: Tracer;
  rotations: Rotation;
  rotvecs: Tracer;
}

/** The rotations at `times`, as JAX's Slerp.__call__. */
function interpolate(s: SlerpFields, times: RotationInput): Rotation {
  const fn = NAME;
  const t = floatInput(fn, "times", times);
  if (t.ndim > 1) throw new JitScopeError("shape", `${fn}: times must be a number or 1-D, got ${avalText(t.aval)}`);
  return libraryScope(fn, () => {
    const at = np.atleast_1d(t);
    const ind = np.maximum(np.subtract(np.searchsorted(s.times, at), 1), 0);
    const clip = { mode: "clip" } as const;
    const alpha = np.divide(np.subtract(at, np.take(s.times, ind, 0, clip)), np.take(s.timedelta, ind, 0, clip));
    const start = new Rotation(np.take(s.rotations.quat, ind, 0, clip));
    const turn = np.multiply(np.take(s.rotvecs, ind, 0, clip), np.expand_dims(alpha, -1));
    const result = start.mul(Rotation.from_rotvec(turn));
    return t.ndim === 0 ? result.get(0) : result;
  });
}

function build(fields: SlerpFields): Slerp {
  const s = ((times: RotationInput) => interpolate(s, times)) as unknown as Slerp;
  Object.setPrototypeOf(s, Slerp.prototype);
  for (const [k, v] of Object.entries(fields)) Object.defineProperty(s, k, { value: v, enumerable: true });
  return s;
}

/** Builds one from its fields, as JAX's NamedTuple constructor `Slerp(times, timedelta,
 *  rotations, rotvecs)`; Slerp.init computes them from keyframes. */
export const Slerp = function Slerp(times: Tracer, timedelta: Tracer, rotations: Rotation, rotvecs: Tracer): Slerp {
  if (!(rotations instanceof Rotation))
    throw new JitScopeError(
      "value",
      `${NAME}: rotations must be a Rotation; build a Slerp with Slerp.init(times, rotations)`,
    );
  return build({
    times: floatInput(NAME, "times", times),
    timedelta: floatInput(NAME, "timedelta", timedelta),
    rotations,
    rotvecs: floatInput(NAME, "rotvecs", rotvecs),
  });
} as unknown as {
  new (times: Tracer, timedelta: Tracer, rotations: Rotation, rotvecs: Tracer): Slerp;
  (times: Tracer, timedelta: Tracer, rotations: Rotation, rotvecs: Tracer): Slerp;
  readonly prototype: Slerp;
  /** The interpolator through `rotations` (a stack of n ≥ 2) at keyframe `times` [n]
   *  (increasing; not checked, as JAX cannot check traced times). */
  init(times: RotationInput, rotations: Rotation): Slerp;
};

Object.setPrototypeOf(Slerp.prototype, Function.prototype);

(Slerp as { init: (times: RotationInput, rotations: Rotation) => Slerp }).init = (times, rotations) => {
  const fn = `${NAME}.init`;
  if (!(rotations instanceof Rotation))
    throw new JitScopeError("value", `${fn}: rotations must be a Rotation, got ${typeof rotations}`);
  if (rotations.single || rotations.length < 2)
    throw new JitScopeError("value", `${fn}: rotations must be a stack of at least 2 rotations`);
  const t = floatInput(fn, "times", times);
  if (t.ndim !== 1) throw new JitScopeError("shape", `${fn}: times must be 1-D, got ${avalText(t.aval)}`);
  if (t.shape[0] !== rotations.length)
    throw new JitScopeError(
      "shape",
      `${fn}: times must have one entry per rotation (${rotations.length}), got ${t.shape[0]}`,
    );
  if (rotations.quat.ndim !== 2)
    throw new JitScopeError("shape", `${fn}: rotations must be a stack [n, 4], got ${avalText(rotations.quat.aval)}`);
  return libraryScope(fn, () => {
    const starts = rotations.get(":-1");
    const ends = rotations.get("1:");
    return build({ times: t, timedelta: np.diff(t), rotations: starts, rotvecs: starts.inv().mul(ends).as_rotvec() });
  });
};

const FIELDS = ["times", "timedelta", "rotations", "rotvecs"] as const;

register_pytree_with_keys(
  Slerp as unknown as abstract new () => Slerp,
  (s) => [FIELDS.map((f) => [new GetAttrKey(f), s[f]] as const), null],
  (_aux, children) => build(Object.fromEntries(FIELDS.map((f, i) => [f, children[i]])) as unknown as SlerpFields),
);
