// The IR checks itself (after Autodidax's typecheck_jaxpr): every variable is defined once, before
// it is used; every equation's outputs have the avals its primitive's shape rule gives for its
// inputs; the program's outputs are defined. The pipeline runs it after every pass when
// JITSCOPE_CHECK_IR=1 (test/run.mjs sets it), so a pass that breaks the IR fails its tests at
// the pass that broke it, not at a wrong number three kernels later.

import { formatAval } from "@jitscope/contract";
import { JitScopeError } from "../ir/errors.js";
import { isElementwise, sameAval, type Atom, type Aval, type Eqn, type Program } from "../ir/types.js";
import { inferAvals } from "../ops/shapeRules.js";

const text = (a: Aval): string => formatAval(a.dtype, a.shape);

/** The avals the shape rule sees: a rank-0 literal beside full-shape operands of an elementwise
 *  op stands for its broadcast (simplify puts such literals there; the code generator splats them). */
function ruleInputs(e: Eqn): Aval[] {
  const full = e.inputs.find((a) => a.kind === "var" && a.aval.shape.length > 0)?.aval.shape;
  return e.inputs.map((a: Atom) =>
    a.kind === "lit" && full && isElementwise(e.prim) ? { shape: [...full], dtype: a.aval.dtype } : a.aval,
  );
}

/** Throws a JitScopeError naming the first problem in `program` (after `pass`), or returns. */
export function typecheckProgram(program: Program, pass: string): void {
  const fail = (what: string): never => {
    throw new JitScopeError("trace", `internal: the IR after the ${pass} pass is ill-formed: ${what}`);
  };
  const defined = new Map<number, Aval>();
  const define = (id: number, aval: Aval, where: string) => {
    if (defined.has(id)) fail(`variable ${id} is defined twice (again ${where})`);
    defined.set(id, aval);
  };
  program.inputs.forEach((v, i) => define(v.id, v.aval, `as input ${i}`));
  const use = (a: Atom, where: string) => {
    if (a.kind === "lit") {
      if (a.aval.shape.length !== 0)
        fail(`a literal of shape [${a.aval.shape.join(",")}] is used by ${where} (literals are scalars)`);
      return;
    }
    const d = defined.get(a.id);
    if (!d) fail(`variable ${a.id} is used by ${where} before it is defined`);
    else if (!sameAval(d, a.aval)) fail(`variable ${a.id} is ${text(d)} where defined but ${text(a.aval)} in ${where}`);
  };
  for (const e of program.eqns) {
    const where = `equation ${e.id} (${e.prim})`;
    e.inputs.forEach((a) => use(a, where));
    let want: Aval[];
    try {
      want = inferAvals(e.prim, e.params, ruleInputs(e));
    } catch (err) {
      return fail(`${where} does not type-check: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (want.length !== e.outputs.length)
      fail(`${where} has ${e.outputs.length} outputs, its shape rule gives ${want.length}`);
    e.outputs.forEach((o, i) => {
      if (!sameAval(o.aval, want[i]!))
        fail(`${where} output ${i} is ${text(o.aval)}, its shape rule gives ${text(want[i]!)}`);
      define(o.id, o.aval, `by ${where}`);
    });
  }
  program.outputs.forEach((a, i) => use(a, `program output ${i}`));
}
