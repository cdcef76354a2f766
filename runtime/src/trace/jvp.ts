// Forward-mode AD: a JVPTracer carries a primal value (a tracer of a lower level, or a concrete
// array) and its tangent (null: a symbolic zero). Each primitive is re-bound on the primals one
// level down and its tangent computed by the rule in trace/rules/jvpRules.ts: all ordinary binds,
// so `jit(jvp(f))` traces primal and tangent work into one program.

import { bind, Trace, Tracer, withLocation, withName, withNewMain } from "./core.js";
import type { BindContext, MainTrace } from "./core.js";
import { isLoopPrim, type Aval, type Lit, type Primitive, type PrimParams } from "../ir/types.js";
import { jvpScan, jvpWhile, type JvpFlatFn } from "./loopJvp.js";
import type { Value } from "./evalProgram.js";
import { JitScopeError } from "../ir/errors.js";
import { jvpRule } from "./rules/jvpRules.js";
import type { Tangent } from "./rules/jvpRules.js";
import { flatten, unflatten } from "./pytree.js";
import { asArrays, fnName } from "./transformUtil.js";
import { sameAval } from "../ir/types.js";
import { differentiationSuspended } from "./suspendAd.js";

export class JVPTracer extends Tracer {
  constructor(
    readonly ownTrace: JVPTrace,
    readonly primal: Tracer,
    readonly tangent: Tangent,
  ) {
    super();
  }
  get aval(): Aval {
    return this.primal.aval;
  }
}

export class JVPTrace extends Trace {
  lift(x: Tracer): Tracer {
    return new JVPTracer(this, x, null);
  }

  processPrimitive<P extends Primitive>(
    prim: P,
    params: PrimParams[P],
    inputs: readonly (Tracer | Lit)[],
    ctx: BindContext,
  ): Tracer[] {
    const primals = inputs.map((x) => (x instanceof JVPTracer ? x.primal : (x as Lit)));
    const suspended = differentiationSuspended(this.level);
    const tangents = inputs.map((x) => (x instanceof JVPTracer && !suspended ? x.tangent : null));
    return withLocation(
      () => ctx.location,
      () => {
        const zero = tangents.every((t) => t === null);
        if (isLoopPrim(prim) && !zero) {
          // One loop over (primal, tangent) pairs: the primal loop is not run a second time.
          const [outs, touts] =
            prim === "scan"
              ? jvpScan(params as PrimParams["scan"], primals, tangents, jvpFlat)
              : jvpWhile(params as PrimParams["while"], primals, tangents, jvpFlat);
          return outs.map((o, i) => new JVPTracer(this, o, touts[i] ?? null));
        }
        const outs = bind(prim, params, primals);
        const touts = zero ? outs.map(() => null) : jvpRule(prim, params, primals, tangents, outs);
        return outs.map((o, i) => new JVPTracer(this, o, touts[i] ?? null));
      },
      ctx.userScope,
    );
  }
}

const makeJVPTrace = (main: MainTrace): Trace => new JVPTrace(main);

/**
 * `jvp(f, primals, tangents)` → `[f(...primals), directional derivative along tangents]`.
 * `primals` and `tangents` are lists with one entry (array or pytree of arrays) per argument.
 */
export function jvp<T>(f: (...args: never[]) => T, primals: readonly unknown[], tangents: readonly unknown[]): [T, T] {
  if (!Array.isArray(primals) || !Array.isArray(tangents)) {
    throw new JitScopeError(
      "value",
      "jvp(f, primals, tangents): primals and tangents must be lists with one entry per argument",
    );
  }
  const pf = flatten(asArrays(primals), "primals");
  const tf = flatten(asArrays(tangents), "tangents");
  if (pf.leaves.length !== tf.leaves.length) {
    throw new JitScopeError(
      "shape",
      `jvp: primals have ${pf.leaves.length} arrays but tangents have ${tf.leaves.length}; they must match one to one`,
    );
  }
  pf.leaves.forEach((p, i) => {
    const t = tf.leaves[i]!;
    if (!(p instanceof Tracer) || !(t instanceof Tracer)) return;
    if (!sameAval(p.aval, t.aval) && p.dtype === "float32") {
      throw new JitScopeError(
        "shape",
        `jvp: tangent ${i} is ${t.dtype}[${t.shape}] but its primal is ${p.dtype}[${p.shape}]; they must match`,
      );
    }
  });
  return withName(`jvp(${fnName(f)})`, () =>
    withNewMain("jvp", makeJVPTrace, null, (main) => {
      const trace = new JVPTrace(main);
      const ins = pf.leaves.map((p, i) => {
        const t = tf.leaves[i]!;
        if (!(p instanceof Tracer)) return p;
        return new JVPTracer(trace, p, p.dtype === "float32" && t instanceof Tracer ? t : null);
      });
      const out = (f as (...a: unknown[]) => T)(...unflatten<unknown[]>(pf.treedef, ins));
      const of = flatten(out, "jvp output");
      const ps = of.leaves.map((o) => (o instanceof JVPTracer && o.ownTrace.main === main ? o.primal : o));
      const ts = of.leaves.map((o) => {
        if (o instanceof JVPTracer && o.ownTrace.main === main) return instantiateTangent(o.tangent, o.aval);
        if (o instanceof Tracer) return instantiateTangent(null, o.aval);
        return 0;
      });
      return [unflatten<T>(of.treedef, ps), unflatten<T>(of.treedef, ts)];
    }),
  );
}

/** Forward mode on a flat function of arrays, tangents kept symbolic (null) where zero: how a
 *  loop's body is differentiated (trace/loopJvp.ts). */
const jvpFlat: JvpFlatFn = (f, primals, tangents) =>
  withNewMain("jvp", makeJVPTrace, null, (main) => {
    const trace = new JVPTrace(main);
    const ins = primals.map((p, i): Value => (p instanceof Tracer ? new JVPTracer(trace, p, tangents[i] ?? null) : p));
    const outs = f(...ins);
    const mine = (o: Value): o is JVPTracer => o instanceof JVPTracer && o.ownTrace.main === main;
    return [outs.map((o) => (mine(o) ? o.primal : o)), outs.map((o) => (mine(o) ? o.tangent : null))];
  });

function instantiateTangent(t: Tangent, aval: Aval): Tracer {
  if (t instanceof Tracer) return t;
  const value = t === null ? 0 : t.value;
  return bind("broadcast", { shape: [...aval.shape], dims: [] }, [
    { kind: "lit", value, aval: { shape: [], dtype: aval.dtype } },
  ])[0]!;
}
