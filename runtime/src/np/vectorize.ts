// np.vectorize, as jax.numpy.vectorize: a function written for single elements (or, with a
// gufunc signature such as "(m,n),(n)->(m)", for arrays of its core shapes) applied across the
// broadcast of its arguments' other ("loop") axes by one vmap per loop axis. An argument whose
// loop axis has length 1 is not mapped there (vmap with axis null), so nothing is broadcast in
// memory; a loop axis no argument maps is put back on the result with expand_dims.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import { Tracer } from "../trace/core.js";
import { vmap } from "../trace/vmap.js";
import { broadcast_shapes } from "./broadcasting.js";
import { asTracer, type ArrayLike } from "./promote.js";
import { expand_dims, squeeze } from "./shape.js";
import { avalText } from "./validate.js";

export interface VectorizeOptions {
  /** Positions of arguments passed to the function unchanged (not arrays: numbers kept as JS
   *  numbers, strings, functions). */
  excluded?: readonly number[];
  /** A gufunc signature: the core axes of each argument and result, by name. */
  signature?: string;
}

type Core = readonly string[];

/** "(m,n),(n)->(m)" → [[["m","n"],["n"]], [["m"]]]. */
function parseSignature(signature: string): [Core[], Core[]] {
  const bad = () =>
    new JitScopeError("value", `vectorize: signature ${JSON.stringify(signature)} is not of the form "(m,n),(n)->(m)"`);
  const sides = signature.replace(/\s+/g, "").split("->");
  if (sides.length !== 2) throw bad();
  const list = (side: string): Core[] => {
    if (side === "") return [];
    const groups = side.match(/\([^()]*\)/g);
    if (!groups || groups.join(",") !== side) throw bad();
    return groups.map((g) => {
      const inner = g.slice(1, -1);
      const names = inner === "" ? [] : inner.split(",");
      if (names.some((n) => !/^\w+$/.test(n))) throw bad();
      return names;
    });
  };
  return [list(sides[0]!), list(sides[1]!)];
}

export function vectorize<R>(
  pyfunc: (...args: never[]) => R,
  options: VectorizeOptions = {},
): (...args: unknown[]) => R {
  checkOptions("vectorize", options, ["excluded", "signature"]);
  if (typeof pyfunc !== "function") throw new JitScopeError("value", "vectorize: expected a function");
  const excluded = new Set(options.excluded ?? []);
  const parsed = options.signature === undefined ? null : parseSignature(options.signature);
  const fn = pyfunc as unknown as (...args: unknown[]) => unknown;
  return (...args: unknown[]): R => {
    const mappedAt = args.map((_, i) => i).filter((i) => !excluded.has(i));
    const arrays = mappedAt.map((i) => asTracer("vectorize", args[i] as ArrayLike));
    const cores = parsed ? parsed[0] : arrays.map((): Core => []);
    if (cores.length !== arrays.length)
      throw new JitScopeError(
        "value",
        `vectorize: the signature ${options.signature} takes ${cores.length} array argument(s), got ${arrays.length}`,
      );
    // Each core axis name has one length across the arguments.
    const sizes = new Map<string, number>();
    arrays.forEach((a, k) => {
      const core = cores[k]!;
      if (a.ndim < core.length)
        throw new JitScopeError(
          "shape",
          `vectorize: argument ${mappedAt[k]} is ${avalText(a.aval)} but the signature gives it ${core.length} core axes (${core.join(",")})`,
        );
      core.forEach((name, j) => {
        const n = a.shape[a.ndim - core.length + j]!;
        const seen = sizes.get(name);
        if (seen !== undefined && seen !== n)
          throw new JitScopeError(
            "shape",
            `vectorize: core axis ${name} is ${seen} in one argument and ${n} in argument ${mappedAt[k]} (${avalText(a.aval)})`,
          );
        sizes.set(name, n);
      });
    });
    const loops = arrays.map((a, k) => a.shape.slice(0, a.ndim - cores[k]!.length));
    const loopShape = broadcast_shapes(...loops);
    // Loop axes right-aligned to loopShape; an axis of length 1 is squeezed and not mapped.
    const filled = loops.map((l) => [...Array<number>(loopShape.length - l.length).fill(1), ...l]);
    const squeezed = arrays.map((a, k) => {
      const ones = loops[k]!.flatMap((d, i) => (d === 1 ? [i] : []));
      return ones.length ? squeeze(a, ones) : a;
    });
    let call = (...xs: Tracer[]): unknown => {
      const full = [...args];
      mappedAt.forEach((i, k) => (full[i] = xs[k]));
      const out = fn(...full);
      if (parsed) checkOutputs(out, parsed[1], sizes, options.signature!);
      return out;
    };
    const expand: number[] = [];
    for (let axis = loopShape.length - 1; axis >= 0; axis--) {
      const inAxes = filled.map((f) => (f[axis] === 1 ? null : 0));
      if (inAxes.every((a) => a === null)) expand.push(axis);
      else call = vmap(call, inAxes) as (...xs: Tracer[]) => unknown;
    }
    const result = call(...squeezed);
    if (expand.length === 0) return result as R;
    const grow = (r: unknown) => expand_dims(asTracer("vectorize", r as ArrayLike), expand);
    return (Array.isArray(result) ? result.map(grow) : grow(result)) as R;
  };
}

function checkOutputs(out: unknown, cores: readonly Core[], sizes: Map<string, number>, signature: string): void {
  const list = cores.length === 1 ? [out] : out;
  if (!Array.isArray(list) || list.length !== cores.length)
    throw new JitScopeError(
      "value",
      `vectorize: the signature ${signature} gives ${cores.length} result(s); the function returned ${Array.isArray(out) ? out.length : "one"}`,
    );
  list.forEach((o, k) => {
    const t = o instanceof Tracer ? o : asTracer("vectorize", o as ArrayLike);
    const core = cores[k]!;
    if (t.ndim !== core.length)
      throw new JitScopeError(
        "shape",
        `vectorize: result ${k} should have ${core.length} core axes (${core.join(",")}) per the signature ${signature}, got ${avalText(t.aval)}`,
      );
    core.forEach((name, j) => {
      const want = sizes.get(name);
      if (want !== undefined && want !== t.shape[j])
        throw new JitScopeError(
          "shape",
          `vectorize: result ${k}'s core axis ${name} is ${t.shape[j]}, but the arguments give ${name} = ${want}`,
        );
    });
  });
}
