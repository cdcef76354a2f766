// The expected values of the second surface batch: test/fixtures/jax/surface2.json, written by
// scripts/jax/run_jax_surface2.py (JAX in float32). NaN, ±inf and -0 are stored as strings.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { DType } from "../../../runtime/src/ir/types.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import type { Nested, OpCase } from "./harness.js";

type Raw = number | string | boolean | Raw[];
interface Stored {
  inputs: Raw[];
  expect: Raw;
}

const file = join(import.meta.dirname, "../../fixtures/jax/surface2.json");
const stored = (JSON.parse(readFileSync(file, "utf8")) as { cases: Record<string, Stored> }).cases;

const SPECIAL: Record<string, number> = { nan: NaN, inf: Infinity, "-inf": -Infinity, "-0": -0 };

function decode(v: Raw): Nested {
  if (Array.isArray(v)) return v.map(decode);
  if (typeof v === "string") {
    const s = SPECIAL[v];
    if (s === undefined) throw new Error(`surface2.json: unknown value "${v}"`);
    return s;
  }
  return v;
}

/** The stored case `name`: its decoded inputs and JAX's value. */
export function jaxCase(name: string): { inputs: Nested[]; expect: Nested } {
  const c = stored[name];
  if (!c) throw new Error(`no case "${name}" in ${file}: run scripts/jax/run_jax_surface2.py`);
  return { inputs: c.inputs.map(decode), expect: decode(c.expect) };
}

/** An OpCase (CPU, WebGPU and jit on WebGPU; see harness.ts) whose expected value is JAX's. */
export function jaxOpCase(
  name: string,
  build: (...inputs: Nested[]) => Tracer,
  options: { title?: string; rtol?: number; atol?: number; dtype?: DType } = {},
): OpCase {
  const { inputs, expect } = jaxCase(name);
  return {
    name: options.title ?? name,
    build: () => build(...inputs),
    expect,
    dtype: options.dtype ?? "float32",
    rtol: options.rtol ?? 2e-6,
    atol: options.atol ?? 1e-7,
  };
}
