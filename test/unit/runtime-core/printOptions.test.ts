// How arrays print, against JAX (scripts/jax/run_jax_print.py wrote test/fixtures/jax/print.json):
// str() is np.array_str, repr() is np.array_repr and console.log, for float32, int32 and bool
// arrays under NumPy's default print options and twelve other settings (precision, suppress,
// threshold and edgeitems, linewidth, sign, floatmode, nanstr/infstr) set through np.printoptions,
// and complex64 arrays' repr.
// The text must be JAX's, character for character. Then set_printoptions / get_printoptions and
// bad options.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import { lax, type Complex } from "../../../runtime/src/index.js";
import type { Tracer } from "../../../runtime/src/trace/core.js";
import * as np from "../../../runtime/src/np.js";
import { config } from "../../../runtime/src/config.js";
import type { DType } from "../../../runtime/src/ir/types.js";
import type { PrintOptions } from "../../../runtime/src/printOptions.js";

interface Stored {
  readonly arrays: Record<
    string,
    { values: (number | boolean | string)[]; imag?: (number | string)[]; shape: number[]; dtype: DType | "complex64" }
  >;
  readonly cases: Record<string, { array: string; options: Partial<PrintOptions>; str?: string; repr: string }>;
}
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, "../../fixtures/jax/print.json"), "utf8")) as Stored;
const decode = (v: number | boolean | string): number =>
  typeof v === "boolean"
    ? Number(v)
    : typeof v === "number"
      ? v
      : v === "-0"
        ? -0
        : Number(v.replace("nan", "NaN").replace("inf", "Infinity"));

config({ backend: "cpu" }); // array_str / array_repr read host values
const arrayOf = (name: string) => {
  const a = fixture.arrays[name]!;
  const part = (v: (number | boolean | string)[]) => {
    const flat = np.array(v.map(decode), { dtype: a.dtype === "complex64" ? "float32" : a.dtype });
    return a.shape.length === 1 ? flat : np.reshape(flat, a.shape);
  };
  return a.imag ? lax.complex(part(a.values), part(a.imag)) : part(a.values);
};

for (const [id, c] of Object.entries(fixture.cases)) {
  const str = c.str;
  if (str === undefined) {
    test(`${id}: array_repr and console.log print JAX's repr of a complex array`, () => {
      const z = arrayOf(c.array) as Complex;
      const [repr, logged] = np.printoptions(c.options, () => [np.array_repr(z), inspect(z)]);
      assert.equal(repr, c.repr);
      assert.equal(logged, c.repr);
    });
    continue;
  }
  test(`${id}: array_str and array_repr print JAX's text`, () => {
    const x = arrayOf(c.array) as Tracer;
    const [s, repr, logged] = np.printoptions(c.options, () => [np.array_str(x), np.array_repr(x), inspect(x)]);
    assert.equal(s, str);
    assert.equal(repr, c.repr);
    assert.equal(logged, c.repr, "console.log shows array_repr's text");
  });
}

test("array_str's keywords override the print options for one call, as NumPy's", () => {
  const x = arrayOf("thirds");
  assert.equal(np.array_str(x, { precision: 2 }), "[0.1  0.25 0.33]");
  assert.equal(np.array_str(np.array([1e-6, 1])), "[1.e-06 1.e+00]");
  assert.equal(np.array_str(np.array([1e-6, 1]), { suppress_small: true }), "[0.000001 1.      ]");
  assert.equal(np.array_str(np.arange(12), { max_line_width: 12 }), "[ 0  1  2\n  3  4  5\n  6  7  8\n  9 10 11]");
});

test("set_printoptions holds until changed; get_printoptions reads it; printoptions restores after its function", async () => {
  const before = np.get_printoptions();
  assert.deepEqual(
    { ...before },
    {
      precision: 8,
      threshold: 1000,
      edgeitems: 3,
      linewidth: 75,
      suppress: false,
      nanstr: "nan",
      infstr: "inf",
      sign: "-",
      floatmode: "maxprec",
      legacy: false,
      formatter: null,
    },
  );
  try {
    np.set_printoptions({ precision: 3 });
    assert.equal(np.array_str(arrayOf("thirds")), "[0.1   0.25  0.333]");
    assert.equal(np.get_printoptions().precision, 3);
    np.printoptions({ precision: 1 }, () => assert.equal(np.array_str(np.array([0.26])), "[0.3]"));
    assert.equal(np.get_printoptions().precision, 3, "restored after the function");
    await np.printoptions({ suppress: true }, async () => {
      await Promise.resolve();
      assert.equal(np.get_printoptions().suppress, true, "still in force across an await");
    });
    assert.equal(np.get_printoptions().suppress, false, "restored after the promise settles");
    assert.throws(
      () =>
        np.printoptions({ precision: 2 }, () => {
          throw new Error("inside");
        }),
      /inside/,
    );
    assert.equal(np.get_printoptions().precision, 3, "restored after a throw");
  } finally {
    np.set_printoptions({ precision: 8 });
  }
});

test("bad print options are refused by name, and leave the options as they were", () => {
  assert.throws(
    () => np.set_printoptions({ precision: -1 }),
    /set_printoptions: precision must be a whole number ≥ 0, got -1/,
  );
  assert.throws(
    () => np.set_printoptions({ sign: "x" as never }),
    /set_printoptions: sign must be "-", "\+" or " ", got "x"/,
  );
  assert.throws(
    () => np.set_printoptions({ floatmode: "short" as never }),
    /floatmode must be "maxprec", "maxprec_equal", "fixed", "unique"/,
  );
  assert.throws(() => np.set_printoptions({ precison: 3 } as never), /set_printoptions: unknown option "precison"/);
  assert.throws(() => np.set_printoptions({ formatter: {} } as never), /formatter is not supported/);
  assert.throws(
    () => np.printoptions({ precision: 3 }, undefined as never),
    /printoptions: takes the options and a function/,
  );
  assert.throws(
    () => np.array_str(np.array([1]), { max_line_width: 0 }),
    /array_str: max_line_width must be a whole number ≥ 1, got 0/,
  );
  assert.equal(np.get_printoptions().precision, 8);
});
