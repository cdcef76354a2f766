// Shape and dtype rules: what every primitive produces from what it gets. `bind` calls
// `inferAvals` once per op (eager, jit and every transformation), so a bad shape is reported at
// the user's call, before any trace sees it. Errors name the op and the shapes/dtypes involved.
//
// Binary elementwise prims expect inputs already broadcast by the np front end; a rank-0 operand
// (a literal or a 0-d array) is the one exception: it is implicitly broadcast.

import { JitScopeError } from "../ir/errors.js";
import { indexConvAvals } from "./indexConvShapes.js";
import { surfaceAvals } from "./surfaceShapes.js";
import { linalgAvals } from "./linalgShapes.js";
import { scanAvals, whileAvals } from "./loopShapes.js";
import { avalToString, type Aval, type DType, type Primitive, type PrimParams } from "../ir/types.js";

type AnyParams = PrimParams[Primitive];

/** Output avals of `prim` applied to inputs of `inAvals`. Throws a JitScopeError on bad input. */
export function inferAvals<P extends Primitive>(prim: P, params: PrimParams[P], inAvals: readonly Aval[]): Aval[] {
  return rule(prim, params, inAvals);
}

function rule(prim: Primitive, params: AnyParams, ins: readonly Aval[]): Aval[] {
  switch (prim) {
    case "neg":
    case "abs":
    case "sign":
      arity(prim, ins, 1);
      noBool(prim, ins);
      return [ins[0]!];
    case "sqrt":
    case "exp":
    case "log":
    case "sin":
    case "cos":
    case "tanh":
    case "erf":
    case "erfc":
      arity(prim, ins, 1);
      requireDtype(prim, ins[0]!, ["float32"]);
      return [ins[0]!];
    case "logical_not":
      arity(prim, ins, 1);
      requireDtype(prim, ins[0]!, ["bool"]);
      return [ins[0]!];
    case "add":
    case "sub":
    case "mul":
    case "div":
    case "pow":
      arity(prim, ins, 2);
      noBool(prim, ins);
      return [{ shape: elementwiseShape(prim, ins), dtype: sameDtype(prim, ins) }];
    case "optimization_barrier":
      arity(prim, ins, 2);
      requireDtype(prim, ins[0]!, ["float32"]);
      return [{ shape: elementwiseShape(prim, ins), dtype: sameDtype(prim, ins) }];
    case "atan2":
      arity(prim, ins, 2);
      requireDtype(prim, ins[0]!, ["float32"]);
      return [{ shape: elementwiseShape(prim, ins), dtype: sameDtype(prim, ins) }];
    case "max":
    case "min":
      arity(prim, ins, 2);
      return [{ shape: elementwiseShape(prim, ins), dtype: sameDtype(prim, ins) }];
    case "gt":
    case "ge":
    case "lt":
    case "le":
    case "eq":
    case "ne":
      arity(prim, ins, 2);
      sameDtype(prim, ins);
      return [{ shape: elementwiseShape(prim, ins), dtype: "bool" }];
    case "where": {
      arity(prim, ins, 3);
      requireDtype(prim, ins[0]!, ["bool"], "condition");
      const dtype = sameDtype(prim, ins.slice(1));
      return [{ shape: elementwiseShape(prim, ins), dtype }];
    }
    case "cast": {
      arity(prim, ins, 1);
      const { dtype } = params as PrimParams["cast"];
      checkDtype(prim, dtype);
      return [{ shape: ins[0]!.shape, dtype }];
    }
    case "bitwise_and":
    case "bitwise_or":
    case "bitwise_xor":
      arity(prim, ins, 2);
      requireDtype(prim, ins[0]!, ["int32", "bool"]);
      return [{ shape: elementwiseShape(prim, ins), dtype: sameDtype(prim, ins) }];
    case "shift_left":
    case "shift_right_arithmetic":
      arity(prim, ins, 2);
      requireDtype(prim, ins[0]!, ["int32"]);
      return [{ shape: elementwiseShape(prim, ins), dtype: sameDtype(prim, ins) }];
    case "bitcast_convert": {
      arity(prim, ins, 1);
      const { dtype } = params as PrimParams["bitcast_convert"];
      const from = ins[0]!;
      if (from.dtype === "bool" || dtype === "bool")
        throw err("dtype", `${prim}: only float32 and int32 share a width, got ${avalToString(from)} to ${dtype}`);
      return [{ shape: from.shape, dtype }];
    }
    case "random_uniform":
    case "random_bits": {
      arity(prim, ins, 1);
      const key = ins[0]!;
      const { shape } = params as PrimParams["random_uniform"];
      const batched = key.shape.length === 2 && shape.length >= 1 && key.shape[0] === shape[0];
      if (key.dtype !== "int32" || key.shape[key.shape.length - 1] !== 2 || !(key.shape.length === 1 || batched)) {
        throw err(
          "dtype",
          `${prim}: the key must be int32[2] (from random.key), or int32[B, 2] drawing shape [B, ...], got ${avalToString(key)} for shape [${shape}]`,
        );
      }
      checkShape(prim, shape);
      return [{ shape: [...shape], dtype: prim === "random_uniform" ? "float32" : "int32" }];
    }
    case "random_fold_in": {
      arity(prim, ins, 2);
      const [key, data] = [ins[0]!, ins[1]!];
      const batch = key.shape.length === 2 ? [key.shape[0]!] : [];
      if (
        key.dtype !== "int32" ||
        data.dtype !== "int32" ||
        key.shape[key.shape.length - 1] !== 2 ||
        key.shape.length > 2 ||
        String(data.shape) !== String(batch)
      ) {
        throw err(
          "dtype",
          `${prim}: needs an int32[2] key and int32[] data (or int32[B, 2] keys and int32[B] data), got ${avalToString(key)} and ${avalToString(data)}`,
        );
      }
      return [{ shape: [...key.shape], dtype: "int32" }];
    }
    case "iota": {
      arity(prim, ins, 0);
      const { shape, axis, dtype } = params as PrimParams["iota"];
      checkShape(prim, shape);
      checkAxis(prim, axis, shape.length);
      if (dtype === "bool") throw err("dtype", `iota: dtype must be float32 or int32, got bool`);
      checkDtype(prim, dtype);
      return [{ shape: [...shape], dtype }];
    }
    case "reduce_sum":
    case "reduce_max":
    case "reduce_min": {
      arity(prim, ins, 1);
      const x = ins[0]!;
      if (prim === "reduce_sum") noBool(prim, ins);
      const { axes } = params as PrimParams["reduce_sum"];
      checkAxes(prim, axes, x);
      return [{ shape: x.shape.filter((_, i) => !axes.includes(i)), dtype: x.dtype }];
    }
    case "argmax":
    case "argmin": {
      arity(prim, ins, 1);
      const x = ins[0]!;
      const { axis } = params as PrimParams["argmax"];
      checkAxis(prim, axis, x.shape.length, x);
      if (x.shape[axis] === 0) {
        throw err("shape", `${prim}: cannot take ${prim} along axis ${axis} of size 0 (${avalToString(x)})`);
      }
      return [{ shape: x.shape.filter((_, i) => i !== axis), dtype: "int32" }];
    }
    case "reshape": {
      arity(prim, ins, 1);
      const x = ins[0]!;
      const { shape } = params as PrimParams["reshape"];
      checkShape(prim, shape);
      if (size(shape) !== size(x.shape)) {
        throw err(
          "shape",
          `reshape: cannot reshape ${avalToString(x)} (${size(x.shape)} elements) to [${shape.join(",")}] (${size(shape)} elements)`,
        );
      }
      return [{ shape: [...shape], dtype: x.dtype }];
    }
    case "transpose": {
      arity(prim, ins, 1);
      const x = ins[0]!;
      const { perm } = params as PrimParams["transpose"];
      const rank = x.shape.length;
      const seen = new Set(perm);
      if (perm.length !== rank || seen.size !== rank || perm.some((p) => !Number.isInteger(p) || p < 0 || p >= rank)) {
        throw err(
          "axis",
          `transpose: axes [${perm.join(",")}] are not a permutation of the ${rank} axes of ${avalToString(x)}`,
        );
      }
      return [{ shape: perm.map((p) => x.shape[p]!), dtype: x.dtype }];
    }
    case "broadcast": {
      arity(prim, ins, 1);
      const x = ins[0]!;
      const { shape, dims } = params as PrimParams["broadcast"];
      checkShape(prim, shape);
      const bad = (why: string) =>
        err(
          "shape",
          `broadcast: cannot broadcast ${avalToString(x)} to [${shape.join(",")}] with dims [${dims.join(",")}]: ${why}`,
        );
      if (dims.length !== x.shape.length) throw bad(`need one dim per input axis (${x.shape.length})`);
      for (let i = 0; i < dims.length; i++) {
        const d = dims[i]!;
        if (!Number.isInteger(d) || d < 0 || d >= shape.length) throw bad(`dim ${d} is out of range`);
        if (i > 0 && d <= dims[i - 1]!) throw bad("dims must be strictly increasing");
        const n = x.shape[i]!;
        if (n !== 1 && n !== shape[d])
          throw bad(`input axis ${i} has size ${n}, output axis ${d} has size ${shape[d]}`);
      }
      return [{ shape: [...shape], dtype: x.dtype }];
    }
    case "slice": {
      arity(prim, ins, 1);
      const x = ins[0]!;
      const { starts, limits, strides } = params as PrimParams["slice"];
      const rank = x.shape.length;
      if (starts.length !== rank || limits.length !== rank || strides.length !== rank) {
        throw err(
          "shape",
          `slice: starts/limits/strides need ${rank} entries for ${avalToString(x)}, got [${starts}] [${limits}] [${strides}]`,
        );
      }
      const out: number[] = [];
      for (let i = 0; i < rank; i++) {
        const s = starts[i]!,
          l = limits[i]!,
          st = strides[i]!,
          n = x.shape[i]!;
        if (![s, l, st].every(Number.isInteger) || s < 0 || l < s || l > n || st < 1) {
          throw err(
            "shape",
            `slice: axis ${i} of ${avalToString(x)}: start ${s}, limit ${l}, stride ${st} is not a valid range (need 0 <= start <= limit <= ${n}, stride >= 1)`,
          );
        }
        out.push(Math.ceil((l - s) / st));
      }
      return [{ shape: out, dtype: x.dtype }];
    }
    case "pad": {
      arity(prim, ins, 1);
      const x = ins[0]!;
      const { low, high, value } = params as PrimParams["pad"];
      const rank = x.shape.length;
      if (low.length !== rank || high.length !== rank) {
        throw err("shape", `pad: low/high need ${rank} entries for ${avalToString(x)}, got [${low}] [${high}]`);
      }
      if ([...low, ...high].some((p) => !Number.isInteger(p) || p < 0)) {
        throw err("shape", `pad: padding must be non-negative integers, got low [${low}] high [${high}]`);
      }
      if (typeof value !== "number") throw err("value", `pad: value must be a number, got ${String(value)}`);
      return [{ shape: x.shape.map((n, i) => low[i]! + n + high[i]!), dtype: x.dtype }];
    }
    case "concatenate": {
      if (ins.length === 0) throw err("shape", "concatenate: needs at least one array");
      const { axis } = params as PrimParams["concatenate"];
      const first = ins[0]!;
      checkAxis(prim, axis, first.shape.length, first);
      const dtype = sameDtype(prim, ins);
      let total = 0;
      for (const a of ins) {
        const same =
          a.shape.length === first.shape.length && a.shape.every((n, i) => i === axis || n === first.shape[i]);
        if (!same) {
          throw err("shape", `concatenate: shapes ${ins.map(avalToString).join(", ")} differ outside axis ${axis}`);
        }
        total += a.shape[axis]!;
      }
      const shape = [...first.shape];
      shape[axis] = total;
      return [{ shape, dtype }];
    }
    case "matmul": {
      arity(prim, ins, 2);
      const [a, b] = [ins[0]!, ins[1]!];
      noBool(prim, ins);
      const dtype = sameDtype(prim, ins);
      const ra = a.shape.length,
        rb = b.shape.length;
      const shapes = `${avalToString(a)} @ ${avalToString(b)}`;
      if (ra < 2 || rb < 2) throw err("shape", `matmul: both operands need at least 2 dims, got ${shapes}`);
      if (ra !== rb || a.shape.slice(0, -2).some((n, i) => n !== b.shape[i])) {
        throw err("shape", `matmul: batch dims must match (broadcast them first), got ${shapes}`);
      }
      const k1 = a.shape[ra - 1]!,
        k2 = b.shape[rb - 2]!;
      if (k1 !== k2) throw err("shape", `matmul: contracting dims differ (${k1} vs ${k2}) in ${shapes}`);
      return [{ shape: [...a.shape.slice(0, -1), b.shape[rb - 1]!], dtype }];
    }
    case "gather":
    case "scatter":
    case "scatter_sorted":
    case "conv":
      return indexConvAvals(prim, params as PrimParams[typeof prim], ins);
    case "floor":
    case "ceil":
    case "round":
    case "is_nan":
    case "log1p":
    case "expm1":
    case "cumulative":
    case "sort":
    case "rev":
      return surfaceAvals(prim, params as PrimParams[typeof prim], ins);
    case "cholesky":
    case "triangular_solve":
    case "lu":
      return linalgAvals(prim, params as PrimParams[typeof prim], ins);
    case "scan":
      return scanAvals(params as PrimParams["scan"], ins);
    case "while":
      return whileAvals(params as PrimParams["while"], ins);
    case "psum":
    case "pmax":
    case "pmin":
    case "ppermute":
      arity(prim, ins, 1);
      noBool(prim, ins);
      return [ins[0]!];
    case "axis_index":
      arity(prim, ins, 0);
      return [{ shape: [], dtype: "int32" }];
    case "all_gather": {
      arity(prim, ins, 1);
      const { axis, tiled, size } = params as PrimParams["all_gather"];
      const shape = [...ins[0]!.shape];
      if (!(Number.isInteger(axis) && axis >= 0 && axis <= shape.length - (tiled ? 1 : 0)))
        throw new JitScopeError("axis", `all_gather: axis ${axis} is out of range for an operand of shape [${shape}]`);
      if (tiled) shape[axis] = shape[axis]! * size;
      else shape.splice(axis, 0, size);
      return [{ shape, dtype: ins[0]!.dtype }];
    }
    default:
      return prim satisfies never;
  }
}

// ---------------------------------------------------------------------------------------------

function err(kind: "shape" | "dtype" | "axis" | "value", message: string): JitScopeError {
  // `bind` re-attaches the user's location; standalone callers get it from the stack here.
  return new JitScopeError(kind, message);
}

function size(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function arity(prim: Primitive, ins: readonly Aval[], n: number): void {
  if (ins.length !== n) throw err("value", `${prim}: expects ${n} input${n === 1 ? "" : "s"}, got ${ins.length}`);
}

function checkDtype(prim: Primitive, dtype: DType): void {
  if (dtype !== "float32" && dtype !== "int32" && dtype !== "bool") {
    throw err("dtype", `${prim}: unsupported dtype ${JSON.stringify(dtype)} (float32, int32 or bool)`);
  }
}

function requireDtype(prim: Primitive, a: Aval, allowed: readonly DType[], what = "input"): void {
  if (!allowed.includes(a.dtype)) {
    throw err("dtype", `${prim}: ${what} must be ${allowed.join(" or ")}, got ${avalToString(a)}`);
  }
}

function noBool(prim: Primitive, ins: readonly Aval[]): void {
  for (const a of ins) {
    if (a.dtype === "bool")
      throw err(
        "dtype",
        `${prim}: not defined for bool (${ins.map(avalToString).join(", ")}); cast to int32 or float32 first`,
      );
  }
}

function sameDtype(prim: Primitive, ins: readonly Aval[]): DType {
  const d = ins[0]!.dtype;
  if (ins.some((a) => a.dtype !== d)) {
    throw err("dtype", `${prim}: dtypes differ (${ins.map(avalToString).join(", ")}); promote them first`);
  }
  return d;
}

/** All non-scalar operands share one shape; rank-0 operands broadcast implicitly. */
function elementwiseShape(prim: Primitive, ins: readonly Aval[]): readonly number[] {
  let shape: readonly number[] = [];
  for (const a of ins) {
    if (a.shape.length === 0) continue;
    if (shape.length === 0) shape = a.shape;
    else if (a.shape.length !== shape.length || a.shape.some((n, i) => n !== shape[i])) {
      throw err(
        "shape",
        `${prim}: shapes differ (${ins.map(avalToString).join(", ")}); elementwise inputs must be broadcast to one shape`,
      );
    }
  }
  return shape;
}

function checkShape(prim: Primitive, shape: readonly number[]): void {
  if (!Array.isArray(shape) || shape.some((n) => !Number.isInteger(n) || n < 0)) {
    throw err("shape", `${prim}: shape [${String(shape)}] must be a list of non-negative integers`);
  }
}

function checkAxis(prim: Primitive, axis: number, rank: number, a?: Aval): void {
  if (!Number.isInteger(axis) || axis < 0 || axis >= rank) {
    const of = a ? ` of ${avalToString(a)}` : ` for rank ${rank}`;
    throw err("axis", `${prim}: axis ${axis} is out of range${of} (valid: 0..${rank - 1})`);
  }
}

function checkAxes(prim: Primitive, axes: readonly number[], a: Aval): void {
  const rank = a.shape.length;
  for (let i = 0; i < axes.length; i++) {
    const ax = axes[i]!;
    if (!Number.isInteger(ax) || ax < 0 || ax >= rank) {
      throw err("axis", `${prim}: axis ${ax} is out of range of ${avalToString(a)} (valid: 0..${rank - 1})`);
    }
    if (i > 0 && ax <= axes[i - 1]!) {
      throw err("axis", `${prim}: axes [${axes.join(",")}] must be sorted and unique`);
    }
  }
}
