import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { validateReport } from "@jitscope/contract";

const DIR = join(import.meta.dirname, "../../fixtures/reports");

test("every committed report fixture passes the schema and says how its run ended", () => {
  const expected: Record<string, string> = {
    "seed_add.json": "completed",
    "gelu.json": "completed",
    "softmax.json": "completed",
    "attention.json": "completed",
    "mlp_train_compare.json": "completed",
    "error_throws.json": "error",
    "error_shape.json": "error",
    "timeout.json": "timeout",
    "crashed.json": "crashed",
    "diff_base.json": "completed",
    "diff_split.json": "completed",
    "diff_added_op.json": "completed",
  };
  const files = readdirSync(DIR).filter((f) => f.endsWith(".json") && !f.endsWith(".trace.json"));
  assert.deepEqual(files.sort(), Object.keys(expected).sort());
  for (const f of files) assert.equal(validateReport(readFileSync(join(DIR, f), "utf8")).status, expected[f], f);
});

test("the compare fixture has eager dispatching more kernels per call than jit", () => {
  const r = validateReport(readFileSync(join(DIR, "mlp_train_compare.json"), "utf8"));
  const f = r.comparison!.functions[0]!;
  assert.ok(f.eager.dispatchesPerCall > f.jit.dispatchesPerCall);
});
