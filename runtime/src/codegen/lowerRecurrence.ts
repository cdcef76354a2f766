// A scan whose body is elementwise, as one kernel (which scans qualify: recurrence.ts). Each
// invocation is one lane (one element of the carries): it loads its element of each initial
// carry, then for every step reads its element of row t of each xs, computes the body in
// registers, writes its element of row t of each ys, and carries the new values to the next
// step; after the last step it writes the final carries. Consts are read where the body reads
// them (their lane's element, a broadcast row's, a scalar), the ones read at the lane's own
// element once before the loop; a fill (zeros as a carry's start) is a literal. A carry or y of one element (a step count, a scalar loss) is
// computed by every lane alike and written by lane 0.

import { sizeOf, type Atom, type Eqn, type Lit, type ScanParams, type Var } from "../ir/types.js";
import { linearize } from "./indexing.js";
import type { FusionGroup, KernelSpec } from "./kernelPlan.js";
import { kernelFacts } from "./kernelFacts.js";
import { gridFor, indent, threadIndex } from "./module.js";
import { scalarKernelSpec } from "./scalarKernel.js";
import type { HelperName } from "./wgslHelpers.js";
import { isFill, recurrenceLanes, recurrenceName } from "./recurrence.js";
import { ValueWriter, type Coords } from "./valueWriter.js";
import { literal, loadExpr, storeExpr, valueType } from "./wgslTypes.js";

const WORKGROUP = 64;

export function lowerRecurrence(group: FusionGroup, name?: string): KernelSpec {
  const { scan: e, constant, binding, output } = recurrenceGroup(group);
  const n = recurrenceLanes(e);
  if (n === null) throw new Error(`codegen: group ${group.id} is not a scan with an elementwise body`);
  const p = e.params as ScanParams;
  const { body } = p;
  const T = p.length;
  const w = new ValueWriter(body.eqns, []);
  // The flat index a body input is asked for at (nd coordinates from an index op's own reads).
  const flatOf = (v: Var, c: Coords) => (c.kind === "flat" ? c.index : linearize(c.idx, v.aval.shape));
  const at = (v: Atom) => (sizeOf(v.aval.shape) === 1 ? "0" : "i");

  const prelude: string[] = [];
  const carryNames: string[] = [];
  body.inputs.forEach((v, j) => {
    const outer = e.inputs[j]!;
    const b = binding(outer);
    const lit = constant(outer);
    if (j >= p.numConsts && j < p.numConsts + p.numCarry) {
      const name = `c${j - p.numConsts}`;
      const init = lit ? literal(lit.value, v.aval.dtype, 1) : loadExpr(`in${b}`, at(v), v.aval.dtype, 1);
      prelude.push(`var ${name}: ${valueType(v.aval.dtype, 1)} = ${init};`);
      carryNames.push(name);
      w.overrides.set(v.id, () => name);
    } else if (lit) {
      w.overrides.set(v.id, () => literal(lit.value, v.aval.dtype, 1));
    } else if (j < p.numConsts) {
      w.overrides.set(v.id, (c) => loadExpr(`in${b}`, flatOf(v, c), v.aval.dtype, 1));
    } else {
      const row = sizeOf(v.aval.shape);
      w.overrides.set(v.id, (c) => loadExpr(`in${b}`, `t * ${row} + ${flatOf(v, c)}`, v.aval.dtype, 1));
    }
  });
  // Consts read at the lane's own element: loaded once, before the loop.
  for (const v of body.inputs.slice(0, p.numConsts)) if (sizeOf(v.aval.shape) === n) w.value(v, flatAt("i"));
  prelude.push(...w.rootLines().splice(0));

  w.pushScope();
  const next = body.outputs.slice(0, p.numCarry).map((o) => w.bind(w.value(o, flatAt(at(o))), "next"));
  body.outputs.slice(p.numCarry).forEach((o, k) => {
    const j = output(p.numCarry + k);
    if (j < 0) return; // a y nothing reads
    const one = sizeOf(o.aval.shape) === 1;
    const store = `out${j}[t * ${one ? 1 : n} + ${one ? "0" : "i"}] = ${storeExpr(w.value(o, flatAt(at(o))), o.aval.dtype, 1)};`;
    w.emit(one && n > 1 ? `if (i == 0) { ${store} }` : store);
  });
  next.forEach((v, k) => w.emit(`${carryNames[k]} = ${v};`));
  const step = w.popScope();

  const finals: string[] = [];
  body.outputs.slice(0, p.numCarry).forEach((o, k) => {
    const j = output(k);
    if (j < 0) return;
    const one = sizeOf(o.aval.shape) === 1;
    const store = `out${j}[${one ? "0" : "i"}] = ${storeExpr(carryNames[k]!, o.aval.dtype, 1)};`;
    finals.push(one && n > 1 ? `if (i == 0) { ${store} }` : store);
  });

  const grid = gridFor(Math.ceil(n / WORKGROUP));
  const plan = `recurrence kernel, scan × ${T} over ${n} lane${n === 1 ? "" : "s"}: ${body.eqns.length} body ops a step in registers${p.reverse ? ", reversed" : ""}`;
  const head = [`let i = i32(${threadIndex(grid, WORKGROUP)});`, `if (i >= ${n}) { return; }`, ...prelude];
  return recurrenceSpec(
    group,
    e,
    name,
    plan,
    [...head, ...stepLoop(p, step), ...finals],
    WORKGROUP,
    grid.dispatch,
    w.helpers,
  );
}

const flatAt = (index: string): Coords => ({ kind: "flat", index, width: 1 });

/** A recurrence group's scan (its last equation, after the fills it starts from), the literal
 *  an operand of the scan holds if any (a literal, a fill), an operand's binding, and the output
 *  binding of the scan's output `k` (-1: nothing reads it, so the kernel does not write it). */
export function recurrenceGroup(group: FusionGroup): {
  scan: Eqn;
  constant: (a: Atom) => Lit | null;
  binding: (a: Atom) => number;
  output: (k: number) => number;
} {
  const fills = new Map<number, Lit>();
  for (const f of group.eqns.slice(0, -1)) if (isFill(f)) fills.set(f.outputs[0]!.id, f.inputs[0] as Lit);
  const scan = group.eqns[group.eqns.length - 1]!;
  if (scan.prim !== "scan" || fills.size !== group.eqns.length - 1)
    throw new Error(`codegen: group ${group.id} is not a scan and the fills it starts from`);
  return {
    scan,
    constant: (a) => (a.kind === "lit" ? a : (fills.get(a.id) ?? null)),
    binding: (a) => (a.kind === "var" ? group.inputs.findIndex((v) => v.id === a.id) : -1),
    output: (k) => group.outputs.findIndex((v) => v.id === scan.outputs[k]!.id),
  };
}

/** The loop over steps around one step's statements (t: the row a step reads and writes). */
export function stepLoop(p: ScanParams, step: readonly string[]): string[] {
  const T = p.length;
  return [
    `for (var s = 0; s < ${T}; s = s + 1) {`,
    `  let t = ${p.reverse ? `${T - 1} - s` : "s"};`,
    ...indent(step),
    "}",
  ];
}

/** A recurrence kernel's spec: the scan's name, its facts with the body's work counted once a
 *  step and the body's lines as the kernel's. */
export function recurrenceSpec(
  group: FusionGroup,
  scan: Eqn,
  name: string | undefined,
  plan: string,
  body: readonly string[],
  workgroupSize: number,
  dispatch: KernelSpec["dispatch"],
  helpers: Iterable<HelperName>,
): KernelSpec {
  const spec = scalarKernelSpec(group, name ?? recurrenceName(scan), plan, body, workgroupSize, dispatch, [], helpers);
  const inner = kernelFacts({ ...group, eqns: (scan.params as ScanParams).body.eqns });
  const locations = [...spec.locations];
  for (const l of inner.locations)
    if (!locations.some((m) => m.file === l.file && m.line === l.line && m.column === l.column)) locations.push(l);
  return { ...spec, flops: inner.flops * (scan.params as ScanParams).length, locations };
}
