// np's dtype queries against JAX (scripts/jax/run_jax_dtypes.py wrote test/fixtures/jax/dtypes.json):
// issubdtype of each dtype against every abstract kind and dtype, isdtype against every array-API
// kind name (and a list of them), result_type of dtypes with weakly typed numbers and booleans,
// and can_cast under each casting rule; then np.dtype and bad input.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as np from "../../../runtime/src/np.js";
import { onBackend, refuses } from "./harness.js";

const file: {
  jax: string;
  issubdtype: [string, string, boolean][];
  isdtype: [string, string | string[], boolean][];
  result_type: [(string | number | boolean)[], string][];
  can_cast: [string, string, string, boolean][];
} = JSON.parse(readFileSync(new URL("../../fixtures/jax/dtypes.json", import.meta.url), "utf8"));

test(`issubdtype answers as JAX ${file.jax} for every dtype against every kind and dtype (${file.issubdtype.length} pairs)`, () => {
  for (const [d, k, want] of file.issubdtype) assert.equal(np.issubdtype(d, k), want, `issubdtype(${d}, ${k})`);
  assert.equal(np.issubdtype(np.float32, np.floating), true, "through the exported names");
});

test(`isdtype answers as JAX for every dtype against every array-API kind (${file.isdtype.length} cases)`, () => {
  for (const [d, k, want] of file.isdtype) assert.equal(np.isdtype(d, k), want, `isdtype(${d}, ${JSON.stringify(k)})`);
});

test(`result_type promotes as JAX, numbers weakly typed (${file.result_type.length} cases)`, () => {
  for (const [args, want] of file.result_type)
    assert.equal(np.result_type(...args), want, `result_type(${JSON.stringify(args)})`);
  onBackend("cpu", () =>
    assert.equal(np.result_type(np.zeros([2], { dtype: "int32" }), 0.5), "float32", "an array's dtype"),
  );
});

test(`can_cast answers as JAX under every casting rule (${file.can_cast.length} cases)`, () => {
  for (const [a, b, c, want] of file.can_cast)
    assert.equal(np.can_cast(a, b, c as never), want, `can_cast(${a}, ${b}, ${c})`);
});

test("np.dtype reads names and arrays; bad input names the problem: a 64-bit dtype, an unknown kind, a casting rule", () => {
  onBackend("cpu", () => assert.equal(np.dtype(np.ones([2])), "float32"));
  assert.equal(np.dtype("bool_"), "bool");
  refuses(
    () => np.dtype("float64"),
    /dtype: "float64" is not a dtype here; the runtime has float32, int32, bool \(64-bit/,
  );
  refuses(
    () => np.issubdtype("int32", "integral"),
    /issubdtype: "integral" is neither a dtype nor a kind \(np\.generic/,
  );
  refuses(
    () => np.isdtype("int32", "floating"),
    /isdtype: kind "floating" is not a dtype or one of "bool", "signed integer"/,
  );
  refuses(() => np.can_cast("int32", "float32", "safest" as never), /can_cast: casting must be one of "no", "equiv"/);
});
