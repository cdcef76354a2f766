// `named_scope(name, fn)`: jax.named_scope as a function of a callback (JS has no `with`). The ops
// `fn` traces under jit are grouped under `name` in every pass's graph and the Kernels table's
// Scope column; eagerly it only calls `fn`. Nested calls nest; the same scope called twice
// reads `name #1`, `name #2`, as a helper function called twice does.

import { JitScopeError } from "../ir/errors.js";
import { withScope } from "./scopeCalls.js";

export function named_scope<R>(name: string, fn: () => R): R {
  if (typeof name !== "string" || name.trim() === "")
    throw new JitScopeError("value", `named_scope: the name must be a non-empty string, got ${JSON.stringify(name)}`);
  // "/" joins a scope path and "#k" numbers a scope's calls: either inside a name would misread.
  if (/[/#]/.test(name))
    throw new JitScopeError(
      "value",
      `named_scope: the name "${name}" may not contain "/" or "#"; nest named_scope calls instead`,
    );
  if (typeof fn !== "function")
    throw new JitScopeError(
      "value",
      `named_scope("${name}", fn): fn must be a function of no arguments, got ${typeof fn}`,
    );
  return withScope(name.trim(), fn);
}
