// tree_util.Partial, as JAX's: a function with leading arguments bound that is itself a pytree,
// its bound arguments the children and the function the aux, so it can be passed to a jitted
// function (its arrays traced, not baked in) or returned from one. Calling it calls the
// function with the bound arguments first. A JS function object whose prototype is Partial's,
// so `p(x)` works and the pytree registry finds its class.

import { JitScopeError } from "../ir/errors.js";
import { register_pytree_node } from "./pytreeNodes.js";

export interface Partial {
  (...rest: unknown[]): unknown;
  readonly func: (...args: never[]) => unknown;
  readonly args: readonly unknown[];
}

/** `Partial(fn, ...args)`: `fn` with `args` bound first (callable with or without `new`). */
export const Partial = function Partial(fn: (...args: never[]) => unknown, ...args: unknown[]): Partial {
  if (typeof fn !== "function")
    throw new JitScopeError("value", `tree_util.Partial: the first argument must be a function, got ${typeof fn}`);
  const call = fn as unknown as (...a: unknown[]) => unknown;
  const p = ((...rest: unknown[]) => call(...args, ...rest)) as unknown as Partial & { func: unknown; args: unknown };
  Object.setPrototypeOf(p, Partial.prototype);
  Object.defineProperty(p, "func", { value: fn, enumerable: true });
  Object.defineProperty(p, "args", { value: args, enumerable: true });
  return p;
} as unknown as { new (fn: (...args: never[]) => unknown, ...args: unknown[]): Partial } & ((
  fn: (...args: never[]) => unknown,
  ...args: unknown[]
) => Partial);

Object.setPrototypeOf(Partial.prototype, Function.prototype);

register_pytree_node(
  Partial as unknown as abstract new () => Partial,
  (p) => [p.args, p.func],
  (func, args) => Partial(func as (...a: never[]) => unknown, ...args),
);
