// Tracing a loop body (or a cond/while predicate) into its own Program, as JAX traces a scan
// body into a closed jaxpr. The body runs on fresh tracers at a new top level of the trace stack;
// any value it closes over (a concrete array, an outer jit's tracer, a grad or vmap tracer) is
// "closure converted": it becomes an extra leading input of the body and an operand of the loop
// equation, so the loop stays one equation whatever transformation encloses it.

import { Tracer, withDynamic, withName, withNewMain, type MainTrace } from "./core.js";
import { JitTrace, JitTracer, ProgramBuilder } from "./jitTrace.js";
import { arrayFromHost, ConcreteArray } from "../array.js";
import type { Atom, Aval, Program, Var } from "../ir/types.js";

class BodyBuilder extends ProgramBuilder {
  /** Outer values the body reads, in the order of the inputs they became. */
  readonly captured: Tracer[] = [];
  readonly capturedVars: Var[] = [];
  private readonly captureIndex = new Map<Tracer, Var>();

  capture(x: Tracer): Var {
    let v = this.captureIndex.get(x);
    if (!v) {
      v = this.newVar(x.aval);
      this.captureIndex.set(x, v);
      this.captured.push(x);
      this.capturedVars.push(v);
    }
    return v;
  }
}

/** Whether `v` is an input of a loop body that stands for a concrete array it closed over (a
 *  constant in any trace, unlike a value of an enclosing transformation). */
export function isCapturedConstant(builder: ProgramBuilder, v: Var): boolean {
  if (!(builder instanceof BodyBuilder)) return false;
  const i = builder.capturedVars.findIndex((c) => c.id === v.id);
  return i >= 0 && builder.captured[i] instanceof ConcreteArray;
}

/** A jit trace whose closed-over values become body inputs instead of forcing an inline. */
class BodyTrace extends JitTrace {
  override lift(x: Tracer): Tracer {
    return new JitTracer(this, (this.builder as BodyBuilder).capture(x));
  }
}

export interface TracedBody {
  /** Inputs: the captured values' vars first, then one per `inAvals`. */
  readonly program: Program;
  /** The outer values behind the leading inputs (operands of the loop equation). */
  readonly captured: readonly Tracer[];
}

/**
 * Traces `fn` on tracers of `inAvals` as a body program named `name` (also pushed on the name
 * stack, so the body's equations say they are inside the loop). `fn` returns its output leaves;
 * numbers become scalars of the dtype `castTo` gives (float32 by default).
 */
export function traceBody(
  name: string,
  inAvals: readonly Aval[],
  fn: (args: Tracer[]) => readonly (Tracer | number)[],
  castTo?: (i: number) => Aval["dtype"] | undefined,
): TracedBody {
  const builder = new BodyBuilder();
  return withNewMain(
    "body",
    (main: MainTrace) => new BodyTrace(main),
    builder,
    (main) => {
      const trace = new BodyTrace(main);
      const args = inAvals.map((a) => {
        const v = builder.newVar(a);
        builder.inputs.push(v);
        return new JitTracer(trace, v) as Tracer;
      });
      const outputs: Atom[] = withName(name, () =>
        withDynamic(main, () => {
          const leaves = fn(args);
          return leaves.map((x, i): Atom => {
            const want = castTo?.(i);
            const t = typeof x === "number" ? arrayFromHost([x], [], want ?? "float32") : x;
            const own = t instanceof JitTracer && t.ownTrace.main === main ? t : (trace.lift(t) as JitTracer);
            return own.v;
          });
        }),
      );
      const program: Program = {
        name,
        inputs: [...builder.capturedVars, ...builder.inputs],
        eqns: builder.eqns,
        outputs,
      };
      return { program, captured: builder.captured };
    },
  );
}
