// A scan whose state is a handful of numbers (a pendulum's [θ1, θ2, ω1, ω2] stepped by RK4, a
// 2×2 Kalman filter, a tiny RNN), as one single-invocation kernel with every element of every
// value a register: the body is unrolled element by element at coordinates known here, so a
// slice, a stack, a transpose or a small matmul becomes the scalar arithmetic it stands for, and
// the loop over steps runs on the device with no dispatch per step. Which scans qualify:
// recurrence.ts (unrolledWork). Each element is one WGSL `let`, computed once a step.

import { isElementwise, sizeOf, type Atom, type Eqn, type PrimParams, type ScanParams, type Var } from "../ir/types.js";
import type { FusionGroup, KernelSpec } from "./kernelPlan.js";
import { recurrenceGroup, recurrenceSpec, stepLoop } from "./lowerRecurrence.js";
import { elementwiseExpr } from "./opExpr.js";
import { unrolledWork } from "./recurrence.js";
import type { HelperName } from "./wgslHelpers.js";
import { literal, loadExpr, storeExpr, valueType } from "./wgslTypes.js";

/** Row-major strides of `shape`. */
const stridesOf = (shape: readonly number[]): number[] => {
  const s = shape.map(() => 1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
};
const coordsOf = (flat: number, shape: readonly number[]): number[] => {
  const st = stridesOf(shape);
  return shape.map((d, i) => Math.floor(flat / st[i]!) % d);
};
const flatOf = (coords: readonly number[], shape: readonly number[]): number => {
  const st = stridesOf(shape);
  return coords.reduce((s, c, i) => s + c * st[i]!, 0);
};

export function lowerUnrolledScan(group: FusionGroup, name?: string): KernelSpec {
  const { scan: e, constant, binding, output } = recurrenceGroup(group);
  const work = unrolledWork(e);
  if (work === null) throw new Error(`codegen: group ${group.id} is not a scan with a small body`);
  const p = e.params as ScanParams;
  const { body } = p;
  const helpers = new Set<HelperName>();

  // Each body value's elements as WGSL expressions, by var id.
  const elems = new Map<number, string[]>();
  const prelude: string[] = [];
  const step: string[] = [];
  const carries: string[][] = [];
  body.inputs.forEach((v, j) => {
    const outer = e.inputs[j]!;
    const lit = constant(outer);
    const n = sizeOf(v.aval.shape);
    const b = binding(outer);
    const isCarry = j >= p.numConsts && j < p.numConsts + p.numCarry;
    const isX = j >= p.numConsts + p.numCarry;
    const names = Array.from({ length: n }, (_, k) => {
      const from = lit
        ? literal(lit.value, v.aval.dtype, 1)
        : loadExpr(`in${b}`, isX ? `t * ${n} + ${k}` : String(k), v.aval.dtype, 1);
      if (isCarry) {
        const name = `c${j - p.numConsts}_${k}`;
        prelude.push(`var ${name}: ${valueType(v.aval.dtype, 1)} = ${from};`);
        return name;
      }
      if (lit) return from;
      const name = `${isX ? "x" : "k"}${j}_${k}`;
      (isX ? step : prelude).push(`let ${name} = ${from};`);
      return name;
    });
    if (isCarry) carries.push(names);
    elems.set(v.id, names);
  });
  const at = (a: Atom, k: number): string => {
    if (a.kind === "lit") return literal(a.value, a.aval.dtype, 1);
    const xs = elems.get(a.id)!;
    return xs.length === 1 ? xs[0]! : xs[k]!;
  };
  for (const b of body.eqns) {
    const out = b.outputs[0]!;
    const names = Array.from({ length: sizeOf(out.aval.shape) }, (_, k) => {
      const expr = element(b, out, k, at, helpers);
      // A view's element is another value's (or a literal): the same name, no new line.
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(expr) || /^(f32|i32)\([-\d.e+]+\)$/.test(expr)) return expr;
      const name = `v${out.id}_${k}`;
      step.push(`let ${name} = ${expr};`);
      return name;
    });
    elems.set(out.id, names);
  }
  // ys, then the new carries, once the whole step is computed (through lets: a carry may be
  // another's old value).
  body.outputs.slice(p.numCarry).forEach((o, k) => {
    const j = output(p.numCarry + k);
    const n = sizeOf(o.aval.shape);
    if (j >= 0)
      for (let q = 0; q < n; q++) step.push(`out${j}[t * ${n} + ${q}] = ${storeExpr(at(o, q), o.aval.dtype, 1)};`);
  });
  const next = body.outputs.slice(0, p.numCarry).map((o, k) =>
    carries[k]!.map((_, q) => {
      step.push(`let n${k}_${q} = ${at(o, q)};`);
      return `n${k}_${q}`;
    }),
  );
  carries.forEach((names, k) => names.forEach((c, q) => step.push(`${c} = ${next[k]![q]!};`)));
  const finals: string[] = [];
  carries.forEach((names, k) => {
    const j = output(k);
    if (j >= 0) names.forEach((c, q) => finals.push(`out${j}[${q}] = ${storeExpr(c, e.outputs[k]!.aval.dtype, 1)};`));
  });

  const plan = `recurrence kernel, scan × ${p.length} unrolled on one invocation: ${work} scalar ops a step in registers${p.reverse ? ", reversed" : ""}`;
  return recurrenceSpec(group, e, name, plan, [...prelude, ...stepLoop(p, step), ...finals], 1, [1, 1, 1], helpers);
}

/** Element `k` of `out`, the result of body op `b`, from its operands' elements. */
function element(b: Eqn, out: Var, k: number, at: (a: Atom, k: number) => string, helpers: Set<HelperName>): string {
  const x = b.inputs[0]!;
  const shape = out.aval.shape;
  const c = coordsOf(k, shape);
  switch (b.prim) {
    case "reshape":
      return at(x, k);
    case "broadcast": {
      const { dims } = b.params as PrimParams["broadcast"];
      return at(
        x,
        flatOf(
          x.aval.shape.map((d, i) => (d === 1 ? 0 : c[dims[i]!]!)),
          x.aval.shape,
        ),
      );
    }
    case "transpose": {
      const { perm } = b.params as PrimParams["transpose"];
      const inC = new Array<number>(perm.length);
      perm.forEach((q, i) => (inC[q] = c[i]!));
      return at(x, flatOf(inC, x.aval.shape));
    }
    case "slice": {
      const { starts, strides } = b.params as PrimParams["slice"];
      return at(
        x,
        flatOf(
          c.map((v, i) => starts[i]! + v * (strides[i] ?? 1)),
          x.aval.shape,
        ),
      );
    }
    case "rev": {
      const { axes } = b.params as PrimParams["rev"];
      return at(
        x,
        flatOf(
          c.map((v, i) => (axes.includes(i) ? shape[i]! - 1 - v : v)),
          x.aval.shape,
        ),
      );
    }
    case "pad": {
      const { low, value } = b.params as PrimParams["pad"];
      const inC = c.map((v, i) => v - low[i]!);
      const inside = inC.every((v, i) => v >= 0 && v < x.aval.shape[i]!);
      return inside ? at(x, flatOf(inC, x.aval.shape)) : literal(value, out.aval.dtype, 1);
    }
    case "concatenate": {
      const { axis } = b.params as PrimParams["concatenate"];
      let off = c[axis]!;
      for (const piece of b.inputs) {
        const d = piece.aval.shape[axis]!;
        if (off < d)
          return at(
            piece,
            flatOf(
              c.map((v, i) => (i === axis ? off : v)),
              piece.aval.shape,
            ),
          );
        off -= d;
      }
      throw new Error("codegen: concatenate coordinate out of range");
    }
    case "iota": {
      const { axis, dtype } = b.params as PrimParams["iota"];
      return literal(c[axis]!, dtype, 1);
    }
    case "reduce_sum": {
      const { axes } = b.params as PrimParams["reduce_sum"];
      const inShape = x.aval.shape;
      const terms: string[] = [];
      for (let q = 0; q < sizeOf(inShape); q++) {
        const inC = coordsOf(q, inShape);
        const kept = inC.filter((_, i) => !axes.includes(i));
        if (kept.every((v, i) => v === c[i])) terms.push(at(x, q));
      }
      return terms.length ? `(${terms.join(" + ")})` : literal(0, out.aval.dtype, 1);
    }
    case "matmul": {
      const y = b.inputs[1]!;
      const r = shape.length;
      const K = x.aval.shape[r - 1]!;
      const batch = c.slice(0, r - 2);
      const terms = Array.from({ length: K }, (_, q) => {
        const a = at(x, flatOf([...batch, c[r - 2]!, q], x.aval.shape));
        const w = at(y, flatOf([...batch, q, c[r - 1]!], y.aval.shape));
        return `${a} * ${w}`;
      });
      return terms.length ? `(${terms.join(" + ")})` : literal(0, out.aval.dtype, 1);
    }
    default: {
      if (!isElementwise(b.prim)) throw new Error(`codegen: ${b.prim} cannot be unrolled`);
      const args = b.inputs.map((a) => at(a, a.kind === "var" && sizeOf(a.aval.shape) === 1 ? 0 : k));
      const inDtype = (b.prim === "where" ? b.inputs[1] : b.inputs[0])?.aval.dtype ?? out.aval.dtype;
      return elementwiseExpr(b.prim, args, inDtype, out.aval.dtype, { width: 1, useHelper: (h) => helpers.add(h) });
    }
  }
}
