// A few composable checks for untrusted JSON. Each check either returns the value (typed) or
// throws a ReportSchemaError naming the path of the first bad field, e.g.
// "kernels[3].gpuTimesNs must be an array of numbers".

export class ReportSchemaError extends Error {
  override name = "ReportSchemaError";
}

export type Check<T> = (v: unknown, path: string) => T;

export function fail(path: string, what: string): never {
  throw new ReportSchemaError(`${path || "report"} must be ${what}`);
}

export const str: Check<string> = (v, p) => (typeof v === "string" ? v : fail(p, "a string"));
export const num: Check<number> = (v, p) =>
  typeof v === "number" && Number.isFinite(v) ? v : fail(p, "a finite number");
export const nonNeg: Check<number> = (v, p) =>
  typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : fail(p, "a number ≥ 0");
export const posInt: Check<number> = (v, p) =>
  typeof v === "number" && Number.isInteger(v) && v >= 1 ? v : fail(p, "an integer ≥ 1");
export const bool: Check<boolean> = (v, p) => (typeof v === "boolean" ? v : fail(p, "true or false"));

export function oneOf<const T extends readonly string[]>(...values: T): Check<T[number]> {
  return (v, p) =>
    typeof v === "string" && (values as readonly string[]).includes(v)
      ? (v as T[number])
      : fail(p, `one of ${values.map((x) => JSON.stringify(x)).join(", ")}`);
}

export function arrayOf<T>(item: Check<T>): Check<T[]> {
  return (v, p) => {
    if (!Array.isArray(v)) fail(p, "an array");
    v.forEach((x, i) => item(x, `${p}[${i}]`));
    return v as T[];
  };
}

/** Arrays of numbers are checked in one go, with one message. */
export const numbers: Check<number[]> = (v, p) =>
  Array.isArray(v) && v.every((x) => typeof x === "number" && Number.isFinite(x))
    ? (v as number[])
    : fail(p, "an array of numbers");

export const strings: Check<string[]> = (v, p) =>
  Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : fail(p, "an array of strings");

export const triple: Check<[number, number, number]> = (v, p) =>
  Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === "number" && Number.isFinite(x))
    ? (v as [number, number, number])
    : fail(p, "an array of 3 numbers");

export function nullable<T>(c: Check<T>): Check<T | null> {
  return (v, p) => (v === null ? null : c(v, p));
}

export function optional<T>(c: Check<T>): Check<T | undefined> {
  return (v, p) => (v === undefined ? undefined : c(v, p));
}

export function recordOf<T>(c: Check<T>): Check<Record<string, T>> {
  return (v, p) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) fail(p, "an object");
    for (const [k, x] of Object.entries(v)) c(x, `${p}[${JSON.stringify(k)}]`);
    return v as Record<string, T>;
  };
}

type Shape<T> = { [K in keyof T]-?: Check<T[K]> };

/** An object whose listed fields pass their checks (fields not listed are allowed: additive changes). */
export function object<T>(shape: Shape<T>): Check<T> {
  return (v, p) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) fail(p, "an object");
    const o = v as Record<string, unknown>;
    for (const key of Object.keys(shape) as (keyof T & string)[]) shape[key](o[key], p ? `${p}.${key}` : key);
    return v as T;
  };
}
