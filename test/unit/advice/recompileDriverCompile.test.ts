// The recompile hint prices each avoidable compilation with the driver's compile of its kernels'
// pipelines at their first dispatch (Report.driverCompile's parts, handed over as a runtime fact):
// on lavapipe that is seconds a compilation, against milliseconds of tracing and passes.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Report } from "@jitscope/contract";
import { adviseReport } from "../../../runtime/src/advice/hints.js";
import { sampleReport } from "../../fixtures/ext/sampleReport.js";

/** sampleReport's `step` compiled three times (12 ms each), called 6 times; the second and third
 *  compilations' kernels run as fast on their first dispatch as later (no first-dispatch excess). */
function recompiled(): Report {
  const r = sampleReport();
  const c0 = r.compilations[0]!;
  const k0 = r.kernels.find((k) => k.id === "k0")!;
  for (const [c, k, rows] of [
    ["c1", "k0b", 16],
    ["c2", "k0c", 24],
  ] as const) {
    r.compilations.push({
      ...c0,
      id: c,
      signature: `(float32[4,4], float32[${rows},4]) -> float32[${rows}]`,
      kernels: [k],
    });
    r.kernels.push({ ...k0, id: k, compilation: c });
  }
  r.functions[0] = { ...r.functions[0]!, calls: 6, compilations: ["c0", "c1", "c2"] };
  return r;
}

const recompileHint = (driverCompileNs?: Map<string, number>) =>
  adviseReport(
    recompiled(),
    { syncs: [], dispatches: [], callPairs: [], ...(driverCompileNs ? { driverCompileNs } : {}) },
    null,
  ).find((h) => h.kind === "recompile")!;

test("recompile: each avoidable compilation's kernels' driver compile is added to its saving; the first compilation's is not", () => {
  // Compile time only: 2 avoidable compilations × 12 ms over 6 calls.
  assert.equal(recompileHint().estimatedSavingMs, (2 * 12) / 6);
  const withDriver = recompileHint(
    new Map([
      ["k0", 9e9],
      ["k0b", 1.5e9],
      ["k0c", 0.5e9],
    ]),
  );
  // + (1500 + 500) ms of driver compile over 6 calls; k0 (the first compilation's) is unavoidable.
  assert.equal(withDriver.estimatedSavingMs, (2 * 12 + 1500 + 500) / 6);
  assert.match(withDriver.message, /compiled 3 times for 3 input shapes in 6 calls \(2024 ms compiling\)/);
});

test("recompile: a function the library compiles for an eager call (qr, svd, eigh at several shapes) gets no hint", () => {
  const r = recompiled();
  assert.ok(adviseReport(r, { syncs: [], dispatches: [], callPairs: [] }, null).some((h) => h.kind === "recompile"));
  r.compilations = r.compilations.map((c) => ({ ...c, library: true }));
  const hints = adviseReport(r, { syncs: [], dispatches: [], callPairs: [] }, null);
  assert.deepEqual(
    hints.filter((h) => h.kind === "recompile"),
    [],
  );
});

test("recompile: jit(...) run again at one line compiling the same program gets the hoist-jit advice; different programs get none", () => {
  const advise = (r: Report) =>
    adviseReport(r, { syncs: [], dispatches: [], callPairs: [] }, null).filter((h) => h.kind === "recompile");
  // Three new jitted functions at one line, each a "first call" of the same signature.
  const same = recompiled();
  same.compilations = same.compilations.map((c) => ({
    ...c,
    signature: "(float32[4,4]) -> float32[4]",
    reason: "first call",
  }));
  const [hint] = advise(same);
  assert.ok(hint, "a hint");
  assert.match(
    hint.message,
    /was jitted anew 3 times \(jit\(\.\.\.\) ran again at this line; 6 calls, 24 ms compiling\)/,
  );
  assert.match(hint.message, /call jit once, outside the loop or the function around it/);
  assert.equal(hint.estimatedSavingMs, (2 * 12) / 6);
  // The same inputs but different outputs: closures over different values, three programs on purpose.
  const different = recompiled();
  different.compilations = different.compilations.map((c, i) => ({
    ...c,
    signature: `(float32[4,4]) -> float32[${i + 1}]`,
    reason: "first call",
  }));
  assert.deepEqual(advise(different), []);
});
