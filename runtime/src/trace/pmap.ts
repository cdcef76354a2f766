// jax.pmap on the one device this runtime drives: `pmap(f, axis_name)` maps f over its
// arguments' leading axis as `jit(vmap(f, { axis_name }))` does, so data-parallel code written
// for several devices (its collectives over axis_name included) runs here unchanged, on a
// leading axis of any size (JAX would ask for one device per element). device_count() and
// local_device_count() say 1, so code that shapes its batch as [device_count(), …] gets the
// leading axis of 1 that JAX gives on one device.

import { checkOptions } from "../apiOptions.js";
import { JitScopeError } from "../ir/errors.js";
import { jit } from "./jit.js";
import type { Jitted } from "./jitTypes.js";
import { vmap, type InAxes, type OutAxes } from "./vmap.js";

export interface PmapOptions {
  axis_name?: string;
  in_axes?: InAxes;
  out_axes?: OutAxes;
  /** The mapped size when no argument is mapped. */
  axis_size?: number;
  /** Arguments passed whole to every element and compiled as constants (jit's static_argnums). */
  static_broadcasted_argnums?: number | readonly number[];
  /** Arguments whose storage the call may take (jit's donate_argnums). */
  donate_argnums?: number | readonly number[];
}

type AnyFn = (...args: never[]) => unknown;

/** `pmap(f, axis_name?, options?)` or `pmap(f, options)`: f mapped over the leading axis of its
 *  arguments and compiled, as `jit(vmap(f, { axis_name, in_axes, out_axes, axis_size }))`. */
export function pmap<F extends AnyFn>(f: F, axisName?: string | PmapOptions, options: PmapOptions = {}): Jitted<F> {
  const opts: PmapOptions = typeof axisName === "string" ? { ...options, axis_name: axisName } : (axisName ?? options);
  checkOptions("pmap", opts, [
    "axis_name",
    "in_axes",
    "out_axes",
    "axis_size",
    "static_broadcasted_argnums",
    "donate_argnums",
  ]);
  if (typeof f !== "function") throw new JitScopeError("value", `pmap: expected a function, got ${typeof f}`);
  const statics = opts.static_broadcasted_argnums ?? [];
  const staticList = typeof statics === "number" ? [statics] : [...statics];
  const inAxes = opts.in_axes ?? 0;
  // Static arguments are passed whole to every element: not mapped.
  const axesFor = (n: number): InAxes =>
    staticList.length === 0
      ? inAxes
      : Array.from({ length: n }, (_, i) =>
          staticList.includes(i) ? null : Array.isArray(inAxes) ? (inAxes[i] ?? null) : (inAxes as number | null),
        );
  const mapped = (...args: unknown[]): unknown =>
    (vmap as (g: AnyFn, o: object) => (...a: unknown[]) => unknown)(f, {
      in_axes: axesFor(args.length),
      out_axes: opts.out_axes ?? 0,
      ...(opts.axis_name === undefined ? {} : { axis_name: opts.axis_name }),
      ...(opts.axis_size === undefined ? {} : { axis_size: opts.axis_size }),
    })(...args);
  // Unnamed, so that jit names it as it names an anonymous function: by the variable the pmap
  // is bound to (`const step = pmap(…)` reads "step").
  Object.defineProperty(mapped, "name", { value: "" });
  return jit(mapped as unknown as F, {
    ...(staticList.length ? { static_argnums: staticList } : {}),
    ...(opts.donate_argnums === undefined ? {} : { donate_argnums: opts.donate_argnums }),
    ...(f.name ? { name: `pmap(${f.name})` } : {}),
  });
}

/** The number of devices: one (the WebGPU adapter, or the CPU reference). */
export const device_count = (): number => 1;

/** The number of devices this process drives: one. */
export const local_device_count = (): number => 1;
