// Vectorising map: a VmapTracer carries a value one level down and the position of its batch
// axis (null: the same for every element of the batch). Each primitive is re-bound by the
// batching rule of trace/rules/batchRules.ts, so `vmap(f)` runs as a few whole-batch ops and
// `jit(vmap(f))` compiles them like any other program. A vmap given an `axis_name` replaces the
// collectives over that name (lax/collectives.ts) with reductions, stacks, gathers or an iota
// over its batch axis.

import { bind, bind1, lit, Trace, Tracer, withLocation, withName, withNewMain } from "./core.js";
import type { BindContext, MainTrace } from "./core.js";
import {
  collectiveAxisNames,
  isLoopPrim,
  subPrograms,
  type Aval,
  type Eqn,
  type Lit,
  type Primitive,
  type PrimParams,
} from "../ir/types.js";
import { batchLoop, type VmapFn } from "./loopBatch.js";
import { JitScopeError } from "../ir/errors.js";
import { batchRule, withBatchAt } from "./rules/batchRules.js";
import type { BatchDim } from "./rules/batchRules.js";
import { flatten, unflatten } from "./pytree.js";
import { axesPerLeaf, checkAxisSpec, type AxisSpec } from "./vmapAxes.js";
import { arrayFromHost } from "../array.js";
import { fnName } from "./transformUtil.js";
import { checkOptions } from "../apiOptions.js";
import { isCollective, type Collective, type VmapData } from "./namedAxes.js";
import { materialize } from "./evalProgram.js";
import * as L from "./rules/lax.js";

export class VmapTracer extends Tracer {
  constructor(
    readonly ownTrace: VmapTrace,
    readonly value: Tracer,
    readonly bdim: BatchDim,
  ) {
    super();
  }
  /** The per-element view: the value's aval without the batch axis. */
  get aval(): Aval {
    const { shape, dtype } = this.value.aval;
    if (this.bdim === null) return this.value.aval;
    return { shape: shape.filter((_, i) => i !== this.bdim), dtype };
  }
}

export class VmapTrace extends Trace {
  get size(): number {
    return (this.main.globalData as VmapData).size;
  }
  get axisName(): string | null {
    return (this.main.globalData as VmapData).axisName;
  }

  lift(x: Tracer): Tracer {
    return new VmapTracer(this, x, null);
  }

  processPrimitive<P extends Primitive>(
    prim: P,
    params: PrimParams[P],
    inputs: readonly (Tracer | Lit)[],
    ctx: BindContext,
  ): Tracer[] {
    const values = inputs.map((x) => (x instanceof VmapTracer ? x.value : (x as Lit)));
    const bdims = inputs.map((x) => (x instanceof VmapTracer ? x.bdim : null));
    return withLocation(
      () => ctx.location,
      () => {
        if (isCollective(prim))
          return [this.collective(prim, params as PrimParams[typeof prim], values, bdims[0] ?? null)];
        if (isLoopPrim(prim)) {
          // A body reducing over this vmap's axis is batched even when no operand is: the batch
          // elements' values differ once a collective has combined them.
          const name = this.axisName;
          if (bdims.every((b) => b === null) && !(name !== null && reducesOver({ prim, params } as Eqn, name)))
            return bind(prim, params, values).map((o) => new VmapTracer(this, o, null));
          const batchBody: VmapFn = (f, inAxes, outAxes) => vmapBody(f, inAxes, outAxes, name);
          return batchLoop(
            prim,
            params as PrimParams["scan"] | PrimParams["while"],
            values,
            bdims,
            this.size,
            batchBody,
          ).map(([o, b]) => new VmapTracer(this, o, b));
        }
        if (bdims.every((b) => b === null)) return [new VmapTracer(this, bind1(prim, params, values), null)];
        const [out, bdim] = batchRule(prim, params, values, bdims, this.size);
        if (!(out instanceof Tracer)) throw new Error(`vmap: internal: the ${prim} rule returned a literal`);
        return [new VmapTracer(this, out, bdim)];
      },
      ctx.userScope,
    );
  }

  /** A collective over `name`: over this vmap's axis, the reduction of the batch elements (the
   *  same value for each: unbatched), the element's index or all elements stacked; over another
   *  vmap's, that vmap's work, this one's batch axis kept. */
  private collective<P extends Collective>(
    prim: P,
    params: PrimParams[P],
    xs: readonly (Tracer | Lit)[],
    bdim: BatchDim,
  ): VmapTracer {
    const name = (params as PrimParams[Collective]).axisName;
    if (name !== this.axisName) {
      if (prim !== "all_gather" || bdim === null) return new VmapTracer(this, bind1(prim, params, xs), bdim);
      // The gathered axis counts past this vmap's batch axis, put first.
      const p = params as PrimParams["all_gather"];
      const front = L.moveAxis(xs[0]!, bdim, 0);
      return new VmapTracer(this, bind1("all_gather", { ...p, axis: p.axis + 1 }, [front]), 0);
    }
    if (prim === "axis_index")
      return new VmapTracer(this, bind1("iota", { shape: [this.size], axis: 0, dtype: "int32" }, []), 0);
    if (prim === "ppermute") {
      // Element dst reads element src: a gather along the batch axis (unbatched, every element
      // reads the same x).
      if (bdim === null) return new VmapTracer(this, materialize(xs[0]!, xs[0]!.aval), null);
      const from = new Array<number>(this.size).fill(0);
      for (const [src, dst] of (params as PrimParams["ppermute"]).perm) from[dst] = src;
      const index = arrayFromHost(from, [this.size], "int32");
      return new VmapTracer(this, bind1("gather", { axis: bdim }, [xs[0]!, index]), bdim);
    }
    const x = xs[0]!;
    let out: L.Val;
    if (prim === "all_gather") {
      const { axis, tiled } = params as PrimParams["all_gather"];
      const stacked = withBatchAt(x, bdim, axis, this.size);
      const shape = [...stacked.aval.shape];
      out = tiled
        ? L.reshape(stacked, [...shape.slice(0, axis), shape[axis]! * shape[axis + 1]!, ...shape.slice(axis + 2)])
        : stacked;
    } else if (bdim === null) out = prim === "psum" ? L.mul(x, lit(this.size, x.aval.dtype)) : x;
    else if (prim === "psum") out = L.reduceSum(x, [bdim]);
    else out = bind1(prim === "pmax" ? "reduce_max" : "reduce_min", { axes: [bdim] }, [x]);
    return new VmapTracer(this, materialize(out, out.aval), null);
  }
}

/** Whether a loop's bodies hold a collective over `name`, at any depth. */
const reducesOver = (e: Eqn, name: string): boolean =>
  subPrograms(e).some((body) => collectiveAxisNames(body).includes(name));

const makeVmapTrace = (main: MainTrace): Trace => new VmapTrace(main);

/** A number (or null) for every argument, or one entry per argument, itself a pytree prefix of
 *  it (vmapAxes.ts). */
export type InAxes = number | null | readonly AxisSpec[];
/** A number (or null) for every result, or a pytree prefix of the result. */
export type OutAxes = AxisSpec;

/** JAX's keywords as a last options object: `vmap(f, { in_axes: [null, 0], out_axes: 1 })` or
 *  `vmap(f, [null, 0], { out_axes: 1 })`. */
export interface VmapOptions {
  in_axes?: InAxes;
  out_axes?: OutAxes;
  /** A name for the mapped axis, which lax's collectives (psum, pmean, all_gather, …) name. */
  axis_name?: string;
  /** The batch size when no argument is mapped (every in_axes entry null). */
  axis_size?: number;
}

const isOptions = (v: unknown): v is VmapOptions => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * `vmap(f, inAxes = 0, outAxes = 0)`: `f` mapped over axis `inAxes` of its arguments (a number
 * for all, `null` for an argument that is the same for every element, or a list per argument);
 * the results are stacked along `outAxes`. Either may be given as JAX's keyword in an options
 * object instead (`VmapOptions`).
 */
export function vmap<F extends (...args: never[]) => unknown>(
  f: F,
  inAxesOrOptions: InAxes | VmapOptions = 0,
  outAxesOrOptions: OutAxes | VmapOptions = 0,
): (...args: Parameters<F>) => ReturnType<F> {
  let inAxes: InAxes = 0;
  let outAxes: OutAxes = 0;
  let named: Pick<VmapOptions, "axis_name" | "axis_size"> = {};
  if (isOptions(inAxesOrOptions)) {
    checkOptions("vmap", inAxesOrOptions, ["in_axes", "out_axes", "axis_name", "axis_size"], {});
    if (!isOptions(outAxesOrOptions) && outAxesOrOptions !== 0)
      throw new JitScopeError("value", "vmap: give out_axes in the options object, not after it");
    inAxes = inAxesOrOptions.in_axes ?? 0;
    outAxes = inAxesOrOptions.out_axes ?? 0;
    named = inAxesOrOptions;
  } else {
    inAxes = inAxesOrOptions;
    if (isOptions(outAxesOrOptions)) {
      checkOptions("vmap", outAxesOrOptions, ["out_axes", "axis_name", "axis_size"], {});
      outAxes = outAxesOrOptions.out_axes ?? 0;
      named = outAxesOrOptions;
    } else outAxes = outAxesOrOptions;
  }
  checkAxisSpec("inAxes", inAxes);
  checkAxisSpec("outAxes", outAxes);
  const axisName = named.axis_name ?? null;
  if (axisName !== null && (typeof axisName !== "string" || axisName === ""))
    throw new JitScopeError("value", `vmap: axis_name must be a non-empty string, got ${String(axisName)}`);
  const axisSize = named.axis_size;
  if (axisSize !== undefined && !(Number.isInteger(axisSize) && axisSize >= 0))
    throw new JitScopeError("value", `vmap: axis_size must be a whole number ≥ 0, got ${String(axisSize)}`);
  return mapOver(f, inAxes, outAxes, axisName, axisSize, true);
}

/** A loop body re-batched by vmap's loop rule (trace/loopBatch.ts): the body's operations keep
 *  the scopes they were traced in, so no `vmap(…)` scope of an internal function is added. */
export function vmapBody<F extends (...args: never[]) => unknown>(
  f: F,
  inAxes: number,
  outAxes: number,
  axisName: string | null,
): (...args: Parameters<F>) => ReturnType<F> {
  return mapOver(f, inAxes, outAxes, axisName, undefined, false);
}

function mapOver<F extends (...args: never[]) => unknown>(
  f: F,
  inAxes: InAxes,
  outAxes: OutAxes,
  axisName: string | null,
  axisSize: number | undefined,
  scoped: boolean,
): (...args: Parameters<F>) => ReturnType<F> {
  const label = `vmap(${fnName(f)})`;
  return (...args: Parameters<F>): ReturnType<F> => {
    const list = args as unknown[];
    if (Array.isArray(inAxes) && inAxes.length !== list.length) {
      throw new JitScopeError(
        "value",
        `${label}: inAxes has ${inAxes.length} entries but the function was called with ${list.length} argument${list.length === 1 ? "" : "s"}; give one axis (or null) per argument`,
      );
    }
    // An argument whose in_axes is null reaches f as it is (a flag, a string, a config object,
    // or arrays left unbatched), as JAX's vmap passes unmapped leaves through.
    const specOf = (i: number) => (Array.isArray(inAxes) ? (inAxes[i] as AxisSpec) : (inAxes as number | null));
    const through = list.map((_, i) => specOf(i) === null);
    let flat;
    try {
      flat = flatten(
        list.map((a, i) => (through[i] ? null : a)),
        "argument",
      );
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      const what = e.message.replace(/^jit: argument\[(\d+)\]/, "argument $1");
      throw new JitScopeError("value", `${label}: ${what}; an argument that is no array maps with in_axes null`);
    }
    // The argument each leaf belongs to, and its mapped axis.
    const owners: number[] = [];
    const given = list.flatMap((a, i) => {
      if (through[i]) return [];
      const perLeaf = axesPerLeaf(specOf(i), a, `argument ${i}`, "inAxes", label);
      perLeaf.forEach(() => owners.push(i));
      return perLeaf;
    });
    const axes = flat.leaves.map((leaf, k) => {
      const axis = given[k]!;
      if (axis === null) return null;
      if (!(leaf instanceof Tracer)) {
        throw new JitScopeError(
          "value",
          `${label}: argument ${owners[k]} is a JS number, which has no axis ${axis} to map over; pass null in inAxes for it`,
        );
      }
      const n = leaf.ndim;
      if (axis < -n || axis >= n) {
        throw new JitScopeError(
          "axis",
          `${label}: inAxes ${axis} is out of range for argument ${owners[k]} of shape [${leaf.shape}] (rank ${n})`,
        );
      }
      return axis < 0 ? axis + n : axis;
    });
    const sizes = flat.leaves.flatMap((leaf, k) =>
      axes[k] === null ? [] : [{ arg: owners[k]!, size: (leaf as Tracer).shape[axes[k]!]! }],
    );
    if (sizes.length === 0 && axisSize === undefined)
      throw new JitScopeError(
        "value",
        `${label}: no argument is mapped (every inAxes entry is null); give the batch size as axis_size`,
      );
    const size = axisSize ?? sizes[0]!.size;
    if (sizes.some((s) => s.size !== size)) {
      const given = axisSize === undefined ? "" : `axis_size is ${axisSize}, `;
      throw new JitScopeError(
        "shape",
        `${label}: mapped axes have different sizes: ${given}${sizes.map((s) => `argument ${s.arg} has ${s.size}`).join(", ")}; they must all be equal`,
      );
    }
    const run = () =>
      withNewMain("vmap", makeVmapTrace, { size, axisName } satisfies VmapData, (main) => {
        const trace = new VmapTrace(main);
        const ins = flat.leaves.map((leaf, k) =>
          axes[k] === null || !(leaf instanceof Tracer) ? leaf : new VmapTracer(trace, leaf, axes[k]!),
        );
        const callArgs = unflatten<unknown[]>(flat.treedef, ins).map((a, i) => (through[i] ? list[i] : a));
        const out = (f as unknown as (...a: unknown[]) => unknown)(...callArgs);
        const of = flatten(out, "output");
        const outAxisOf = outAxesPerLeaf(out, of.leaves.length, outAxes, label);
        const leaves = of.leaves.map((o, k) => unbatch(o, main, size, outAxisOf[k]!, label));
        return unflatten<ReturnType<F>>(of.treedef, leaves);
      });
    return scoped ? withName(label, run) : run();
  };
}

/** A result leaf with its batch axis moved to `outAxis` (added by broadcasting if it has none). */
function unbatch(o: unknown, main: MainTrace, size: number, outAxis: number | null, label: string): unknown {
  const leaf = typeof o === "number" ? arrayFromHost([o], [], "float32") : o;
  if (!(leaf instanceof Tracer)) return leaf;
  const ours = leaf instanceof VmapTracer && leaf.ownTrace.main === main;
  const value = ours ? leaf.value : leaf;
  const bdim = ours ? leaf.bdim : null;
  if (outAxis === null) {
    if (bdim !== null)
      throw new JitScopeError("value", `${label}: outAxes is null but the output depends on the mapped axis`);
    return value;
  }
  const rank = value.ndim - (bdim === null ? 0 : 1) + 1;
  const axis = outAxis < 0 ? outAxis + rank : outAxis;
  if (axis < 0 || axis >= rank)
    throw new JitScopeError("axis", `${label}: outAxes ${outAxis} is out of range for an output of rank ${rank - 1}`);
  return withBatchAt(value, bdim, axis, size);
}

function outAxesPerLeaf(out: unknown, count: number, outAxes: OutAxes, label: string): (number | null)[] {
  if (outAxes === null || typeof outAxes === "number") return new Array<number | null>(count).fill(outAxes);
  if (Array.isArray(outAxes) && (!Array.isArray(out) || out.length !== outAxes.length)) {
    throw new JitScopeError(
      "value",
      `${label}: outAxes has ${outAxes.length} entries but the function returned ${Array.isArray(out) ? `${out.length} values` : "one value"}`,
    );
  }
  return axesPerLeaf(outAxes, out, "the output", "outAxes", label);
}
