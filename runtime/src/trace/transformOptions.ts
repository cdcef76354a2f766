// The options objects of jit and grad take JAX's keyword names (`static_argnums`, `has_aux`), as
// every other options object of the API does (README: "Names"); the camelCase spellings from
// before that rule stay as aliases. An option the transform does not know is an error that names
// it: left unread, `{ static_argnames: … }` would only surface later as a confusing failure.

import { JitScopeError } from "../ir/errors.js";

/**
 * grad, value_and_grad, jacfwd, jacrev and hessian take argnums positionally
 * (`grad(f, 1, { has_aux: true })`) or, as JAX's keywords read in JS, inside the options
 * (`grad(f, { argnums: 1, has_aux: true })`). Returns the argnums (undefined: the default) and
 * the options without it.
 */
export function argnumsAndOptions(
  fn: string,
  second: unknown,
  third: unknown,
): { argnums: unknown; options: Record<string, unknown> } {
  const isOptions = typeof second === "object" && second !== null && !Array.isArray(second);
  if (!isOptions) {
    const options = (third ?? {}) as Record<string, unknown>;
    if (typeof options === "object" && options !== null && options.argnums !== undefined)
      throw new JitScopeError("value", `${fn}: argnums given twice, as an argument and as an option`);
    return { argnums: second, options };
  }
  if (third !== undefined)
    throw new JitScopeError(
      "value",
      `${fn}: options given twice; pass either ${fn}(f, { argnums, ... }) or ${fn}(f, argnums, { ... })`,
    );
  const { argnums, ...options } = second as Record<string, unknown>;
  return { argnums, options };
}
