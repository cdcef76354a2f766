// Creation: arrays made on the host from JS values and placed on the current backend.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import type { DType } from "../ir/types.js";
import { Tracer } from "../trace/core.js";
import { hostArray, hostBuffer } from "./host.js";
import { stagedArange, stagedEye, stagedFill, stagesCreation } from "./stagedCreation.js";
import { cast, numberDType } from "./promote.js";
import { stack } from "./shape.js";
import { checkDType, checkShape, product } from "./validate.js";

export interface DTypeOption {
  dtype?: DType;
}

/** Nested JS lists of numbers, booleans or arrays, any depth (rectangular). */
export type NestedList = number | boolean | Tracer | readonly NestedList[];
export type TypedArrayInput =
  Float32Array | Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array | Uint16Array;

/**
 * `np.array(value, { dtype })`: nested lists (rectangular), a typed array (1-D), a number, or an
 * existing Array. Default dtype: float32 for numbers and nested number lists (as the issue asks),
 * bool for nested booleans, int32 for integer typed arrays, float32 for float typed arrays.
 * A list holding arrays stacks them (as jnp.array([x, y])); dtypes promote.
 */
export function array(value: NestedList | TypedArrayInput | Tracer, options: DTypeOption = {}): Tracer {
  checkOptions("array", options, ["dtype"]);
  const requested = options.dtype === undefined ? undefined : checkDType("array", options.dtype);
  if (value instanceof Tracer) return requested ? cast(value, requested) : value;
  if (ArrayBuffer.isView(value)) {
    const dtype = requested ?? (value instanceof Float32Array || value instanceof Float64Array ? "float32" : "int32");
    const buf = hostBuffer(dtype, value.length);
    for (let i = 0; i < value.length; i++) buf[i] = dtype === "bool" ? (value[i] !== 0 ? 1 : 0) : value[i]!;
    return hostArray(buf, [value.length], dtype);
  }
  if (Array.isArray(value) && containsArray(value)) {
    const parts = value.map((v) => array(v as NestedList));
    return stack(requested ? parts.map((p) => cast(p, requested)) : parts, 0);
  }
  const shape: number[] = [];
  const flat: (number | boolean)[] = [];
  flatten(value, 0, shape, flat);
  if (flat.length !== product(shape))
    throw new JitScopeError(
      "shape",
      `array: ragged nested list (lengths ${JSON.stringify(shape)} do not hold ${flat.length} values)`,
    );
  const allBool = flat.length > 0 && flat.every((v) => typeof v === "boolean");
  const dtype = requested ?? (allBool ? "bool" : "float32");
  const buf = hostBuffer(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = Number(flat[i]);
    buf[i] = dtype === "bool" ? (v !== 0 ? 1 : 0) : v;
  }
  return hostArray(buf, shape, dtype);
}

function containsArray(v: NestedList): boolean {
  return v instanceof Tracer || (Array.isArray(v) && v.some((x) => containsArray(x as NestedList)));
}

function flatten(v: NestedList, depth: number, shape: number[], out: (number | boolean)[]): void {
  if (Array.isArray(v)) {
    if (depth === shape.length) {
      shape.push(v.length);
    } else if (shape[depth] !== v.length) {
      throw new JitScopeError(
        "shape",
        `array: ragged nested list: a list at depth ${depth} has length ${v.length}, expected ${shape[depth]}`,
      );
    }
    for (const x of v) flatten(x as NestedList, depth + 1, shape, out);
    return;
  }
  if (depth !== shape.length && shape.length > 0) {
    throw new JitScopeError(
      "shape",
      `array: ragged nested list: found a number at depth ${depth}, expected a list of length ${shape[depth]}`,
    );
  }
  if (typeof v === "number" || typeof v === "boolean") {
    if (shape.length > depth) throw new JitScopeError("shape", `array: ragged nested list at depth ${depth}`);
    out.push(v);
    return;
  }
  throw new JitScopeError(
    "value",
    `array: expected numbers, booleans or lists of them, got ${v === null ? "null" : typeof v}`,
  );
}

export function full(shape: number | readonly number[], value: number | boolean, options: DTypeOption = {}): Tracer {
  checkOptions("full", options, ["dtype"]);
  const dims = checkShape("full", shape);
  const v = Number(value);
  const dtype =
    options.dtype === undefined ? (typeof value === "boolean" ? "bool" : "float32") : checkDType("full", options.dtype);
  if (stagesCreation(dims)) return stagedFill(dims, v, dtype);
  return hostArray(hostBuffer(dtype, product(dims), v), dims, dtype);
}

export const zeros = (shape: number | readonly number[], options: DTypeOption = {}): Tracer =>
  filled("zeros", shape, 0, options);
export const ones = (shape: number | readonly number[], options: DTypeOption = {}): Tracer =>
  filled("ones", shape, 1, options);

function filled(op: string, shape: number | readonly number[], v: number, options: DTypeOption): Tracer {
  checkOptions(op, options, ["dtype"]);
  const dims = checkShape(op, shape);
  const dtype = options.dtype === undefined ? "float32" : checkDType(op, options.dtype);
  if (stagesCreation(dims)) return stagedFill(dims, v, dtype);
  return hostArray(hostBuffer(dtype, product(dims), v), dims, dtype);
}

/** Same shape as `x`, filled with zeros / ones (dtype of x unless given). */
export function zeros_like(x: Tracer, options: DTypeOption = {}): Tracer {
  checkOptions("zeros_like", options, ["dtype"]);
  return zeros(x.shape, { dtype: options.dtype ?? x.dtype });
}
export function ones_like(x: Tracer, options: DTypeOption = {}): Tracer {
  checkOptions("ones_like", options, ["dtype"]);
  return ones(x.shape, { dtype: options.dtype ?? x.dtype });
}

/**
 * `arange(stop)` or `arange(start, stop, step = 1)`: values start, start+step, … below stop
 * (above it for a negative step). int32 when every argument is an integer, else float32. The
 * options (`{ dtype }`) come last, after as many numbers as were given, as JAX's keyword does.
 */
export function arange(stop: number, options?: DTypeOption): Tracer;
export function arange(start: number, stop: number | undefined, options?: DTypeOption): Tracer;
export function arange(
  start: number,
  stop: number | undefined,
  step: number | undefined,
  options?: DTypeOption,
): Tracer;
export function arange(startOrStop: number, ...rest: (number | DTypeOption | undefined)[]): Tracer {
  const last = rest[rest.length - 1];
  const options: DTypeOption = typeof last === "object" && last !== null ? (rest.pop() as DTypeOption) : {};
  checkOptions("arange", options, ["dtype"]);
  if (rest.length > 2 || rest.some((x) => typeof x === "object"))
    throw new JitScopeError("value", "arange: takes (stop), (start, stop) or (start, stop, step), then { dtype }");
  const [stop, step] = rest as (number | undefined)[];
  const [start, end, inc] = stop === undefined ? [0, startOrStop, 1] : [startOrStop, stop, step ?? 1];
  for (const [name, v] of [
    ["start", start],
    ["stop", end],
    ["step", inc],
  ] as const) {
    if (typeof v !== "number" || !Number.isFinite(v))
      throw new JitScopeError("value", `arange: ${name} must be a finite number, got ${String(v)}`);
  }
  if (inc === 0) throw new JitScopeError("value", "arange: step must not be 0");
  const n = Math.max(0, Math.ceil((end - start) / inc));
  const dtype =
    options.dtype ??
    (numberDType(start) === "int32" && numberDType(end) === "int32" && numberDType(inc) === "int32"
      ? "int32"
      : "float32");
  checkDType("arange", dtype);
  const staged = stagesCreation([n]) ? stagedArange(start, inc, n, dtype) : null;
  if (staged) return staged;
  const buf = hostBuffer(dtype, n);
  for (let i = 0; i < n; i++) buf[i] = start + i * inc;
  return hostArray(buf, [n], dtype);
}

/** `num` evenly spaced float32 values from start to stop (both included unless endpoint: false). */
export function linspace(
  start: number,
  stop: number,
  num = 50,
  options: { endpoint?: boolean; dtype?: DType } = {},
): Tracer {
  checkOptions("linspace", options, ["endpoint", "dtype"]);
  for (const [name, v] of [
    ["start", start],
    ["stop", stop],
  ] as const) {
    if (typeof v !== "number" || !Number.isFinite(v))
      throw new JitScopeError("value", `linspace: ${name} must be a finite number, got ${String(v)}`);
  }
  const [n] = checkShape("linspace", [num]);
  const endpoint = options.endpoint ?? true;
  const dtype = options.dtype === undefined ? "float32" : checkDType("linspace", options.dtype);
  const div = endpoint ? n! - 1 : n!;
  const stepSize = div > 0 ? (stop - start) / div : 0;
  const buf = hostBuffer(dtype, n!);
  for (let i = 0; i < n!; i++) buf[i] = start + i * stepSize;
  if (endpoint && n! > 1) buf[n! - 1] = stop;
  return hostArray(buf, [n!], dtype);
}

/** Identity-like matrix: n×m (m = n) with ones on diagonal `k` (0 main, >0 above, <0 below). */
export function eye(n: number, m?: number, k = 0, options: DTypeOption = {}): Tracer {
  checkOptions("eye", options, ["dtype"]);
  const [rows, cols] = checkShape("eye", [n, m ?? n]);
  if (!Number.isInteger(k)) throw new JitScopeError("value", `eye: diagonal offset k must be an integer, got ${k}`);
  const dtype = options.dtype === undefined ? "float32" : checkDType("eye", options.dtype);
  if (stagesCreation([rows!, cols!])) return stagedEye(rows!, cols!, k, dtype);
  const buf = hostBuffer(dtype, rows! * cols!);
  for (let i = 0; i < rows!; i++) {
    const j = i + k;
    if (j >= 0 && j < cols!) buf[i * cols! + j] = 1;
  }
  return hostArray(buf, [rows!, cols!], dtype);
}
