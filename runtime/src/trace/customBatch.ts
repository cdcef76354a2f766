// vmap of a custom_vjp / custom_jvp function (as JAX batches custom_vjp_call): the function and
// its rules are each vmapped, giving a new custom function over the batched values, which the
// dispatcher then calls one level down. Batched inputs arrive with their batch axis first;
// unbatched ones stay as they are. Every output, residual and tangent of the batched rules has
// its batch axis first, and a cotangent for an unbatched input is summed over the batch.

import { Tracer } from "./core.js";
import * as L from "./rules/lax.js";
import type { Leaf, TreeDef } from "./pytree.js";
import type { JvpCore, VjpCore } from "./customTypes.js";
import { vmap } from "./vmap.js";

type Axes = readonly (0 | null)[];

/** `f` over a list of leaves, vmapped with one axis per leaf; every result leaf batched at 0. */
function vmapLeaves(f: (xs: readonly Leaf[]) => readonly unknown[], axes: Axes, xs: readonly Leaf[]): unknown[] {
  const g = (...ls: Leaf[]): unknown[] => [...f(ls)];
  Object.defineProperty(g, "name", { value: "custom" });
  return vmap(g, axes, 0)(...xs) as unknown[];
}

const asLeaves = (xs: readonly unknown[]): Leaf[] => xs as Leaf[];

export function batchVjpCore(core: VjpCore, axes: Axes): VjpCore {
  return {
    name: core.name,
    scope: core.scope,
    fn(xs) {
      let tree: TreeDef | null = null;
      const leaves = vmapLeaves(
        (ls) => {
          const o = core.fn(ls);
          tree = o.tree;
          return o.leaves;
        },
        axes,
        xs,
      );
      return { leaves: asLeaves(leaves), tree: tree! };
    },
    fwd(xs) {
      let outTree: TreeDef | null = null;
      let resTree: TreeDef | null = null;
      let nOut = 0;
      const leaves = vmapLeaves(
        (ls) => {
          const { out, res } = core.fwd(ls);
          outTree = out.tree;
          resTree = res.tree;
          nOut = out.leaves.length;
          return [...out.leaves, ...res.leaves];
        },
        axes,
        xs,
      );
      return {
        out: { leaves: asLeaves(leaves.slice(0, nOut)), tree: outTree! },
        res: { leaves: asLeaves(leaves.slice(nOut)), tree: resTree! },
      };
    },
    bwd(res, ct) {
      const n = res.leaves.length;
      const all = [...res.leaves, ...ct.leaves];
      const cts = vmapLeaves(
        (ls) => core.bwd({ leaves: ls.slice(0, n), tree: res.tree }, { leaves: ls.slice(n), tree: ct.tree }),
        all.map(() => 0),
        all,
      );
      return cts.map((c, i) => {
        if (!(c instanceof Tracer)) return null;
        return axes[i] === null ? (L.reduceSum(c, [0]) as Tracer) : c;
      });
    },
  };
}

export function batchJvpCore(core: JvpCore, axes: Axes): JvpCore {
  return {
    name: core.name,
    scope: core.scope,
    fn: batchVjpCore({ ...core, fwd: unused, bwd: unused }, axes).fn,
    rule(primals, tangents) {
      const n = primals.length;
      let tree: TreeDef | null = null;
      let nOut = 0;
      const leaves = vmapLeaves(
        (ls) => {
          const r = core.rule(ls.slice(0, n), ls.slice(n));
          tree = r.out.tree;
          nOut = r.out.leaves.length;
          return [...r.out.leaves, ...r.tangents];
        },
        [...axes, ...axes],
        [...primals, ...tangents],
      );
      return { out: { leaves: asLeaves(leaves.slice(0, nOut)), tree: tree! }, tangents: asLeaves(leaves.slice(nOut)) };
    },
  };
}

function unused(): never {
  throw new Error("internal: custom_jvp has no fwd/bwd");
}
