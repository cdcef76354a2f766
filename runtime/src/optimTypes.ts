// The optimizer interface shared by optim.ts and its combinators (optimTransforms.ts).

export interface GradientTransformation<S> {
  init(params: unknown): S;
  /** [updates, new state]: add the updates to the params with `apply_updates`. */
  update(grads: unknown, state: S, params?: unknown): [unknown, S];
}
