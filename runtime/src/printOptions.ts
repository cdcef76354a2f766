// NumPy's print options (np.set_printoptions / get_printoptions / printoptions), which JAX's
// arrays print by: how many digits, when to summarise, how wide a line is. One set for the
// process, read by every printed array (console.log, array_str/array_repr, jax.debug.print).

import { JitScopeError } from "./ir/errors.js";

export interface PrintOptions {
  /** Digits after the point at most (NumPy's default 8). */
  readonly precision: number;
  /** Arrays with more elements than this print only their edges. */
  readonly threshold: number;
  /** Elements kept at each edge of a summarised axis. */
  readonly edgeitems: number;
  /** Characters per line before a row wraps. */
  readonly linewidth: number;
  /** Positional notation always, small values printed as 0. */
  readonly suppress: boolean;
  readonly nanstr: string;
  readonly infstr: string;
  /** "-": a sign on negatives only; "+": always; " ": a space where a positive's sign goes. */
  readonly sign: "-" | "+" | " ";
  /** NumPy's floatmode: "maxprec" (up to precision digits, each value its own), "maxprec_equal"
   *  (the same digits for all), "fixed" (exactly precision digits), "unique" (all it takes). */
  readonly floatmode: "maxprec" | "maxprec_equal" | "fixed" | "unique";
}

const DEFAULTS: PrintOptions = {
  precision: 8,
  threshold: 1000,
  edgeitems: 3,
  linewidth: 75,
  suppress: false,
  nanstr: "nan",
  infstr: "inf",
  sign: "-",
  floatmode: "maxprec",
};

let current: PrintOptions = DEFAULTS;

/** The options arrays print by now. */
export function printOptionsNow(): PrintOptions {
  return current;
}

const COUNTS = ["precision", "threshold", "edgeitems", "linewidth"] as const;
const FLOATMODES = ["maxprec", "maxprec_equal", "fixed", "unique"];

function checked(op: string, given: Partial<Record<keyof PrintOptions, unknown>>): Partial<PrintOptions> {
  if (given === null || typeof given !== "object" || Array.isArray(given))
    throw new JitScopeError("value", `${op}: takes an options object ({ precision, threshold, … })`);
  const known = Object.keys(DEFAULTS);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(given)) {
    if (v === undefined || v === null) continue; // NumPy: None leaves an option as it is
    if (!known.includes(key))
      throw new JitScopeError(
        "value",
        key === "formatter" || key === "legacy"
          ? `${op}: ${key} is not supported here`
          : `${op}: unknown option "${key}" (it takes ${known.join(", ")})`,
      );
    const bad = (want: string) =>
      new JitScopeError("value", `${op}: ${key} must be ${want}, got ${JSON.stringify(v) ?? String(v)}`);
    if ((COUNTS as readonly string[]).includes(key)) {
      if (typeof v !== "number" || !(Number.isInteger(v) || v === Infinity) || v < 0) throw bad("a whole number ≥ 0");
    } else if (key === "suppress") {
      if (typeof v !== "boolean") throw bad("true or false");
    } else if (key === "sign") {
      if (v !== "-" && v !== "+" && v !== " ") throw bad('"-", "+" or " "');
    } else if (key === "floatmode") {
      if (typeof v !== "string" || !FLOATMODES.includes(v)) throw bad(FLOATMODES.map((m) => `"${m}"`).join(", "));
    } else if (typeof v !== "string") throw bad("a string");
    out[key] = v;
  }
  return out as Partial<PrintOptions>;
}

/** np.set_printoptions({ precision: 3, suppress: true }): options left out keep their value. */
export function set_printoptions(options: Partial<PrintOptions> = {}): void {
  current = { ...current, ...checked("set_printoptions", options) };
}

/** np.get_printoptions(): a copy of the options in force (with NumPy's legacy and formatter). */
export function get_printoptions(): PrintOptions & { readonly legacy: false; readonly formatter: null } {
  return { ...current, legacy: false, formatter: null };
}

/** np.printoptions(options, fn): NumPy's context manager as a callback, `fn` run under the
 *  options and the previous ones restored after (after its promise settles, if it returns one). */
export function printoptions<T>(options: Partial<PrintOptions>, fn: () => T): T {
  if (typeof fn !== "function")
    throw new JitScopeError(
      "value",
      "printoptions: takes the options and a function to run under them, printoptions({ precision: 3 }, () => console.log(x))",
    );
  const before = current;
  current = { ...current, ...checked("printoptions", options) };
  let result: T;
  try {
    result = fn();
  } catch (e) {
    current = before;
    throw e;
  }
  if (result instanceof Promise) {
    return result.finally(() => {
      current = before;
    }) as T;
  }
  current = before;
  return result;
}
