// The last options object of an API call (JAX's keyword arguments, README "Names") is checked
// against the names its function takes. Left unread, a misspelled option changes a result with no
// word: `np.mean(x, -1, { keepDims: true })` drops the axis, `random.uniform(k, [n], { minVal: 5 })`
// samples [0, 1). A value that is not an object (`np.mean(x, -1, true)`, Python's positional
// keepdims) is refused the same way.

import { JitScopeError } from "./ir/errors.js";

/**
 * Throws when `options` is not an object, or holds a key outside `known` (an `aliases` key, an
 * older spelling → JAX's name, is accepted; the two spellings must not disagree). A key set to
 * undefined counts as absent. The message names the function, the key, the spelling it most
 * likely meant (camelCase for JAX's snake_case, a typo) and every name the function takes.
 */
export function checkOptions<T extends object>(
  fn: string,
  options: T | null | undefined,
  known: readonly (keyof T & string)[],
  aliases: Readonly<Record<string, string>> = {},
): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    const meant = positionalMeaning(options, known);
    throw new JitScopeError(
      "value",
      `${fn}: options must be an object such as { ${known[0] ?? "…"}: … }, got ${describe(options)}` +
        (meant ? `; write { ${meant}: ${describe(options)} }` : ""),
    );
  }
  const given = options as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (given[key] === undefined || known.includes(key as keyof T & string)) continue;
    const jaxName = aliases[key];
    if (jaxName === undefined) {
      const guess = likelyMeant(key, known);
      throw new JitScopeError(
        "value",
        `${fn}: unknown option "${key}"${guess ? `: did you mean "${guess}"?` : ""} (it takes ${known.join(", ")})`,
      );
    }
    if (given[jaxName] !== undefined && JSON.stringify(given[jaxName]) !== JSON.stringify(given[key]))
      throw new JitScopeError("value", `${fn}: ${jaxName} and its alias ${key} disagree; give ${jaxName} only`);
  }
}

/** The option a bare value most likely stands for, as Python passes it by position: a dtype name
 *  for `np.zeros(shape, "int32")`, a boolean for keepdims. */
function positionalMeaning(v: unknown, known: readonly string[]): string | undefined {
  if (typeof v === "string" && known.includes("dtype")) return "dtype";
  if (typeof v === "boolean" && known.includes("keepdims")) return "keepdims";
  return undefined;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return `a list [${v.map(String).join(", ")}]`;
  if (typeof v === "string") return JSON.stringify(v);
  return String(v);
}

/** The known name `key` most likely stands for: the same letters once case and underscores are
 *  ignored (keepDims, is_Causal), else one at most two edits away (is_casual), else none. */
export function likelyMeant(key: string, known: readonly string[]): string | undefined {
  const bare = (s: string) => s.toLowerCase().replace(/_/g, "");
  const same = known.find((k) => bare(k) === bare(key));
  if (same) return same;
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(bare(k), bare(key));
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

/** Levenshtein distance, a transposition of neighbours counting as one edit. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[a.length]![b.length]!;
}
