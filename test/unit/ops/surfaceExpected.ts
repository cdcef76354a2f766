// The expected values of the NumPy/JAX surface tests: test/fixtures/expected/surface.json,
// written by scripts/gen_surface_expected.py (JAX in float64, from float32 inputs).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as np from "../../../runtime/src/np.js";
import type { DType } from "../../../runtime/src/ir/types.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import type { Nested, OpCase } from "./harness.js";

type Raw = number | string | boolean | Raw[];
interface Stored {
  inputs: Raw[];
  expect: Raw;
}

const file = join(import.meta.dirname, "../../fixtures/expected/surface.json");
const stored = (JSON.parse(readFileSync(file, "utf8")) as { cases: Record<string, Stored> }).cases;

function decode(v: Raw): Nested {
  if (Array.isArray(v)) return v.map(decode);
  if (v === "nan") return NaN;
  if (v === "inf") return Infinity;
  if (v === "-inf") return -Infinity;
  return v as number | boolean;
}

/** The stored case `name`: its decoded inputs and expected value. */
export function expected(name: string): { inputs: Nested[]; expect: Nested } {
  const c = stored[name];
  if (!c) throw new Error(`no case "${name}" in ${file}: run python3 scripts/gen_surface_expected.py`);
  return { inputs: c.inputs.map(decode), expect: decode(c.expect) };
}

/** An input as an array of `dtype` (float32 unless said). */
export function arr(v: Nested, dtype: DType = "float32"): Tracer {
  return np.array(v as never, { dtype });
}

/** An OpCase whose expected value comes from the fixture. `build` gets the stored inputs. */
export function fixtureCase(
  name: string,
  dtype: DType,
  build: (...inputs: Nested[]) => Tracer,
  options: { title?: string; rtol?: number; atol?: number; pick?: (e: Nested) => Nested } = {},
): OpCase {
  const { inputs, expect } = expected(name);
  return {
    name: options.title ?? name,
    build: () => build(...inputs),
    expect: options.pick ? options.pick(expect) : expect,
    dtype,
    rtol: options.rtol ?? 2e-5,
    atol: options.atol ?? 1e-6,
  };
}
