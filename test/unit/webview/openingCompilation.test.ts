import { test } from "node:test";
import assert from "node:assert/strict";
import type { Report } from "@jitscope/contract";
import { openingCompilation } from "../../../webview/src/model/openingCompilation.js";
import { mlpReport } from "./fixtures.js";

test("the panel opens on the compilation with the most GPU time, not on the first in the report", () => {
  const r = mlpReport();
  // step: 20 calls × (38 + 9 + 41) µs ≈ 1.8 ms; gelu: 10 calls × 610 µs ≈ 6.1 ms.
  assert.equal(r.compilations[0]!.id, "c-step-0");
  assert.equal(openingCompilation(r)!.id, "c-gelu-0");
  // Four times the step's GPU time (7 ms) makes it the costlier one.
  for (const k of r.kernels.filter((k) => k.compilation === "c-step-0")) k.totalNs *= 4;
  assert.equal(openingCompilation(r)!.id, "c-step-0");
});

test("without kernel times (CPU backend), the function with the most host time (calls × ms per call) decides", () => {
  const r: Report = mlpReport();
  for (const k of r.kernels) k.totalNs = 0;
  // step 20 × 0.41 ms = 8.2 ms; gelu 10 × 0.93 ms = 9.3 ms.
  assert.equal(openingCompilation(r)!.id, "c-gelu-0");
  r.functions.find((f) => f.name === "step")!.calls = 40; // 16.4 ms
  assert.equal(openingCompilation(r)!.id, "c-step-0");
});

test("with no time at all the first compilation opens, and a report without compilations opens none", () => {
  const r = mlpReport();
  for (const k of r.kernels) k.totalNs = 0;
  for (const f of r.functions) f.calls = 0;
  assert.equal(openingCompilation(r)!.id, "c-step-0");
  assert.equal(openingCompilation({ ...r, compilations: [] }), null);
});
