// jax.custom_batching as a namespace: custom_vmap (trace/customBatching.ts) and
// `sequential_vmap(fun)`, a custom_vmap whose rule calls `fun` on each batch element in turn
// (lax.map), for a function with no batched form. Here, not in trace/, because it loops with lax.

import { map as laxMap } from "./lax/control.js";
import { flatten, flattenWith, unflatten } from "./trace/pytree.js";
import { custom_vmap, type CustomVmapFunction, type VmapRule } from "./trace/customBatching.js";

export { custom_vmap } from "./trace/customBatching.js";
export type { CustomVmapFunction, VmapRule } from "./trace/customBatching.js";

type Fn = (...args: never[]) => unknown;

/** `sequential_vmap(fun)`: a custom_vmap whose rule calls `fun` on each batch element in a loop
 *  (lax.map), for a function that has no batched form. */
export function sequential_vmap<F extends Fn>(fun: F): CustomVmapFunction<F> {
  const f = custom_vmap(fun);
  return f.def_vmap(((_axisSize: number, inBatched: unknown[], ...args: unknown[]) => {
    const { leaves, treedef } = flatten(args, "argument");
    const flags = flattenWith(inBatched, "inBatched", (x) => typeof x === "boolean").leaves as boolean[];
    const mapped = leaves.filter((_, i) => flags[i]);
    const out = laxMap((ms: unknown[]) => {
      let k = 0;
      const merged = leaves.map((l, i) => (flags[i] ? ms[k++] : l));
      return (f as unknown as (...a: unknown[]) => unknown)(...unflatten<unknown[]>(treedef, merged));
    }, mapped);
    const outFlat = flatten(out, "output");
    return [
      out,
      unflatten(
        outFlat.treedef,
        outFlat.leaves.map(() => true),
      ),
    ];
  }) as unknown as VmapRule);
}
