// Calling a custom_vmap function (customBatching.ts) on leaves, as JAX's custom_vmap_call: the
// innermost transformation among the inputs decides what runs.
// - vmap: the user's rule runs one level down on the inputs with their batch axis first, told
//   which are batched; its outputs are batched at 0 where it says so. Nested vmaps: the inner
//   one calls the rule, whose ops the outer one batches as usual (as in JAX).
// - jvp: a custom_vmap call of the jvp, whose own rule is the jvp of the user's rule (every
//   input batched), so a vmap outside the jvp still runs the rule.
// - grad/vjp: refused, as JAX refuses reverse mode through custom_vmap (combine it with
//   custom_vjp for that).
// - otherwise (eager, jit, a loop body): the function itself runs (customCall.ts plainCall,
//   which records it in a loop body so a vmap of the loop applies the rule too).

import { JitScopeError } from "../ir/errors.js";
import { Tracer, withName } from "./core.js";
import { JVPTracer, jvp } from "./jvp.js";
import { VJPTracer } from "./vjp.js";
import { VmapTracer } from "./vmap.js";
import { withBatchAt } from "./rules/batchRules.js";
import * as L from "./rules/lax.js";
import { inBody, innermost, plainCall } from "./customCall.js";
import { isDifferentiated } from "./customBody.js";
import type { Flat } from "./customTypes.js";
import type { Leaf, TreeDef } from "./pytree.js";

/** A custom_vmap function in flat form: array leaves in, array leaves out. */
export interface VmapCore {
  /** The user's function name, for messages. */
  readonly name: string;
  /** The name stack's segment ("" for an anonymous function). */
  readonly scope: string;
  fn(xs: readonly Tracer[]): Flat;
  /** The user's rule, checked: the inputs batched at 0 where `batched`; one flag per output leaf. */
  rule(axisSize: number, batched: readonly boolean[], xs: readonly Tracer[]): { out: Flat; batched: boolean[] };
}

const named = <R>(name: string, fn: () => R): R => (name ? withName(name, fn) : fn());

const wrap = (out: Flat, f: (t: Tracer, i: number) => Tracer): Flat => ({
  leaves: out.leaves.map((o, i) => (o instanceof Tracer ? f(o, i) : o)),
  tree: out.tree,
});

export function callCustomVmap(core: VmapCore, given: readonly Tracer[]): Flat {
  const xs = inBody(given) as readonly Tracer[];
  const top = innermost(xs);
  if (top instanceof VmapTracer) {
    const trace = top.ownTrace;
    const size = trace.size;
    const mine = (x: Tracer): x is VmapTracer => x instanceof VmapTracer && x.ownTrace.main === trace.main;
    const values = xs.map((x) =>
      mine(x) ? (x.bdim === null ? x.value : (withBatchAt(x.value, x.bdim, 0, size) as Tracer)) : x,
    );
    const batched = xs.map((x) => mine(x) && x.bdim !== null);
    const r = named(core.scope && `vmap(${core.scope})`, () => core.rule(size, batched, values));
    return wrap(r.out, (o, i) => new VmapTracer(trace, o, r.batched[i] ? 0 : null));
  }
  if (top instanceof JVPTracer) {
    const trace = top.ownTrace;
    const mine = (x: Tracer): x is JVPTracer => x instanceof JVPTracer && x.ownTrace.main === trace.main;
    const primals = xs.map((x) => (mine(x) ? x.primal : x));
    if (!xs.some((x) => mine(x) && x.tangent !== null))
      return wrap(callCustomVmap(core, primals), (o) => new JVPTracer(trace, o, null));
    const tangents = xs.map((x, i) => {
      const t = mine(x) ? x.tangent : null;
      const p = primals[i]!;
      return t instanceof Tracer ? t : L.full(t ?? L.zeros(p.aval), p.shape);
    });
    let tree: TreeDef | null = null;
    const out = callCustomVmap(
      jvpCore(core, xs.length, (t) => (tree = t)),
      [...primals, ...tangents],
    );
    const n = out.leaves.length / 2;
    const ps = out.leaves.slice(0, n);
    const ts = out.leaves.slice(n);
    return wrap({ leaves: ps, tree: tree! }, (p, i) => {
      const t = ts[i];
      return new JVPTracer(trace, p, t instanceof Tracer ? t : null);
    });
  }
  if (top instanceof VJPTracer) {
    if (xs.some((x) => isDifferentiated(x)))
      throw new JitScopeError(
        "trace",
        `can't apply reverse-mode autodiff (grad, vjp) to a custom_vmap function (${core.name}), as in JAX; ` +
          `to differentiate it, wrap it in custom_vjp (or give it a custom_jvp)`,
      );
    const trace = top.ownTrace;
    const mine = (x: Tracer): x is VJPTracer => x instanceof VJPTracer && x.ownTrace.main === trace.main;
    return wrap(
      callCustomVmap(
        core,
        xs.map((x) => (mine(x) ? x.primal : x)),
      ),
      (o) => new VJPTracer(trace, o, null),
    );
  }
  return plainCall(
    (l) => core.fn(l as Tracer[]),
    xs,
    top,
    "custom_vmap",
    core.name,
    (l) => callCustomVmap(core, l as Tracer[]),
  );
}

/** The custom_vmap function of (primals, tangents) → [primal outputs, tangent outputs]: the jvp
 *  of `core`'s function, batched by the jvp of its rule (every input batched first, so the rule
 *  sees one batch axis on all of them). */
function jvpCore(core: VmapCore, n: number, outTree: (t: TreeDef) => void): VmapCore {
  const pair = (fn: (ps: Tracer[]) => Flat, l: readonly Tracer[]): Flat => {
    const [p, t] = jvp(
      (...ps: Tracer[]) => {
        const o = fn(ps);
        outTree(o.tree);
        return [...o.leaves];
      },
      l.slice(0, n),
      l.slice(n),
    ) as [Leaf[], Leaf[]];
    const leaf = { kind: "leaf" } as const;
    const half = { kind: "list" as const, children: p.map(() => leaf) };
    return { leaves: [...p, ...t], tree: { kind: "list", children: [half, half] } };
  };
  return {
    name: core.name,
    scope: core.scope,
    fn: (l) => pair((ps) => core.fn(ps), l),
    rule(size, batched, l) {
      const all = l.map((x, i) => (batched[i] ? x : (withBatchAt(x, null, 0, size) as Tracer)));
      let flags: boolean[] = [];
      const out = pair((ps) => {
        const r = core.rule(
          size,
          ps.map(() => true),
          ps,
        );
        flags = r.batched;
        return r.out;
      }, all);
      return { out, batched: [...flags, ...flags] };
    },
  };
}
