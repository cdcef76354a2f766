// What a checkpointed function keeps for the backward pass besides its inputs, as JAX's
// `jax.checkpoint_policies`: a policy sees each op the function applies to a differentiated
// value (its primitive, input avals and params) and says whether its outputs are saved (kept
// from the forward pass) or recomputed in the backward pass. JAX's default saves nothing.

import type { Aval, Primitive, PrimParams } from "../ir/types.js";

/** `(prim, inputAvals, params) => save?` (JAX's policies get `(prim, *avals, **params)`). */
export type CheckpointPolicy = (prim: Primitive, inputs: readonly Aval[], params: PrimParams[Primitive]) => boolean;

const isDot = (prim: Primitive): boolean => prim === "matmul";

export const checkpoint_policies = {
  /** Recompute everything (the default). */
  nothing_saveable: (() => false) as CheckpointPolicy,
  /** Save everything: no recomputation (the same memory as no checkpoint). */
  everything_saveable: (() => true) as CheckpointPolicy,
  /** Save the results of matrix products (our `matmul`, JAX's dot_general); recompute the
   *  elementwise ops around them. */
  dots_saveable: ((prim) => isDot(prim)) as CheckpointPolicy,
  /** JAX's other name for dots_saveable. */
  checkpoint_dots: ((prim) => isDot(prim)) as CheckpointPolicy,
  /** Save matrix products without batch dimensions (both operands 2-D). */
  dots_with_no_batch_dims_saveable: ((prim, inputs) =>
    isDot(prim) && inputs.every((a) => a.shape.length <= 2)) as CheckpointPolicy,
} as const;
