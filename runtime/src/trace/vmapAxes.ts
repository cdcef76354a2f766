// vmap's in_axes and out_axes as JAX reads them: a number (or null) for a whole argument or
// result, or a pytree prefix of it, a list or object whose entries give each part its own axis
// (`vmap(f, [{ w: null, b: null }, 0])` maps the second argument and not the first one's leaves).

import { JitScopeError } from "../ir/errors.js";
import { flatten, isPlainObject } from "./pytree.js";

/** An axis for every leaf below it, or one entry per list element or object key. */
export type AxisSpec = number | null | readonly AxisSpec[] | { readonly [key: string]: AxisSpec };

/** The axis of each leaf of `value` (in flatten's order) that `spec`, a prefix of it, gives. */
export function axesPerLeaf(
  spec: AxisSpec | undefined,
  value: unknown,
  path: string,
  what: string,
  label: string,
): (number | null)[] {
  if (spec === null || spec === undefined || typeof spec === "number")
    return flatten(value, path).leaves.map(() => spec ?? null);
  const mismatch = (why: string) =>
    new JitScopeError(
      "value",
      `${label}: ${what} for ${path} is ${Array.isArray(spec) ? `a list of ${spec.length}` : `an object with keys ${Object.keys(spec).join(", ")}`} but ${why}; a list or object in ${what} must have the structure of the value it maps`,
    );
  if (Array.isArray(spec)) {
    if (!Array.isArray(value)) throw mismatch(`${path} is not a list`);
    if (value.length !== spec.length) throw mismatch(`${path} has ${value.length} elements`);
    return value.flatMap((v, i) => axesPerLeaf(spec[i] as AxisSpec, v, `${path}[${i}]`, what, label));
  }
  if (!isPlainObject(value)) throw mismatch(`${path} is not an object`);
  const keys = Object.keys(value);
  const specKeys = Object.keys(spec);
  const missing = keys.filter((k) => !(k in spec));
  const extra = specKeys.filter((k) => !(k in value));
  if (missing.length > 0 || extra.length > 0)
    throw mismatch(
      `${path} has keys ${keys.join(", ")}${missing.length ? ` (none given for ${missing.join(", ")})` : ""}`,
    );
  const entries = spec as { readonly [key: string]: AxisSpec };
  return keys.flatMap((k) => axesPerLeaf(entries[k], value[k], `${path}.${k}`, what, label));
}

/** Every number in `spec` is an integer, and every node a number, null, a list or an object. */
export function checkAxisSpec(what: string, spec: unknown): void {
  if (spec === null || spec === undefined) return;
  if (typeof spec === "number") {
    if (!Number.isInteger(spec))
      throw new JitScopeError("value", `vmap: ${what} entries must be integers or null, got ${spec}`);
    return;
  }
  if (Array.isArray(spec)) return spec.forEach((s) => checkAxisSpec(what, s));
  if (isPlainObject(spec)) return Object.values(spec).forEach((s) => checkAxisSpec(what, s));
  throw new JitScopeError(
    "value",
    `vmap: ${what} entries must be integers, null, or lists and objects of them, got ${typeof spec}`,
  );
}
