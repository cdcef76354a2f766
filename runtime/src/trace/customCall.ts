// Calling a custom_vjp / custom_jvp function (custom.ts) on leaves: as JAX's custom_vjp_call,
// the innermost transformation among the inputs decides what runs.
// - grad/vjp: a custom_vjp runs its fwd on the primals and records bwd on the tape; a custom_jvp
//   runs its rule with the tangents as inputs of a small inner tape, and the backward pass
//   transposes the tangent part of the rule through that tape (JAX linearizes and transposes it).
// - jvp: a custom_jvp runs its rule; a custom_vjp is an error, as in JAX.
// - vmap: the function and its rules are batched (customBatch.ts) and called one level down.
// - otherwise (eager, jit): the function itself runs, and jit records its ops.
// Rules run one level down, so an enclosing grad differentiates them (grad(grad(f))).

import { Tracer, dynamicMain, withName } from "./core.js";
import { JitScopeError } from "../ir/errors.js";
import { JitTracer } from "./jitTrace.js";
import { JVPTracer } from "./jvp.js";
import { VJPTracer, backward, recordCustomRule, recordTape, materializeCotangent } from "./vjp.js";
import { VmapTracer } from "./vmap.js";
import { withBatchAt } from "./rules/batchRules.js";
import * as L from "./rules/lax.js";
import { markCustomCall, recordCustomRegion, setDifferentiated } from "./customBody.js";
import { isCapturedConstant } from "./loopTrace.js";
import { differentiationSuspended } from "./suspendAd.js";
import { ConcreteArray } from "../array.js";
import { batchJvpCore, batchVjpCore } from "./customBatch.js";
import type { Flat, JvpCore, VjpCore } from "./customTypes.js";
import type { Leaf } from "./pytree.js";
import type { MainTrace } from "./core.js";

/** The input of the innermost transformation (null: only concrete arrays and numbers). */
export function innermost(xs: readonly Leaf[]): Tracer | null {
  let top: Tracer | null = null;
  for (const x of xs) if (x instanceof Tracer && (!top || x.ownTrace.level > top.ownTrace.level)) top = x;
  return top;
}

/**
 * The arguments as the loop body being traced sees them. Inside a body (a scan's, a while's), an
 * argument from outside it (a value the body closes over) is lifted into the body first, as
 * `bind` lifts an ordinary op's: the loop's own rules then carry it as a captured input, and the
 * custom call is recorded in the body (plainCall). Left outside, a closed-over value being
 * differentiated took the call out of the body, and its result escaped when the body finished.
 */
export function inBody(xs: readonly Leaf[]): readonly Leaf[] {
  const body = dynamicMain();
  if (!body || body.kind !== "body" || body.finished) return xs;
  const top = innermost(xs);
  if (top && top.ownTrace.level >= body.level) return xs;
  const trace = body.makeTrace(body);
  return xs.map((x) => (x instanceof Tracer && !(x instanceof ConcreteArray) ? trace.lift(x) : x));
}

/** Zeros as a real array (a scalar fill is a literal, which is no argument to a rule or tape). */
const zerosLike = (x: Leaf): Leaf => (x instanceof Tracer ? L.full(L.zeros(x.aval), x.shape) : 0);

/** A rule's result must not be a value of the transformation it was lifted out of: that means it
 *  closed over a value being differentiated, which the rule says nothing about (as in JAX). */
/** `fn` under name-stack segment `name`, or bare when there is none (an anonymous function's). */
const named = <R>(name: string, fn: () => R): R => (name ? withName(name, fn) : fn());

function checkLower(leaves: readonly Leaf[], main: MainTrace, kind: string, name: string): void {
  for (const l of leaves) {
    if (l instanceof Tracer && l.ownTrace.main === main) {
      throw new JitScopeError(
        "trace",
        `${kind}(${name}): the function or its rule closes over a value being differentiated; ` +
          `the custom rule only covers its explicit arguments, so pass that value as an argument`,
      );
    }
  }
}

function wrapLeaves(out: Flat, wrap: (t: Tracer, i: number) => Tracer): Flat {
  return { leaves: out.leaves.map((o, i) => (o instanceof Tracer ? wrap(o, i) : o)), tree: out.tree };
}

/** Batched inputs with their axis first, and the axes the batched rules map over. */
function unbatch(xs: readonly Leaf[], top: VmapTracer): { values: Leaf[]; axes: (0 | null)[] } {
  const main = top.ownTrace.main;
  const size = top.ownTrace.size;
  const mine = (x: Leaf): x is VmapTracer => x instanceof VmapTracer && x.ownTrace.main === main;
  return {
    values: xs.map((x) =>
      mine(x) ? (x.bdim === null ? x.value : (withBatchAt(x.value, x.bdim, 0, size) as Tracer)) : x,
    ),
    axes: xs.map((x) => (mine(x) && x.bdim !== null ? 0 : null)),
  };
}

export function plainCall(
  fn: (xs: readonly Leaf[]) => Flat,
  xs: readonly Leaf[],
  top: Tracer | null,
  kind: string,
  name: string,
  again: (xs: readonly Leaf[]) => Flat,
): Flat {
  if (!(top instanceof JitTracer && top.ownTrace.main.kind === "body")) return fn(xs);
  // In a loop body the rule would be lost when the body is transformed later: record the call so
  // that evalProgram calls it again (customBody.ts). Outer values become body inputs first, so
  // every traced argument is a var of the body.
  const trace = top.ownTrace;
  const own = (x: Leaf): x is JitTracer => x instanceof JitTracer && x.ownTrace.main === trace.main;
  const args = xs.map((x) => (x instanceof Tracer && !own(x) && !(x instanceof ConcreteArray) ? trace.lift(x) : x));
  const eqns = trace.builder.eqns;
  const before = eqns.length;
  const out = fn(args);
  const traced = eqns.slice(before);
  const defined = new Set(args.flatMap((a) => (own(a) ? [a.v.id] : [])));
  const closes = traced.some((e) => {
    const reads = e.inputs.some((a) => a.kind === "var" && !defined.has(a.id) && !isCapturedConstant(trace.builder, a));
    for (const o of e.outputs) defined.add(o.id);
    return reads;
  });
  if (closes) markCustomCall(out.leaves, `${kind}(${name})`);
  else
    recordCustomRegion(traced, {
      args: args.map((a) => (own(a) ? { v: a.v } : { value: a })),
      outputs: out.leaves.map((o) => (own(o) && defined.has(o.v.id) ? o.v : null)),
      call: again,
    });
  return out;
}

export function callCustomVjp(core: VjpCore, given: readonly Leaf[]): Flat {
  const xs = inBody(given);
  const top = innermost(xs);
  if (top instanceof VJPTracer) {
    const trace = top.ownTrace;
    const mine = (x: Leaf): x is VJPTracer => x instanceof VJPTracer && x.ownTrace.main === trace.main;
    const primals = xs.map((x) => (mine(x) ? x.primal : x));
    const nodes = xs.map((x) => (mine(x) ? x.node : null));
    if (nodes.every((n) => n === null))
      return wrapLeaves(callCustomVjp(core, primals), (o) => new VJPTracer(trace, o, null));
    const { out, res } = core.fwd(primals);
    checkLower(out.leaves, trace.main, "custom_vjp", core.name);
    checkLower(res.leaves, trace.main, "custom_vjp", core.name);
    const outNodes = recordCustomRule(trace, nodes, out.leaves, (cts) => {
      const ctLeaves = out.leaves.map((o, i) => (o instanceof Tracer ? materializeCotangent(cts[i] ?? null, o) : 0));
      return core.bwd(res, { leaves: ctLeaves, tree: out.tree });
    });
    return wrapLeaves(out, (o, i) => new VJPTracer(trace, o, outNodes[i] ?? null));
  }
  if (top instanceof JVPTracer) {
    const trace = top.ownTrace;
    const mine = (x: Leaf): x is JVPTracer => x instanceof JVPTracer && x.ownTrace.main === trace.main;
    if (xs.some((x) => mine(x) && x.tangent !== null))
      throw new JitScopeError(
        "trace",
        `can't apply forward-mode autodiff (jvp) to a custom_vjp function (${core.name}).`,
      );
    const out = callCustomVjp(
      core,
      xs.map((x) => (mine(x) ? x.primal : x)),
    );
    return wrapLeaves(out, (o) => new JVPTracer(trace, o, null));
  }
  if (top instanceof VmapTracer) {
    const trace = top.ownTrace;
    const { values, axes } = unbatch(xs, top);
    const out = named(core.scope && `vmap(${core.scope})`, () => callCustomVjp(batchVjpCore(core, axes), values));
    return wrapLeaves(out, (o) => new VmapTracer(trace, o, 0));
  }
  return plainCall(
    (l) => core.fn(l),
    xs,
    top,
    "custom_vjp",
    core.name,
    (l) => callCustomVjp(core, l),
  );
}

export function callCustomJvp(core: JvpCore, given: readonly Leaf[]): Flat {
  const xs = inBody(given);
  const top = innermost(xs);
  if (top instanceof JVPTracer) {
    const trace = top.ownTrace;
    const mine = (x: Leaf): x is JVPTracer => x instanceof JVPTracer && x.ownTrace.main === trace.main;
    const primals = xs.map((x) => (mine(x) ? x.primal : x));
    if (!xs.some((x) => mine(x) && x.tangent !== null))
      return wrapLeaves(callCustomJvp(core, primals), (o) => new JVPTracer(trace, o, null));
    // The rule gets every tangent as an array (JAX instantiates symbolic zeros too).
    const tangents = xs.map((x, i) => {
      const t = mine(x) ? x.tangent : null;
      return t instanceof Tracer
        ? t
        : t === null
          ? zerosLike(primals[i]!)
          : L.full(t, x instanceof Tracer ? x.shape : []);
    });
    const r = core.rule(primals, tangents);
    checkLower(r.out.leaves, trace.main, "custom_jvp", core.name);
    checkLower(r.tangents, trace.main, "custom_jvp", core.name);
    return wrapLeaves(r.out, (o, i) => {
      const t = r.tangents[i];
      return new JVPTracer(trace, o, t instanceof Tracer ? t : null);
    });
  }
  if (top instanceof VJPTracer) {
    const trace = top.ownTrace;
    const mine = (x: Leaf): x is VJPTracer => x instanceof VJPTracer && x.ownTrace.main === trace.main;
    const primals = xs.map((x) => (mine(x) ? x.primal : x));
    const nodes = xs.map((x) => (mine(x) ? x.node : null));
    if (nodes.every((n) => n === null))
      return wrapLeaves(callCustomJvp(core, primals), (o) => new VJPTracer(trace, o, null));
    // Run the rule with the differentiated inputs' tangents on an inner tape, at zero: its
    // tangent outputs are linear in them, so that tape's backward pass is the rule transposed.
    const diff = nodes.flatMap((n, i) => (n === null ? [] : [i]));
    let out: Flat | null = null;
    const lin = recordTape(
      (...ts: unknown[]) => {
        const tangents = primals.map((p, i) => {
          const k = diff.indexOf(i);
          return k >= 0 ? (ts[k] as Tracer) : zerosLike(p);
        });
        const r = core.rule(primals, tangents);
        out = r.out;
        return [...r.out.leaves, ...r.tangents];
      },
      diff.map((i) => zerosLike(primals[i]!)),
      () => true,
      core.scope && `jvp(${core.scope})`,
    );
    const o = out as Flat | null;
    if (!o) throw new Error("internal: custom_jvp rule did not run");
    const n = o.leaves.length;
    if (lin.outputNodes.slice(0, n).some((node) => node !== null)) {
      throw new JitScopeError(
        "value",
        `custom_jvp(${core.name}): the rule's primal output depends on the tangents; it must be computed from the primals alone`,
      );
    }
    const primalOut: Flat = { leaves: lin.outputs.slice(0, n) as Leaf[], tree: o.tree };
    checkLower(primalOut.leaves, trace.main, "custom_jvp", core.name);
    const outNodes = recordCustomRule(trace, nodes, primalOut.leaves, (cts) => {
      const seeds = [...primalOut.leaves.map(() => null), ...cts.map((c) => c ?? null)];
      const diffCts = backward(lin, seeds, core.scope && `transpose(jvp(${core.scope}))`);
      return nodes.map((node, i) => (node === null ? null : (diffCts[diff.indexOf(i)] ?? null)));
    });
    return wrapLeaves(primalOut, (p, i) => new VJPTracer(trace, p, outNodes[i] ?? null));
  }
  if (top instanceof VmapTracer) {
    const trace = top.ownTrace;
    const { values, axes } = unbatch(xs, top);
    const out = named(core.scope && `vmap(${core.scope})`, () => callCustomJvp(batchJvpCore(core, axes), values));
    return wrapLeaves(out, (o) => new VmapTracer(trace, o, 0));
  }
  return plainCall(
    (l) => core.fn(l),
    xs,
    top,
    "custom_jvp",
    core.name,
    (l) => callCustomJvp(core, l),
  );
}

setDifferentiated(
  (x) =>
    !differentiationSuspended(x.ownTrace.level) &&
    (x instanceof VJPTracer ? x.node !== null : x instanceof JVPTracer ? x.tangent !== null : false),
);
