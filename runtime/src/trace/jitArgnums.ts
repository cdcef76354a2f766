// Which of a jitted function's arguments are static and which donated, from jit's options: by
// position (`static_argnums`, `donate_argnums`) or by parameter name (`static_argnames`,
// `donate_argnames`). JS calls have no keyword arguments, so a name stands for the position of
// the parameter so named in `f`'s own parameter list (read as argNames.ts reads it); positions
// and names given together are joined, as JAX joins them.

import { JitScopeError } from "../ir/errors.js";
import { declaredParams } from "./argNames.js";
import { donatedArgnums } from "./jitDonation.js";
import type { AnyFn, JitOptions } from "./jitTypes.js";

export interface JitArgnums {
  readonly statics: ReadonlySet<number>;
  /** Sorted, none static. */
  readonly donated: readonly number[];
}

export function jitArgnums(fname: string, f: AnyFn, opts: JitOptions): JitArgnums {
  const staticNums = opts.static_argnums ?? opts.staticArgnums ?? [];
  const statics = new Set([
    ...(typeof staticNums === "number" ? [staticNums] : staticNums),
    ...positionsOf(fname, f, "static_argnames", opts.static_argnames),
  ]);
  const donateNums = opts.donate_argnums ?? [];
  const donated = donatedArgnums(
    fname,
    [
      ...(typeof donateNums === "number" ? [donateNums] : donateNums),
      ...positionsOf(fname, f, "donate_argnames", opts.donate_argnames),
    ],
    statics,
  );
  return { statics, donated };
}

/** The positions of the parameters `names` names; an error for a name no parameter has. */
function positionsOf(
  fname: string,
  f: AnyFn,
  option: "static_argnames" | "donate_argnames",
  names: string | readonly string[] | undefined,
): number[] {
  if (names === undefined) return [];
  const params = declaredParams(f as (...args: never[]) => unknown);
  return (typeof names === "string" ? [names] : [...names]).map((name) => {
    const at = positionOf(params, name);
    if (typeof name !== "string" || at < 0)
      throw new JitScopeError(
        "value",
        `jit(${fname}): ${option} names ${JSON.stringify(name)}, which is not a parameter of ${fname} ` +
          `(its parameters: ${params.length > 0 ? params.join(", ") : "none that can be read"})`,
      );
    return at;
  });
}

/** `name`'s position in `params`; else that of the one parameter named `name` and digits: esbuild
 *  (the CLI's bundler, and tsx) renames a parameter that shadows a name of the enclosing scope
 *  by appending a number (`acc` → `acc2`). -1 when neither. */
function positionOf(params: readonly string[], name: string): number {
  const exact = params.indexOf(name);
  if (exact >= 0) return exact;
  const renamed = params.flatMap((p, i) => (p.startsWith(name) && /^\d+$/.test(p.slice(name.length)) ? [i] : []));
  return renamed.length === 1 ? renamed[0]! : -1;
}
