// The expected values of the surface batches written by scripts/jax/run_jax_surface2.py and
// run_jax_surface3.py (test/fixtures/jax/surface2.json, surface3.json; JAX in float32). NaN, ±inf
// and -0 are stored as strings. `jaxCase` / `jaxOpCase` read surface2.json; `fixtureCases` any.
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

const SPECIAL: Record<string, number> = { nan: NaN, inf: Infinity, "-inf": -Infinity, "-0": -0 };

function decode(v: Raw): Nested {
  if (Array.isArray(v)) return v.map(decode);
  if (typeof v === "string") {
    const s = SPECIAL[v];
    if (s === undefined) throw new Error(`surface fixture: unknown value "${v}"`);
    return s;
  }
  return v;
}

/** The cases of test/fixtures/jax/<name>.json (written by scripts/jax/run_jax_<name>.py). */
export function fixtureCases(name: string) {
  const file = join(import.meta.dirname, `../../fixtures/jax/${name}.json`);
  const stored = (JSON.parse(readFileSync(file, "utf8")) as { cases: Record<string, Stored> }).cases;
  /** The stored case `id`: its decoded inputs and JAX's value. */
  const jaxCase = (id: string): { inputs: Nested[]; expect: Nested } => {
    const c = stored[id];
    if (!c) throw new Error(`no case "${id}" in ${file}: run scripts/jax/run_jax_${name}.py`);
    return { inputs: c.inputs.map(decode), expect: decode(c.expect) };
  };
  /** An OpCase (CPU, WebGPU and jit on WebGPU; see harness.ts) whose expected value is JAX's. */
  const jaxOpCase = (
    id: string,
    build: (...inputs: Nested[]) => Tracer,
    options: { title?: string; rtol?: number; atol?: number; dtype?: DType } = {},
  ): OpCase => {
    const { inputs, expect } = jaxCase(id);
    return {
      name: options.title ?? id,
      build: () => build(...inputs),
      expect,
      dtype: options.dtype ?? "float32",
      rtol: options.rtol ?? 2e-6,
      atol: options.atol ?? 1e-7,
    };
  };
  /** The OpCases of a function returning several arrays, stored by the script as `id_0`, `id_1`,
   *  …: `outputs` is their count (all of `dtype`) or each one's dtype. */
  const jaxParts = (
    id: string,
    outputs: number | readonly DType[],
    build: (...inputs: Nested[]) => Tracer[],
    dtype: DType = "float32",
  ): OpCase[] =>
    (typeof outputs === "number" ? Array.from({ length: outputs }, () => dtype) : outputs).map((d, k) =>
      jaxOpCase(`${id}_${k}`, (...inputs) => build(...inputs)[k]!, { dtype: d }),
    );
  return { jaxCase, jaxOpCase, jaxParts, ids: Object.keys(stored) };
}

const surface2 = fixtureCases("surface2");

/** surface2.json's case `name`: its decoded inputs and JAX's value. */
export const jaxCase = surface2.jaxCase;

/** An OpCase over surface2.json's case `name`. */
export const jaxOpCase = surface2.jaxOpCase;
