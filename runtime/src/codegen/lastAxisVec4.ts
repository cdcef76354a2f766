// Vec4 along the last axis for kernels that need nd coordinates. A transpose that keeps the last
// axis ([B, T, H, D] → [B, H, T, D] for attention's heads, a scan's time-major moveaxis), a
// slice, pad or concatenate whose cuts fall on multiples of 4 in the last axis: each moves runs
// of the last axis whole, so 4 neighbouring elements of an output row are 4 neighbouring elements
// of an input row. Such a group is lowered over the same ops with every last axis counted in
// vec4s (its extents and the ops' offsets there divided by 4): one invocation computes, loads and
// stores a vec4 where it did one element, with one coordinate computation for the four. On
// lavapipe a scalar load at a computed index is a gather per SIMD lane; a vec4 load is one.
// Values of one element (a rank-0 mixup weight, a scalar from a reduction) stay scalars, splatted
// where a vec4 reads them.

import type { Atom, Eqn, PrimParams, Var } from "../ir/types.js";
import { isElementwise, sizeOf } from "../ir/types.js";
import type { FusionGroup } from "./kernelPlan.js";
import { needsScalar } from "./opExpr.js";

/** Whether a value is computed one element at a time (it has one element). */
const isScalarValue = (v: Atom): boolean => sizeOf(v.aval.shape) === 1;

export interface LastAxisVec4 {
  /** The group with every last axis in vec4 units. */
  readonly group: FusionGroup;
  /** Its values held as vec4s (all but those of one element); ids are the original ones. */
  readonly vectors: ReadonlySet<number>;
}

/** The group in vec4 units, or null where some op mixes elements of a vec4 with others (a
 *  transpose moving the last axis, a cut inside a vec4, a gather, an iota…). */
export function lastAxisVec4(group: FusionGroup): LastAxisVec4 | null {
  const vectors = new Set<number>();
  const values = new Map<number, Var>();
  const reduced = (v: Var): Var | null => {
    const hit = values.get(v.id);
    if (hit) return hit;
    const shape = v.aval.shape;
    let out: Var | null = v;
    if (!isScalarValue(v)) {
      const last = shape[shape.length - 1];
      if (last === undefined || last % 4 !== 0 || last === 0) return null;
      out = { kind: "var", id: v.id, aval: { dtype: v.aval.dtype, shape: [...shape.slice(0, -1), last / 4] } };
      vectors.add(v.id);
    }
    values.set(v.id, out);
    return out;
  };
  const atom = (a: Atom): Atom | null => (a.kind === "lit" ? a : reduced(a));
  const eqns: Eqn[] = [];
  for (const e of group.eqns) {
    const ins = e.inputs.map(atom);
    const outs = e.outputs.map(reduced);
    if (ins.some((a) => a === null) || outs.some((o) => o === null)) return null;
    if (!splatsOnlyWhereBroadcast(e)) return null;
    const params = reducedParams(e);
    if (params === null) return null;
    eqns.push({ ...e, inputs: ins as Atom[], outputs: outs as Var[], params } as Eqn);
  }
  const inputs = group.inputs.map(reduced);
  const outputs = group.outputs.map(reduced);
  if (inputs.some((v) => v === null) || outputs.some((v) => v === null || !vectors.has(v.id))) return null;
  return { group: { ...group, eqns, inputs: inputs as Var[], outputs: outputs as Var[] }, vectors };
}

/** A value of one element meets vec4 values only where it is splatted: a broadcast's input, an
 *  elementwise op's rank-0 operand. A pad, slice or concatenate between the two (4 scalars
 *  joined into a row of 4) would mix element and vec4 coordinates. */
function splatsOnlyWhereBroadcast(e: Eqn): boolean {
  const vector = !isScalarValue(e.outputs[0]!);
  if (!vector || e.prim === "broadcast") return true;
  const elementwise = isElementwise(e.prim);
  return e.inputs.every((a) => a.kind === "lit" || !isScalarValue(a) || (elementwise && a.aval.shape.length === 0));
}

/** The op's params with last-axis extents and offsets in vec4 units, or null where the op would
 *  mix a vec4's elements with others. Operands and results are checked by the caller. */
function reducedParams(e: Eqn): Eqn["params"] | null {
  const out = e.outputs[0]!;
  const x = e.inputs[0];
  const r = out.aval.shape.length;
  const last = r - 1;
  const quarter = (n: number) => (n % 4 === 0 ? n / 4 : null);
  switch (e.prim) {
    case "reshape": {
      // A scalar reshaped to a scalar, or runs of 4 that stay runs (both last axes multiples of
      // 4, so the flat order in vec4s is the flat order in elements).
      if (isScalarValue(out)) return e.params;
      const { shape } = e.params as PrimParams["reshape"];
      const q = quarter(shape[last]!);
      return q === null ? null : { shape: [...shape.slice(0, -1), q] };
    }
    case "transpose": {
      const { perm } = e.params as PrimParams["transpose"];
      return perm[last] === last ? e.params : null;
    }
    case "broadcast": {
      if (isScalarValue(out)) return e.params;
      const p = e.params as PrimParams["broadcast"];
      const q = quarter(p.shape[last]!);
      if (q === null || !x || x.kind !== "var") return null;
      const shape = [...p.shape.slice(0, -1), q];
      if (isScalarValue(x)) return { shape, dims: p.dims }; // splatted
      // The input's last axis is the output's, whole (not a size-1 axis stretched over it).
      const xr = x.aval.shape.length;
      if (p.dims[xr - 1] !== last || x.aval.shape[xr - 1] !== p.shape[last]) return null;
      return { shape, dims: p.dims };
    }
    case "slice": {
      const p = e.params as PrimParams["slice"];
      const [s, l] = [quarter(p.starts[last]!), quarter(p.limits[last]!)];
      if ((p.strides[last] ?? 1) !== 1 || s === null || l === null) return null;
      return { starts: [...p.starts.slice(0, -1), s], limits: [...p.limits.slice(0, -1), l], strides: p.strides };
    }
    case "pad": {
      const p = e.params as PrimParams["pad"];
      const [lo, hi] = [quarter(p.low[last]!), quarter(p.high[last]!)];
      if (lo === null || hi === null) return null;
      return { low: [...p.low.slice(0, -1), lo], high: [...p.high.slice(0, -1), hi], value: p.value };
    }
    case "concatenate":
      return e.params; // every piece's last axis is a multiple of 4 (checked as a value)
    case "rev": {
      const { axes } = e.params as PrimParams["rev"];
      return axes.includes(last) ? null : e.params;
    }
    default: {
      if (!isElementwise(e.prim)) return null;
      const inDtype = (e.prim === "where" ? e.inputs[1] : e.inputs[0])?.aval.dtype ?? out.aval.dtype;
      return !isScalarValue(out) && needsScalar(e.prim, inDtype, out.aval.dtype) ? null : e.params;
    }
  }
}
