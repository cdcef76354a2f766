// The flat form of a custom_vjp / custom_jvp function that the dispatcher (customCall.ts) and the
// batching (customBatch.ts) work on: the user's functions over lists of leaves, with the
// structures needed to call them. custom.ts builds one per call from the user's functions.

import type { Tracer } from "./core.js";
import type { Leaf, TreeDef } from "./pytree.js";

/** A pytree as its leaves and structure. */
export interface Flat {
  readonly leaves: readonly Leaf[];
  readonly tree: TreeDef;
}

export interface VjpCore {
  /** The user's function name, for messages ("fn" for an anonymous one). */
  readonly name: string;
  /** The name stack's segment: the name, or "" for an anonymous function (nothing to look for). */
  readonly scope: string;
  /** The primal function. */
  fn(xs: readonly Leaf[]): Flat;
  /** The user's fwd: the outputs and the residuals. */
  fwd(xs: readonly Leaf[]): { out: Flat; res: Flat };
  /** The user's bwd, checked: one cotangent per input leaf (null: zero). */
  bwd(res: Flat, ct: Flat): (Tracer | null)[];
}

export interface JvpCore {
  readonly name: string;
  readonly scope: string;
  fn(xs: readonly Leaf[]): Flat;
  /** The user's rule, checked: the primal outputs and one tangent per output leaf. */
  rule(primals: readonly Leaf[], tangents: readonly Leaf[]): { out: Flat; tangents: readonly Leaf[] };
}
