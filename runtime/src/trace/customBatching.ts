// jax.custom_batching: `custom_vmap(fun)` is `fun` with a hand-written batching rule, given by
// `f.def_vmap(rule)`; under vmap the rule runs instead of fun's own ops, so a batch can take a
// different algorithm (a matrix-vector product batched as one matmul). `rule(axisSize,
// inBatched, ...args)` gets the arguments with their batch axis first where `inBatched` (one
// boolean per array, in the arguments' structure) says so, and returns `[out, outBatched]`.
// sequential_vmap is in ../customBatching.ts (it loops with lax.map). What runs under each
// transformation is customVmap.ts's.

import { JitScopeError } from "../ir/errors.js";
import { Tracer } from "./core.js";
import { callCustomVmap, type VmapCore } from "./customVmap.js";
import { flatten, flattenWith, treedefDiff, unflatten, type TreeDef } from "./pytree.js";
import { asArrays, fnName } from "./transformUtil.js";
import type { Flat } from "./customTypes.js";

type Fn = (...args: never[]) => unknown;

/** `rule(axisSize, inBatched, ...args)` → `[out, outBatched]`. */
export type VmapRule = (axisSize: number, inBatched: unknown[], ...args: never[]) => readonly [unknown, unknown];

export interface CustomVmapFunction<F extends Fn> {
  (...args: Parameters<F>): ReturnType<F>;
  /** Sets the batching rule; returns the function itself (JAX's returns the rule). */
  def_vmap(rule: VmapRule): this;
}

/** Array leaves (numbers as float32 scalars) and structure of `x`, refusing what is no pytree. */
function flatArrays(x: unknown, what: string, label: string): { leaves: Tracer[]; tree: TreeDef } {
  try {
    const f = flatten(asArrays(x), what);
    return { leaves: f.leaves as Tracer[], tree: f.treedef };
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    throw new JitScopeError("value", `${label}: ${e.message.replace(/^jit: /, "")}; custom_vmap takes arrays`);
  }
}

/** The rule's `[out, outBatched]`, checked: the flags match out's structure, and every output it
 *  calls batched has the batch axis first. */
function checkRuleResult(r: unknown, axisSize: number, label: string): { out: Flat; batched: boolean[] } {
  if (!Array.isArray(r) || r.length !== 2)
    throw new JitScopeError(
      "value",
      `${label}: the vmap rule must return [out, outBatched], got ${Array.isArray(r) ? `a list of ${r.length}` : typeof r}`,
    );
  const out = flatArrays(r[0], "rule output", label);
  const flags = flattenWith(r[1], "outBatched", (x) => typeof x === "boolean");
  const diff = treedefDiff(out.tree, flags.treedef, "outBatched");
  if (diff !== null || flags.leaves.some((b) => typeof b !== "boolean"))
    throw new JitScopeError(
      "value",
      `${label}: the structure of the vmap rule's output and of its outBatched do not match` +
        `${diff ? ` (${diff})` : ""}; give one boolean per output array`,
    );
  const batched = flags.leaves as boolean[];
  out.leaves.forEach((o, i) => {
    if (batched[i] && o.shape[0] !== axisSize)
      throw new JitScopeError(
        "shape",
        `${label}: the vmap rule says output ${i} is batched, but its shape [${o.shape}] does not start with the batch size ${axisSize}`,
      );
  });
  return { out: { leaves: out.leaves, tree: out.tree }, batched };
}

/** `custom_vmap(fun)`: `fun`, batched under vmap by the rule that `f.def_vmap(rule)` gives. */
export function custom_vmap<F extends Fn>(fun: F): CustomVmapFunction<F> {
  if (typeof fun !== "function")
    throw new JitScopeError("value", `custom_vmap: fun must be a function, got ${typeof fun}`);
  const name = fnName(fun);
  const label = `custom_vmap(${name})`;
  let rule: VmapRule | null = null;
  const f = ((...args: unknown[]): unknown => {
    const ins = flatArrays(args, "argument", label);
    const core: VmapCore = {
      name,
      scope: fun.name ? name : "",
      fn: (xs) => {
        const o = flatArrays(
          (fun as unknown as (...a: unknown[]) => unknown)(...unflatten<unknown[]>(ins.tree, xs)),
          "output",
          label,
        );
        return { leaves: o.leaves, tree: o.tree };
      },
      rule: (axisSize, batched, xs) => {
        if (!rule)
          throw new JitScopeError(
            "value",
            `No batching rule defined for custom_vmap function ${name} using def_vmap: call ${name}.def_vmap(rule) first`,
          );
        const r = (rule as (...a: unknown[]) => unknown)(
          axisSize,
          unflatten<unknown[]>(ins.tree, batched),
          ...unflatten<unknown[]>(ins.tree, xs),
        );
        return checkRuleResult(r, axisSize, label);
      },
    };
    const out = callCustomVmap(core, ins.leaves);
    return unflatten(out.tree, out.leaves);
  }) as unknown as CustomVmapFunction<F>;
  Object.defineProperty(f, "name", { value: name });
  f.def_vmap = function (r) {
    if (typeof r !== "function")
      throw new JitScopeError("value", `${label}.def_vmap(rule): the rule must be a function`);
    rule = r;
    return this;
  };
  return f;
}
