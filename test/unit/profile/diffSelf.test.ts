// A run diffed with itself: every committed report fixture (WebGPU and CPU runs, eager and jit,
// failed runs too) matches every kernel to itself and reads "no significant change".
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { validateReport } from "@jitscope/contract";
import { diffReports } from "../../../runtime/src/profile/diff.js";

const DIR = join(import.meta.dirname, "../../fixtures/reports");

for (const name of readdirSync(DIR)
  .filter((f) => f.endsWith(".json") && !f.endsWith(".trace.json"))
  .sort()) {
  test(`${name} diffed with itself: every kernel the same, no significant change`, () => {
    const r = validateReport(readFileSync(join(DIR, name), "utf8"));
    const d = diffReports(r, r);
    assert.equal(d.summary.text, "no significant change");
    assert.equal(d.summary.significant, 0);
    assert.equal(d.kernels.length, r.kernels.length, "one entry per kernel");
    assert.ok(
      d.kernels.every(
        (k) => k.change === "same" && k.old.length === 1 && k.new.length === 1 && k.old[0]!.id === k.new[0]!.id,
      ),
    );
    assert.ok(
      d.kernels.every(
        (k) => k.gpuMsPerCall.verdict === "no significant change" || k.gpuMsPerCall.verdict === "too few samples",
      ),
    );
    assert.ok(
      d.functions.every((f) => f.status === "matched" && f.kernelsPerCall.delta === 0 && f.compilations.delta === 0),
    );
    assert.ok(d.lines.every((l) => !l.significant && l.oldLine === l.newLine));
  });
}
