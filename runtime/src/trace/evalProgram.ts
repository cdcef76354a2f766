// Re-binds a program's equations on given values: how a transformation looks into a loop body
// (vmap of a scan traces `vmap(evalProgram(body))` as the new body). Each equation keeps its
// source location, so the transformed body's ops still point at the user's lines.

import { bind, Tracer, withLocation } from "./core.js";
import type { Atom, Eqn, Lit, Program } from "../ir/types.js";
import type { Leaf } from "./pytree.js";
import { applyStopGradient, isStopped } from "./stoppedVars.js";
import { checkCustomOutput, customRegionOf, type CustomRegion } from "./customBody.js";

export type Value = Tracer | Lit;

export function evalProgram(program: Program, args: readonly Value[]): Value[] {
  if (args.length !== program.inputs.length) {
    throw new Error(`internal: ${program.name} takes ${program.inputs.length} inputs, got ${args.length}`);
  }
  const env = new Map<number, Value>();
  program.inputs.forEach((v, i) => env.set(v.id, args[i]!));
  const read = (a: Atom): Value => {
    if (a.kind === "lit") return a;
    const v = env.get(a.id);
    if (v === undefined) throw new Error(`internal: ${program.name} reads v${a.id} before it is defined`);
    return v;
  };
  const replayed = new Set<CustomRegion>();
  for (const e of program.eqns) {
    const region = customRegionOf(e);
    if (region) {
      // A custom_jvp / custom_vjp call: called again as a whole, so its rule applies.
      if (!replayed.has(region)) {
        replayed.add(region);
        replay(region, e, read, env);
      }
      continue;
    }
    const outs = withLocation(
      () => e.location,
      () => bind(e.prim, e.params, e.inputs.map(read)),
    );
    // A stop_gradient traced inside a loop body stays one under the transformation re-running it.
    e.outputs.forEach((o, i) => {
      checkCustomOutput(o, outs[i]!);
      env.set(o.id, isStopped(o) ? applyStopGradient(outs[i]!) : outs[i]!);
    });
  }
  return program.outputs.map(read);
}

/** Calls a custom function traced in a body again on the re-evaluated arguments; its outputs
 *  take the vars the traced call defined. */
function replay(region: CustomRegion, first: Eqn, read: (a: Atom) => Value, env: Map<number, Value>): void {
  const args = region.args.map((a) => ("v" in a ? materialize(read(a.v), a.v.aval) : a.value));
  const out = withLocation(
    () => first.location,
    () => region.call(args as Leaf[]),
  );
  region.outputs.forEach((v, i) => {
    if (v === null) return;
    const o = out.leaves[i];
    env.set(v.id, o instanceof Tracer ? o : materialize(literal(o as number, v.aval), v.aval));
  });
}

const literal = (value: number, aval: Lit["aval"]): Lit => ({
  kind: "lit",
  value,
  aval: { shape: [], dtype: aval.dtype },
});

/** A value as a full array of its own aval (literals broadcast), for loop operands and results. */
export function materialize(x: Value, aval: { shape: readonly number[]; dtype: Lit["aval"]["dtype"] }): Tracer {
  if (x instanceof Tracer) return x;
  return bind("broadcast", { shape: [...aval.shape], dims: [] }, [
    { ...x, aval: { shape: [], dtype: aval.dtype } },
  ])[0]!;
}
