// The jit trace: records every primitive applied to its tracers as an equation of a Program
// (a jaxpr), with the user's source location and the name stack. Installed with `withNewMain`
// and made the dynamic trace (`withDynamic`, JAX's omnistaging), so even ops on constants are
// recorded. Concrete arrays the function closes over become extra program inputs ("captured
// constants", passed at call time); JS numbers arrive as literals from the np front end.

import {
  Trace,
  Tracer,
  tracedScopeSites,
  withDynamic,
  withNewMain,
  withScopeTracking,
  type BindContext,
  type MainTrace,
} from "./core.js";
import { numberFirstInstances } from "./scopes.js";
import { memoryFillsAsConstants } from "./memoryFillConstants.js";
import { ConcreteArray } from "../array.js";
import type { Atom, Aval, Eqn, Lit, Primitive, PrimParams, Program, SourceLocation, Var } from "../ir/types.js";

/** Thrown when the traced function closes over a tracer of an outer transformation (grad, vmap):
 *  jit then inlines the function into that transformation instead of compiling it alone. */
export class NeedsInline extends Error {
  constructor() {
    super("jit: the function closes over a value of an enclosing transformation");
  }
}

export class ProgramBuilder {
  private nextVar = 0;
  private nextEqn = 0;
  readonly inputs: Var[] = [];
  readonly eqns: Eqn[] = [];
  /** Captured concrete arrays, in the order of the extra inputs they became. */
  readonly consts: ConcreteArray[] = [];
  readonly constVars: Var[] = [];
  private readonly constIndex = new Map<ConcreteArray, Var>();

  newVar(aval: Aval): Var {
    return { kind: "var", id: this.nextVar++, aval };
  }

  newEqnId(): number {
    return this.nextEqn++;
  }

  constVar(x: ConcreteArray): Var {
    let v = this.constIndex.get(x);
    if (!v) {
      v = this.newVar(x.aval);
      this.constIndex.set(x, v);
      this.consts.push(x);
      this.constVars.push(v);
    }
    return v;
  }
}

export class JitTracer extends Tracer {
  constructor(
    readonly ownTrace: JitTrace,
    readonly v: Var,
  ) {
    super();
  }
  get aval(): Aval {
    return this.v.aval;
  }
}

export class JitTrace extends Trace {
  get builder(): ProgramBuilder {
    return this.main.globalData as ProgramBuilder;
  }

  lift(x: Tracer): Tracer {
    if (x instanceof ConcreteArray) return new JitTracer(this, this.builder.constVar(x));
    throw new NeedsInline();
  }

  processPrimitive<P extends Primitive>(
    prim: P,
    params: PrimParams[P],
    inputs: readonly (Tracer | Lit)[],
    ctx: BindContext,
  ): Tracer[] {
    const b = this.builder;
    const atoms: Atom[] = inputs.map((x) => (x instanceof JitTracer ? x.v : (x as Lit)));
    const outputs = ctx.outAvals.map((a) => b.newVar(a));
    b.eqns.push({
      id: b.newEqnId(),
      prim,
      params,
      inputs: atoms,
      outputs,
      location: ctx.location,
      nameStack: ctx.nameStack,
    });
    return outputs.map((v) => new JitTracer(this, v));
  }
}

export interface TracedProgram {
  /** Inputs: the arguments' leaves, then the captured constants. */
  readonly program: Program;
  readonly consts: readonly ConcreteArray[];
  /** Where each scope instance of the program's name stacks was called from, by path. */
  readonly scopeSites: Record<string, SourceLocation>;
}

/**
 * Traces `fn` on fresh tracers of `inAvals`. `fn` returns its flattened output leaves (tracers
 * or numbers); numbers become literal outputs.
 */
export function traceToProgram(
  name: string,
  inAvals: readonly Aval[],
  fn: (args: Tracer[]) => readonly (Tracer | number)[],
): TracedProgram {
  const builder = new ProgramBuilder();
  return withScopeTracking(() =>
    withNewMain(
      "jit",
      (main: MainTrace) => new JitTrace(main),
      builder,
      (main) => {
        const trace = new JitTrace(main);
        const args = inAvals.map((a) => {
          const v = builder.newVar(a);
          builder.inputs.push(v);
          return new JitTracer(trace, v);
        });
        const outLeaves = withDynamic(main, () => fn(args));
        const outputs: Atom[] = outLeaves.map((x): Atom => {
          if (typeof x === "number") return { kind: "lit", value: x, aval: { shape: [], dtype: "float32" } };
          if (x instanceof JitTracer && x.ownTrace.main === main) return x.v;
          const lifted = trace.lift(x); // a captured constant returned as is, or an outer tracer
          return (lifted as JitTracer).v;
        });
        const { stacks, sites } = numberFirstInstances(
          builder.eqns.map((e) => e.nameStack),
          tracedScopeSites(),
        );
        const traced = builder.eqns.map((e, i) => ({ ...e, nameStack: stacks[i]! }));
        const eqns = memoryFillsAsConstants(traced, outputs, (x) => builder.constVar(x));
        const program: Program = { name, inputs: [...builder.inputs, ...builder.constVars], eqns, outputs };
        return { program, consts: builder.consts, scopeSites: sites };
      },
    ),
  );
}
