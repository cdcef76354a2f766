// The options objects of jit and grad take JAX's keyword names (`static_argnums`, `has_aux`), as
// every other options object of the API does (README: "Names"); the camelCase spellings from
// before that rule stay as aliases. An option the transform does not know is an error that names
// it: left unread, `{ static_argnames: … }` would only surface later as a confusing failure.

import { JitScopeError } from "../ir/errors.js";

/** Throws when `options` holds a key outside `known`, or two spellings of one option that
 *  disagree (`aliases`: the camelCase alias → JAX's name). */
export function checkTransformOptions(
  fn: string,
  options: object,
  known: readonly string[],
  aliases: Readonly<Record<string, string>>,
): void {
  if (typeof options !== "object" || options === null || Array.isArray(options))
    throw new JitScopeError(
      "value",
      `${fn}: options must be an object such as { ${known[0]}: … }, got ${String(options)}`,
    );
  const given = options as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (given[key] === undefined) continue;
    if (!known.includes(key) && !(key in aliases))
      throw new JitScopeError("value", `${fn}: unknown option "${key}" (it takes ${known.join(", ")})`);
    const jaxName = aliases[key];
    if (
      jaxName !== undefined &&
      given[jaxName] !== undefined &&
      JSON.stringify(given[jaxName]) !== JSON.stringify(given[key])
    )
      throw new JitScopeError("value", `${fn}: ${jaxName} and its alias ${key} disagree; give ${jaxName} only`);
  }
}
