// scipy.spatial.transform.Rotation, as jax.scipy.spatial.transform's: one rotation or a stack,
// held as unit quaternions `quat` [..., 4] (scalar last). As in JAX, where Rotation is a
// NamedTuple, it is a pytree node whose one child is `quat` (path `.quat`), so a Rotation passes
// into and out of jit, is mapped by vmap (its quat's leading axis) and is differentiated by grad.
// Python's `r1 * r2` is `r1.mul(r2)`, `len(r)` is `r.length`, `r[i]` is `r.get(i)` (an index
// entry as `x.at(i)` takes). A boolean that Python passes by position or keyword (degrees,
// inverse, canonical, scalar_first) is a positional boolean or an options object. The
// arithmetic is in rotationMath.ts; each computing method is a library scope in the traced graph.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import { Tracer } from "../trace/core.js";
import { GetAttrKey, register_pytree_with_keys } from "../trace/pytreeNodes.js";
import { libraryScope } from "../trace/scopeCalls.js";
import * as np from "../np.js";
import type { IndexEntry } from "../np.js";
import { cast } from "../np/promote.js";
import type { NestedList } from "../np/creation.js";
import { avalText } from "../np/validate.js";
import { normal } from "../random.js";
import * as M from "./rotationMath.js";

/** What a Rotation method takes where an array goes: an array, a number or nested lists. */
export type RotationInput = NestedList;

/** A flag as Python passes it: by position (a boolean) or by keyword (an options object). */
export type Flag<K extends string> = boolean | { readonly [P in K]?: boolean };

const NAME = "scipy.spatial.transform.Rotation";

/** `x` as float32, refused with `fn`'s name when it is not an array, a number or a list. */
export function floatInput(fn: string, what: string, x: unknown): Tracer {
  if (x instanceof Tracer) return cast(x, "float32");
  if (typeof x === "number" || Array.isArray(x)) return np.array(x as NestedList, { dtype: "float32" });
  throw new JitScopeError("value", `${fn}: ${what} must be an array, a number or a list, got ${describe(x)}`);
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (typeof x === "object") return (x as object).constructor?.name ?? "an object";
  return typeof x === "string" ? JSON.stringify(x) : typeof x;
}

/** `x` with its trailing axes `tail` (quat [..., 4], matrix [..., 3, 3]); names them if not. */
function withTail(fn: string, what: string, x: unknown, tail: readonly number[]): Tracer {
  const t = floatInput(fn, what, x);
  const got = t.shape.slice(t.ndim - tail.length);
  if (t.ndim < tail.length || got.some((d, i) => d !== tail[i]))
    throw new JitScopeError(
      "shape",
      `${fn}: ${what} must have shape [..., ${tail.join(", ")}], got ${avalText(t.aval)}`,
    );
  return t;
}

/** The booleans `names` from positional `args`, or from one options object in their place. */
function flags<K extends string>(fn: string, names: readonly K[], args: readonly unknown[]): Record<K, boolean> {
  const first = args[0];
  const opts = first !== null && typeof first === "object" && !Array.isArray(first) && !(first instanceof Tracer);
  if (opts) {
    checkOptions(fn, first as Record<K, unknown>, names);
    if (args.slice(1).some((a) => a !== undefined))
      throw new JitScopeError("value", `${fn}: give ${names.join(" and ")} by position or in the options, not both`);
  }
  const given = opts ? names.map((n) => (first as Record<string, unknown>)[n]) : args;
  const out = {} as Record<K, boolean>;
  names.forEach((n, i) => {
    const v = given[i];
    if (v !== undefined && typeof v !== "boolean")
      throw new JitScopeError("value", `${fn}: ${n} must be a boolean, got ${describe(v)}`);
    out[n] = v ?? false;
  });
  return out;
}

/** The axes (0, 1, 2 for x, y, z) of an Euler sequence, checked as JAX checks it. */
function eulerAxes(fn: string, seq: unknown, lengths: readonly number[]): { axes: number[]; intrinsic: boolean } {
  const s = typeof seq === "string" ? seq : "";
  if (typeof seq !== "string" || !lengths.includes(s.length))
    throw new JitScopeError(
      "value",
      `${fn}: seq must be a string of ${lengths.length > 1 ? "1 to 3" : "3"} axes such as "xyz" (extrinsic) or "ZXZ" (intrinsic), got ${JSON.stringify(seq)}`,
    );
  const intrinsic = /^[XYZ]+$/.test(s);
  if (!intrinsic && !/^[xyz]+$/.test(s))
    throw new JitScopeError(
      "value",
      `${fn}: seq's axes must be all from x, y, z (extrinsic) or all from X, Y, Z (intrinsic), got ${JSON.stringify(s)}`,
    );
  if ([...s].some((c, i) => i > 0 && c === s[i - 1]))
    throw new JitScopeError("value", `${fn}: seq's consecutive axes must differ, got ${JSON.stringify(s)}`);
  return { axes: [...s.toLowerCase()].map((c) => "xyz".indexOf(c)), intrinsic };
}

/** One rotation (quat [4]) or a stack (quat [..., 4]) in 3 dimensions. */
export class Rotation {
  /** The unit quaternions, scalar last: [x, y, z, w]. */
  readonly quat: Tracer;

  /** A Rotation of these quaternions as they are (JAX's `Rotation(quat)`; from_quat normalises). */
  constructor(quat: RotationInput) {
    this.quat = withTail(`${NAME}`, "quat", quat, [4]);
  }

  /** The rotations of `rotations` one after another; single rotations count as one each. */
  static concatenate(rotations: readonly Rotation[]): Rotation {
    const fn = `${NAME}.concatenate`;
    if (!Array.isArray(rotations) || rotations.length === 0)
      throw new JitScopeError("value", `${fn}: needs a non-empty list of Rotations`);
    rotations.forEach((r, i) => {
      if (!(r instanceof Rotation))
        throw new JitScopeError("value", `${fn}: entry ${i} is ${describe(r)}, not a Rotation`);
    });
    return new Rotation(np.concatenate(rotations.map((r) => np.atleast_2d(r.quat))));
  }

  /** Rotations from Euler angles [..., len(seq)] about the axes of `seq`: lowercase extrinsic
   *  (fixed axes), uppercase intrinsic (the rotating body's axes), 1 to 3 axes. */
  static from_euler(seq: string, angles: RotationInput, degrees?: Flag<"degrees">): Rotation {
    const fn = `${NAME}.from_euler`;
    const { axes, intrinsic } = eulerAxes(fn, seq, [1, 2, 3]);
    const opts = flags(fn, ["degrees"], [degrees]);
    const a = np.atleast_1d(floatInput(fn, "angles", angles));
    if (a.shape[a.ndim - 1] !== axes.length)
      throw new JitScopeError(
        "shape",
        `${fn}: angles must have shape [..., ${axes.length}], one angle per axis of "${seq}", got ${avalText(a.aval)}`,
      );
    return libraryScope(fn, () => new Rotation(M.eulerToQuat(a, axes, intrinsic, opts.degrees)));
  }

  /** Rotations from rotation matrices [..., 3, 3] (normalised: a near-orthogonal matrix works). */
  static from_matrix(matrix: RotationInput): Rotation {
    const fn = `${NAME}.from_matrix`;
    const m = withTail(fn, "matrix", matrix, [3, 3]);
    return libraryScope(fn, () => new Rotation(M.matrixToQuat(m)));
  }

  /** Rotations from modified Rodrigues parameters [..., 3] (axis · tan(θ/4)). */
  static from_mrp(mrp: RotationInput): Rotation {
    const fn = `${NAME}.from_mrp`;
    const p = withTail(fn, "mrp", mrp, [3]);
    return libraryScope(fn, () => new Rotation(M.mrpToQuat(p)));
  }

  /** Rotations from quaternions [..., 4] (scalar last), normalised. */
  static from_quat(quat: RotationInput): Rotation {
    const fn = `${NAME}.from_quat`;
    const q = withTail(fn, "quat", quat, [4]);
    return libraryScope(fn, () => new Rotation(M.normalizeQuat(q)));
  }

  /** Rotations from rotation vectors [..., 3] (axis · angle, in radians unless `degrees`). */
  static from_rotvec(rotvec: RotationInput, degrees?: Flag<"degrees">): Rotation {
    const fn = `${NAME}.from_rotvec`;
    const opts = flags(fn, ["degrees"], [degrees]);
    const v = withTail(fn, "rotvec", rotvec, [3]);
    return libraryScope(fn, () => new Rotation(M.rotvecToQuat(v, opts.degrees)));
  }

  /** The identity rotation, or `num` of them stacked (SciPy's num; JAX's asserts it is None). */
  static identity(num?: number | null, dtype: "float32" = "float32"): Rotation {
    const fn = `${NAME}.identity`;
    if (dtype !== "float32")
      throw new JitScopeError("dtype", `${fn}: rotations are float32, got dtype ${JSON.stringify(dtype)}`);
    const one = np.array([0, 0, 0, 1], { dtype: "float32" });
    if (num === undefined || num === null) return new Rotation(one);
    return new Rotation(np.tile(one, [count(fn, num), 1]));
  }

  /** Uniformly distributed rotations: normal draws in R⁴, normalised (SciPy's algorithm; JAX's
   *  raises NotImplementedError). One rotation, or `num` stacked. */
  static random(key: Tracer, num?: number | null): Rotation {
    const fn = `${NAME}.random`;
    const shape = num === undefined || num === null ? [4] : [count(fn, num), 4];
    return libraryScope(fn, () => new Rotation(M.normalizeQuat(normal(key, shape))));
  }

  /** Python's `r[index]`: the rotation(s) at an index entry of the stack's first axis (a
   *  number, a slice such as "1:5", an int32 array or a list of indices, as `x.at(i)` takes). */
  get(index: IndexEntry): Rotation {
    const fn = `${NAME}.get`;
    if (this.single) throw new JitScopeError("value", `${fn}: a single rotation is not subscriptable`);
    const q = this.quat.at(index).get();
    if (q.ndim === 0 || q.shape[q.ndim - 1] !== 4)
      throw new JitScopeError("value", `${fn}: the index must pick along the stack's first axis only`);
    return new Rotation(q);
  }

  /** Python's `len(r)`: how many rotations the stack's first axis holds. */
  get length(): number {
    if (this.single) throw new JitScopeError("value", `${NAME}.length: a single rotation has no length`);
    return this.quat.shape[0]!;
  }

  /** Whether this holds one rotation (quat [4]) rather than a stack. */
  get single(): boolean {
    return this.quat.ndim === 1;
  }

  /** Python's `this * other`: `other` first, then this (quaternion product, normalised).
   *  Stacks pair up by broadcasting, a single rotation with each of a stack. */
  mul(other: Rotation): Rotation {
    const fn = `${NAME}.mul`;
    if (!(other instanceof Rotation))
      throw new JitScopeError("value", `${fn}: composes with another Rotation, got ${describe(other)}`);
    stacksBroadcast(fn, this.quat, other.quat, "the other rotation's");
    return libraryScope(fn, () => new Rotation(M.normalizeQuat(M.composeQuat(this.quat, other.quat))));
  }

  /** The vectors [..., 3] rotated (by the inverse rotation with `inverse`); stacks of rotations
   *  and of vectors pair up by broadcasting. */
  apply(vectors: RotationInput, inverse?: Flag<"inverse">): Tracer {
    const fn = `${NAME}.apply`;
    const opts = flags(fn, ["inverse"], [inverse]);
    const v = withTail(fn, "vectors", vectors, [3]);
    stacksBroadcast(fn, this.quat, v, "the vectors'");
    return libraryScope(fn, () => M.applyMatrix(M.quatToMatrix(this.quat), v, opts.inverse));
  }

  /** Euler angles [..., 3] for a 3-axis `seq` (as from_euler's), in [−π, π) or degrees. */
  as_euler(seq: string, degrees?: Flag<"degrees">): Tracer {
    const fn = `${NAME}.as_euler`;
    const { axes, intrinsic } = eulerAxes(fn, seq, [3]);
    const opts = flags(fn, ["degrees"], [degrees]);
    return libraryScope(fn, () => M.quatToEuler(this.quat, axes, !intrinsic, opts.degrees));
  }

  /** Rotation matrices [..., 3, 3]. */
  as_matrix(): Tracer {
    return libraryScope(`${NAME}.as_matrix`, () => M.quatToMatrix(this.quat));
  }

  /** Modified Rodrigues parameters [..., 3], of the turn of at most π. */
  as_mrp(): Tracer {
    return libraryScope(`${NAME}.as_mrp`, () => M.quatToMrp(this.quat));
  }

  /** Rotation vectors [..., 3] (axis · angle, the angle in [0, π]; degrees with `degrees`). */
  as_rotvec(degrees?: Flag<"degrees">): Tracer {
    const fn = `${NAME}.as_rotvec`;
    const opts = flags(fn, ["degrees"], [degrees]);
    return libraryScope(fn, () => M.quatToRotvec(this.quat, opts.degrees));
  }

  /** The quaternions [..., 4]: `canonical` picks the sign with w > 0 (ties as SciPy's),
   *  `scalar_first` gives [w, x, y, z]. */
  as_quat(canonical?: Flag<"canonical" | "scalar_first">, scalar_first?: boolean): Tracer {
    const opts = flags(`${NAME}.as_quat`, ["canonical", "scalar_first"], [canonical, scalar_first]);
    const q = opts.canonical ? M.canonicalQuat(this.quat) : this.quat;
    return opts.scalar_first ? np.roll(q, 1, -1) : q;
  }

  /** The inverse rotation(s). */
  inv(): Rotation {
    return new Rotation(M.invQuat(this.quat));
  }

  /** The rotation angle(s) in [0, π]. */
  magnitude(): Tracer {
    return libraryScope(`${NAME}.magnitude`, () => M.magnitude(this.quat));
  }

  /** The (weighted) mean rotation of a stack [n, 4]: the top eigenvector of Σ wᵢ qᵢqᵢᵀ, as
   *  JAX's (Markley et al.); its sign is arbitrary, as JAX's. */
  mean(weights?: RotationInput | null): Rotation {
    const fn = `${NAME}.mean`;
    if (this.single) throw new JitScopeError("value", `${fn}: needs a stack of rotations, got a single rotation`);
    const n = this.quat.shape[0]!;
    if (this.quat.ndim !== 2)
      throw new JitScopeError("shape", `${fn}: needs a stack of shape [n, 4], got ${avalText(this.quat.aval)}`);
    const w = weights === undefined || weights === null ? np.ones([n]) : floatInput(fn, "weights", weights);
    if (w.ndim !== 1) throw new JitScopeError("shape", `${fn}: weights must be 1-D, got ${avalText(w.aval)}`);
    if (w.shape[0] !== n)
      throw new JitScopeError("shape", `${fn}: weights must have one value per rotation (${n}), got ${w.shape[0]}`);
    return libraryScope(fn, () => {
      const k = np.matmul(np.multiply(np.expand_dims(w, 0), np.transpose(this.quat)), this.quat);
      const [, v] = np.linalg.eigh(k);
      return new Rotation(np.take(v, 3, 1));
    });
  }

  toString(): string {
    return `Rotation(quat=${avalText(this.quat.aval)})`;
  }
}

function count(fn: string, num: unknown): number {
  if (typeof num !== "number" || !Number.isInteger(num) || num < 0)
    throw new JitScopeError("value", `${fn}: num must be a non-negative integer or null, got ${describe(num)}`);
  return num;
}

/** Refuses leading axes of two operands that do not broadcast, naming the method. */
function stacksBroadcast(fn: string, quat: Tracer, other: Tracer, what: string): void {
  const a = quat.shape.slice(0, -1);
  const b = other.shape.slice(0, -1);
  for (let i = 1; i <= Math.min(a.length, b.length); i++) {
    const [x, y] = [a[a.length - i]!, b[b.length - i]!];
    if (x !== y && x !== 1 && y !== 1)
      throw new JitScopeError(
        "shape",
        `${fn}: the rotations' stack [${a.join(", ")}] and ${what} [${b.join(", ")}] do not broadcast`,
      );
  }
}

// A NamedTuple in JAX: one child, `.quat`. Rebuilt without the constructor's checks, since
// tree utilities put other leaves (vmap's axes, grad's zeros) where the quaternions go.
register_pytree_with_keys(
  Rotation,
  (r) => [[[new GetAttrKey("quat"), r.quat]], null],
  (_aux, [quat]) => Object.assign(Object.create(Rotation.prototype) as Rotation, { quat }) as Rotation,
);
