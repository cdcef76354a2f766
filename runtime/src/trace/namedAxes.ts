// vmap's named axes (JAX's `axis_name`). A collective (lax.psum, pmax, pmin) names the vmap it
// reduces over; bind hands it to that vmap's trace (core.ts: `collectiveFloor`), which replaces
// it with a reduction over its batch axis (trace/vmap.ts).

import { activeMains, namedVmapMain, type MainTrace } from "./core.js";
import { JitScopeError } from "../ir/errors.js";
import { isCollectivePrim, type CollectivePrim } from "../ir/types.js";

/** The primitives that name a vmap axis. */
export type Collective = CollectivePrim;
export const isCollective = isCollectivePrim;

/** What a vmap keeps in its main trace: its batch size and its axis name, if it was given one. */
export interface VmapData {
  readonly size: number;
  readonly axisName: string | null;
}

/** The innermost active vmap named `name`; `op` names the caller in the error if there is none. */
export function namedVmap(name: string, op: string): MainTrace {
  const main = namedVmapMain(name);
  if (main) return main;
  const named = activeMains().flatMap((m) => {
    const n = m.kind === "vmap" ? (m.globalData as VmapData).axisName : null;
    return n === null ? [] : [`"${n}"`];
  });
  const known = named.length ? `; the vmaps running name ${named.join(", ")}` : "";
  throw new JitScopeError(
    "value",
    `${op}: no vmap names the axis "${name}"${known}; name one with vmap(f, { axis_name: "${name}" })`,
  );
}

/** The batch size of the vmap named `name`. */
export function namedAxisSize(name: string, op: string): number {
  return (namedVmap(name, op).globalData as VmapData).size;
}
