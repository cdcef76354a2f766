// `custom_gradient(fun)`, as jax.custom_gradient: `fun(...args)` returns `[value, vjp]`, where
// `vjp(ct)` gives one cotangent per argument; the new function returns `value`, and reverse-mode
// differentiation uses `vjp`. It is a custom_vjp whose fwd is `fun` itself. The vjp function is
// a closure over fwd's values, which must not outlive the trace fwd ran in (under `vmap` the
// batched fwd runs in a trace of its own); so, as JAX's closure_convert, fwd traces vjp into a
// program and returns the values it closes over as residual arrays, and bwd evaluates that
// program on them and the cotangent, in bwd's own trace.

import { JitScopeError } from "../ir/errors.js";
import { Tracer } from "./core.js";
import { custom_vjp } from "./custom.js";
import { evalProgram, materialize, type Value } from "./evalProgram.js";
import { traceBody } from "./loopTrace.js";
import { Partial } from "./partial.js";
import { flatten, unflatten, type TreeDef } from "./pytree.js";
import { fnName } from "./transformUtil.js";

/** `vjp(ct)`: one cotangent per argument (a list; a lone argument's may come bare). */
export type CustomGradientVjp<V> = (ct: V) => unknown;

export function custom_gradient<A extends unknown[], V>(
  fun: (...args: A) => readonly [V, CustomGradientVjp<V>],
): (...args: A) => V {
  if (typeof fun !== "function")
    throw new JitScopeError("value", `custom_gradient: fun must be a function, got ${typeof fun}`);
  const name = fnName(fun);
  const split = (args: unknown[]): [unknown, (ct: unknown) => unknown] => {
    const r = (fun as unknown as (...a: unknown[]) => unknown)(...args);
    if (!Array.isArray(r) || r.length !== 2 || typeof r[1] !== "function")
      throw new JitScopeError(
        "value",
        `custom_gradient(${name}): fun must return [value, vjp] with vjp a function of the output's cotangent, got ${
          Array.isArray(r) ? `a list of ${r.length}` : typeof r
        }`,
      );
    return [r[0], r[1] as (ct: unknown) => unknown];
  };
  /** vjp's cotangents as the list custom_vjp's bwd returns, one per argument (JAX's tuple). A
   *  lone argument's cotangent may come bare, unless it is a list, which reads as the tuple. */
  const perArgument = (cts: unknown, arity: number): unknown[] => {
    const list = Array.isArray(cts) ? cts : arity === 1 ? [cts] : null;
    if (list === null || list.length !== arity)
      throw new JitScopeError(
        "value",
        `custom_gradient(${name}): vjp must return one cotangent per argument (${arity}), got ${
          Array.isArray(cts) ? `a list of ${cts.length}` : typeof cts
        }`,
      );
    return list;
  };
  const valueOnly = (...args: unknown[]): unknown => split(args)[0];
  Object.defineProperty(valueOnly, "name", { value: fun.name });
  const f = custom_vjp(valueOnly);
  f.defvjp(
    (...args: unknown[]) => {
      const [value, vjp] = split(args);
      const out = flatten(value, `custom_gradient(${name}) value`);
      let ctTree: TreeDef | null = null;
      const traced = traceBody(
        `custom_gradient(${name}).vjp`,
        out.leaves.map((l) => (l instanceof Tracer ? l.aval : { shape: [], dtype: "float32" as const })),
        (cts) => {
          const r = flatten(perArgument(vjp(unflatten(out.treedef, cts)), args.length), `custom_gradient(${name}) vjp`);
          ctTree = r.treedef;
          return r.leaves;
        },
      );
      const { program } = traced;
      const avals = program.outputs.map((o) => o.aval);
      const pullback = (...xs: unknown[]): unknown => {
        const [consts, ct] = [xs.slice(0, -1) as Tracer[], xs.at(-1)];
        const cts = flatten(ct, `custom_gradient(${name}) cotangent`).leaves.map((l): Value =>
          l instanceof Tracer ? l : { kind: "lit", value: l, aval: { shape: [], dtype: "float32" } },
        );
        const leaves = evalProgram(program, [...consts, ...cts]).map((o, i) => materialize(o, avals[i]!));
        return unflatten(ctTree!, leaves);
      };
      return [value, Partial(pullback, ...traced.captured)];
    },
    ((pullback: (ct: unknown) => unknown[], ct: unknown) => pullback(ct)) as never,
  );
  return f as unknown as (...args: A) => V;
}
