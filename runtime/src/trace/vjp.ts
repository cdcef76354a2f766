// Reverse-mode AD with a tape. While the user's function runs, a VJPTracer carries a primal value
// (a tracer one level down, or a concrete array) and a node number; every primitive on a node is
// re-bound on the primals and written to the tape. The backward pass walks the tape in reverse
// and applies the rules of trace/rules/vjpRules.ts: ordinary binds on the primals and cotangents,
// so under jit the backward pass is traced into the same program as the forward pass and fuses
// with it. Each backward equation carries the forward op's location and the name stack
// `…/grad(f)/transpose`, so a hover on `np.tanh` shows its backward kernels too.
// Higher order works because the backward binds go to whichever trace the primals belong to.

import { bind, bindSite, Trace, Tracer, withLocation, withName, withNewMain } from "./core.js";
import type { BindContext, MainTrace } from "./core.js";
import { isLoopPrim, type Lit, type Primitive, type PrimParams, type SourceLocation } from "../ir/types.js";
import { linearizeScan, type TapeFns } from "./loopVjp.js";
import { JitScopeError } from "../ir/errors.js";
import { vjpRule } from "./rules/vjpRules.js";
import type { Cotangent } from "./rules/vjpRules.js";
import * as L from "./rules/lax.js";
import type { Val } from "./rules/lax.js";
import { flatten, unflatten } from "./pytree.js";
import { conjugateComplexLeaves } from "./complexValue.js";
import { asArrays, fnName } from "./transformUtil.js";
import { sameAval } from "../ir/types.js";
import { differentiationSuspended } from "./suspendAd.js";

interface TapeEntry {
  readonly prim: Primitive;
  readonly params: PrimParams[Primitive];
  readonly primals: readonly Val[];
  readonly inputNodes: readonly (number | null)[];
  readonly output: Tracer;
  readonly outputNode: number;
  readonly location: () => SourceLocation | null;
  /** The forward op's user functions: its backward ops are drawn in the same scopes. */
  readonly userScope: readonly string[];
  /** A several-output primitive (a loop) differentiated as a whole: the nodes of its outputs and
   *  the backward function taking all their cotangents (null: zero) at once. */
  readonly multi?: {
    readonly outputNodes: readonly (number | null)[];
    readonly backward: (cts: readonly (Val | null)[]) => Cotangent[];
  };
}

/** checkpoint's view of a tape (trace/checkpoint.ts): every op on a differentiated value is
 *  numbered in trace order; `record` sees each one's outputs (the forward pass keeps those its
 *  policy saves) and `replay` may supply them instead of binding the op (the recomputation). */
export interface TapeHooks {
  record?(k: number, prim: Primitive, params: PrimParams[Primitive], primals: readonly Val[], outs: Tracer[]): void;
  replay?(k: number, prim: Primitive, outAvals: BindContext["outAvals"]): Tracer[] | null;
}

class Tape {
  readonly entries: TapeEntry[] = [];
  private next = 0;
  /** Ops on differentiated values seen so far (TapeHooks' k). */
  ops = 0;
  constructor(readonly hooks?: TapeHooks) {}
  newNode(): number {
    return this.next++;
  }
}

export class VJPTracer extends Tracer {
  constructor(
    readonly ownTrace: VJPTrace,
    readonly primal: Tracer,
    /** Position on the tape; null for values that do not depend on the differentiated inputs. */
    readonly node: number | null,
  ) {
    super();
  }
  get aval() {
    return this.primal.aval;
  }
}

export class VJPTrace extends Trace {
  get tape(): Tape {
    return this.main.globalData as Tape;
  }

  lift(x: Tracer): Tracer {
    return new VJPTracer(this, x, null);
  }

  processPrimitive<P extends Primitive>(
    prim: P,
    params: PrimParams[P],
    inputs: readonly (Tracer | Lit)[],
    ctx: BindContext,
  ): Tracer[] {
    const primals = inputs.map((x) => (x instanceof VJPTracer ? x.primal : (x as Lit)));
    const suspended = differentiationSuspended(this.level);
    const nodes = inputs.map((x) => (x instanceof VJPTracer && !suspended ? x.node : null));
    const location = () => ctx.location;
    if (isLoopPrim(prim) && nodes.some((n) => n !== null)) {
      if (prim === "while") {
        throw new JitScopeError(
          "trace",
          "lax.while_loop is not differentiable in reverse mode (its trip count is not known ahead of time, as in JAX); use lax.fori_loop with static bounds or lax.scan",
          ctx.location,
        );
      }
      const { outs, backward: pullback } = withLocation(
        location,
        () => linearizeScan(params as PrimParams["scan"], primals, { recordTape, backward } as unknown as TapeFns),
        ctx.userScope,
      );
      const outputNodes = outs.map((o) => (o.dtype === "float32" ? this.tape.newNode() : null));
      this.tape.entries.push({
        prim,
        params,
        primals,
        inputNodes: nodes,
        output: outs[0]!,
        outputNode: -1,
        location,
        userScope: ctx.userScope,
        multi: { outputNodes, backward: pullback },
      });
      return outs.map((o, j) => new VJPTracer(this, o, outputNodes[j] ?? null));
    }
    const hooks = this.tape.hooks;
    const k = hooks && nodes.some((n) => n !== null) ? this.tape.ops++ : -1;
    const outs =
      (k >= 0 ? hooks?.replay?.(k, prim, ctx.outAvals) : null) ??
      withLocation(location, () => bind(prim, params, primals), ctx.userScope);
    if (k >= 0) hooks?.record?.(k, prim, params, primals, outs);
    if (nodes.every((n) => n === null)) return outs.map((o) => new VJPTracer(this, o, null));
    return outs.map((o) => {
      if (o.dtype !== "float32") return new VJPTracer(this, o, null); // integer/bool results carry no gradient
      const node = this.tape.newNode();
      this.tape.entries.push({
        prim,
        params,
        primals,
        inputNodes: nodes,
        output: o,
        outputNode: node,
        location,
        userScope: ctx.userScope,
      });
      return new VJPTracer(this, o, node);
    });
  }
}

const makeVJPTrace = (main: MainTrace): Trace => new VJPTrace(main);

/**
 * A one-input function with a hand-written backward (as JAX's custom_vjp), for ops whose JAX
 * gradient is not what differentiating their primitives would give, or costs much less. When
 * `x` is differentiated by the innermost grad (a VJPTracer with a tape node), runs `forward` on
 * its primal and records `backward` (output cotangent → input cotangent) on the tape; returns
 * null otherwise, and the caller binds its primitives as usual. `forward` runs on the primal, so
 * outer grads differentiate its primitives, and `backward` is ordinary binds.
 */
export function recordCustomVjp(
  x: Tracer,
  forward: (primal: Tracer) => { out: Tracer; backward: (ct: Val) => Val },
): Tracer | null {
  if (!(x instanceof VJPTracer) || x.node === null) return null;
  const { location, userScope } = bindSite();
  const { out, backward } = withLocation(location, () => forward(x.primal), userScope);
  if (out.dtype !== "float32") return new VJPTracer(x.ownTrace, out, null);
  const tape = x.ownTrace.tape;
  const node = tape.newNode();
  tape.entries.push({
    prim: "reshape", // not read: `multi` entries run their own backward
    params: { shape: [...out.shape] },
    primals: [x.primal],
    inputNodes: [x.node],
    output: out,
    outputNode: -1,
    location,
    userScope,
    multi: { outputNodes: [node], backward: ([ct]) => [ct ? backward(ct) : null] },
  });
  return new VJPTracer(x.ownTrace, out, node);
}

/**
 * Records a user's custom_vjp / custom_jvp rule (trace/customCall.ts) on `trace`'s tape: the
 * call's outputs (primal values, already computed one level down) get nodes, and `backward`
 * maps their cotangents (null: zero) to one cotangent per input. Returns the outputs' nodes.
 */
export function recordCustomRule(
  trace: VJPTrace,
  inputNodes: readonly (number | null)[],
  outputs: readonly unknown[],
  backward: (cts: readonly (Val | null)[]) => Cotangent[],
): (number | null)[] {
  const { location, userScope } = bindSite();
  const outputNodes = outputs.map((o) => (o instanceof Tracer && o.dtype === "float32" ? trace.tape.newNode() : null));
  const first = outputs.find((o): o is Tracer => o instanceof Tracer);
  if (!first || outputNodes.every((n) => n === null)) return outputNodes;
  trace.tape.entries.push({
    prim: "reshape", // not read: `multi` entries run their own backward
    params: { shape: [...first.shape] },
    primals: [],
    inputNodes,
    output: first,
    outputNode: -1,
    location,
    userScope,
    multi: { outputNodes, backward },
  });
  return outputNodes;
}

/** The result of running `f` under the tape: primal outputs and what the backward pass needs. */
export interface Linearized {
  readonly tape: Tape;
  /** The input leaves' nodes (null for leaves that are not differentiated). */
  readonly inputNodes: readonly (number | null)[];
  /** The output leaves' primal values and nodes (null: does not depend on the inputs). */
  readonly outputs: readonly unknown[];
  readonly outputNodes: readonly (number | null)[];
  readonly outTree: ReturnType<typeof flatten>["treedef"];
}

/** `fn` under name-stack segment `name`; "" pushes none (an anonymous custom rule's tape). */
const namedIf = <R>(name: string, fn: () => R): R => (name ? withName(name, fn) : fn());

/** Runs `f(...args)` recording a tape for the leaves of `args` where `differentiate(leafIndex)`. */
export function recordTape(
  f: (...args: unknown[]) => unknown,
  args: readonly unknown[],
  differentiate: (leaf: Tracer, index: number) => boolean,
  name: string,
  hooks?: TapeHooks,
): Linearized {
  const { leaves, treedef } = flatten(args, "argument");
  return namedIf(name, () =>
    withNewMain("grad", makeVJPTrace, new Tape(hooks), (main) => {
      const trace = new VJPTrace(main);
      const inputNodes: (number | null)[] = [];
      const ins = leaves.map((l, i) => {
        if (!(l instanceof Tracer) || !differentiate(l, i)) {
          inputNodes.push(null);
          return l;
        }
        const node = trace.tape.newNode();
        inputNodes.push(node);
        return new VJPTracer(trace, l, node);
      });
      const out = f(...unflatten<unknown[]>(treedef, ins));
      const of = flatten(out, "output");
      const mine = (o: unknown): o is VJPTracer => o instanceof VJPTracer && o.ownTrace.main === main;
      return {
        tape: trace.tape,
        inputNodes,
        outputs: of.leaves.map((o) => (mine(o) ? o.primal : o)),
        outputNodes: of.leaves.map((o) => (mine(o) ? o.node : null)),
        outTree: of.treedef,
      };
    }),
  );
}

/** Walks the tape backwards from the seeded output cotangents; returns the input cotangents. */
export function backward(lin: Linearized, seeds: readonly (Val | null)[], name: string): Cotangent[] {
  const cts = new Map<number, Val>();
  const accumulate = (node: number, ct: Val) => {
    const prev = cts.get(node);
    cts.set(node, prev === undefined ? ct : L.add(prev, ct));
  };
  lin.outputNodes.forEach((n, i) => {
    const s = seeds[i];
    if (n !== null && s) accumulate(n, s);
  });
  namedIf(name, () =>
    namedIf(name && "transpose", () => {
      const entries = lin.tape.entries;
      for (let i = entries.length - 1; i >= 0; i--) {
        const e = entries[i]!;
        if (e.multi) {
          const outCts = e.multi.outputNodes.map((n) => (n === null ? undefined : cts.get(n)));
          if (outCts.every((c) => c === undefined)) continue;
          for (const n of e.multi.outputNodes) if (n !== null) cts.delete(n);
          withLocation(
            e.location,
            () => {
              const inCts = e.multi!.backward(outCts.map((c) => c ?? null));
              e.inputNodes.forEach((n, j) => {
                const c = inCts[j];
                if (n !== null && c) accumulate(n, c);
              });
            },
            e.userScope,
          );
          continue;
        }
        const ct = cts.get(e.outputNode);
        if (ct === undefined) continue;
        cts.delete(e.outputNode);
        const needs = e.inputNodes.map((n) => n !== null);
        // The rule and the sums of its contributions carry the forward op's location.
        withLocation(
          e.location,
          () => {
            const inCts = vjpRule(e.prim, e.params, e.primals, e.output, ct, needs);
            e.inputNodes.forEach((n, j) => {
              const c = inCts[j];
              if (n !== null && c) accumulate(n, c);
            });
          },
          e.userScope,
        );
      }
    }),
  );
  return lin.inputNodes.map((n) => (n === null ? null : (cts.get(n) ?? null)));
}

/** A cotangent as an array of `like`'s aval (zeros where symbolic, broadcast where a literal). */
export function materializeCotangent(ct: Cotangent, like: Tracer): Tracer {
  if (ct instanceof Tracer) return ct;
  const value = ct === null ? 0 : ct.value;
  return bind("broadcast", { shape: like.shape, dims: [] }, [
    { kind: "lit", value, aval: { shape: [], dtype: like.dtype } },
  ])[0]!;
}

/**
 * `vjp(f, ...primals)` → `[f(...primals), vjpFn]`, where `vjpFn(cotangent)` (same structure as
 * the output) returns one cotangent per primal argument (same structures as the arguments).
 */
export function vjp<T>(f: (...args: never[]) => T, ...primals: unknown[]): [T, (ct: T) => unknown[]] {
  const args = primals.map(asArrays);
  const name = `vjp(${fnName(f)})`;
  const lin = recordTape(f as (...a: unknown[]) => unknown, args, (l) => l.dtype === "float32", name);
  const out = unflatten<T>(lin.outTree, lin.outputs);
  const inLeaves = flatten(args, "argument");
  const vjpFn = (ct: T): unknown[] => {
    // JAX's vjp of complex values is the conjugate of the parts' own (see complexValue.ts).
    const cf = flatten(asArrays(conjugateComplexLeaves(ct)), "cotangent");
    if (cf.leaves.length !== lin.outputs.length) {
      throw new JitScopeError(
        "shape",
        `vjp: the cotangent has ${cf.leaves.length} arrays but the output has ${lin.outputs.length}`,
      );
    }
    cf.leaves.forEach((c, i) => {
      const o = lin.outputs[i];
      if (c instanceof Tracer && o instanceof Tracer && !sameAval(c.aval, o.aval)) {
        throw new JitScopeError(
          "shape",
          `vjp: cotangent ${i} is ${c.dtype}[${c.shape}] but the output is ${o.dtype}[${o.shape}]`,
        );
      }
    });
    const seeds = cf.leaves.map((c) => (c instanceof Tracer ? c : null));
    const cts = backward(lin, seeds, name);
    const grads = inLeaves.leaves.map((l, i) => (l instanceof Tracer ? materializeCotangent(cts[i] ?? null, l) : 0));
    return conjugateComplexLeaves(unflatten<unknown[]>(inLeaves.treedef, grads));
  };
  return [out, vjpFn];
}
