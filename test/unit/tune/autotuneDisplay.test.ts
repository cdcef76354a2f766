// The autotuner's record reads the same sentence everywhere a kernel is shown: the CLI summary,
// the HTML page, the panel's Kernels table and the hover of the kernel's line.

import { test } from "node:test";
import assert from "node:assert/strict";
import {
  formatAutotune,
  formatAutotuneCandidates,
  validateReport,
  type KernelAutotune,
  type Report,
} from "@jitscope/contract";
import { formatSummary } from "../../../runtime/src/cli/summary.js";
import { renderHtmlReport } from "../../../runtime/src/profile/html.js";
import { kernelRows } from "../../../webview/src/model/kernelTable.js";
import { indexReport } from "../../../extension/src/model/reportIndex.js";
import { lineHoverMarkdown } from "../../../extension/src/model/hover.js";
import { SCRIPT, sampleReport } from "../../fixtures/ext/sampleReport.js";

const record: KernelAutotune = {
  candidates: [
    { config: "4×4 vec4 wg8×8", medianNs: 180_000 },
    { config: "4×8 vec4 wg8×8", medianNs: 100_000 },
    { config: "8×8 vec4 wg8×8", medianNs: 120_000 },
  ],
  winner: "4×8 vec4 wg8×8",
  defaultConfig: "4×4 vec4 wg8×8",
  speedupOverDefault: 1.8,
  source: "search",
  budgetMs: 3000,
};
const SENTENCE =
  "tried 3 variants; 4×8 vec4 wg8×8 won, 1.80× over the default 4×4 vec4 wg8×8 (searched in 3000 ms budget)";

/** The sample report with the autotune record on kernel k0 (lines 3-5), through the validator. */
function tunedReport(): Report {
  const r = sampleReport();
  const json = JSON.parse(JSON.stringify(r)) as Report;
  json.kernels[0]!.autotune = record;
  return validateReport(json);
}

test("formatAutotune says how many variants were tried, which won, and its margin over the default", () => {
  assert.equal(formatAutotune(record), SENTENCE);
});

test("a report whose kernel has an autotune record validates; a malformed record is refused naming the field", () => {
  const r = tunedReport();
  assert.deepEqual(r.kernels[0]!.autotune, record);
  const bad = JSON.parse(JSON.stringify(r)) as Report;
  (bad.kernels[0]!.autotune as unknown as { speedupOverDefault: unknown }).speedupOverDefault = "fast";
  assert.throws(() => validateReport(bad), /kernels\[0\]\.autotune\.speedupOverDefault must be a number/);
});

test("the CLI summary lists the autotuned kernel with the sentence and the margin's definition", () => {
  const text = formatSummary(tunedReport());
  assert.match(text, /autotuned kernels \(margin = the default configuration's median time ÷ the winner's\)/);
  assert.ok(text.includes(`fused_tanh_mul_sub_0 (k0): ${SENTENCE}`), text);
});

test("the HTML page has an Autotuned kernels table with the sentence", () => {
  const html = renderHtmlReport(tunedReport(), null);
  assert.ok(html.includes("<h2>Autotuned kernels</h2>"));
  assert.ok(html.includes(SENTENCE.replace(/×/g, "×")), "the sentence is on the page");
});

test("the Kernels table row carries the sentence and its short form; an untuned kernel's are empty", () => {
  const rows = kernelRows(tunedReport());
  assert.equal(rows.find((r) => r.id === "k0")!.autotune, SENTENCE);
  assert.equal(rows.find((r) => r.id === "k0")!.autotuneShort, "4×8 vec4 wg8×8 · 1.80× over default · 3 variants");
  assert.ok(rows.filter((r) => r.id !== "k0").every((r) => r.autotune === ""));
});

test("the hover of the kernel's line says Autotuned with the sentence", () => {
  const md = lineHoverMarkdown(indexReport(tunedReport()), SCRIPT, 4)!;
  assert.ok(md.includes(`Autotuned: ${SENTENCE}`), md);
  assert.ok(!lineHoverMarkdown(indexReport(sampleReport()), SCRIPT, 4)!.includes("Autotuned"));
});

test("a kernelUpdate event puts the autotune record and the winner's module on the registered kernel", async () => {
  const { ReportBuilder } = await import("../../../runtime/src/profile/reportBuilder.js");
  const b = new ReportBuilder();
  b.apply({
    e: "kernel",
    info: {
      id: "c0/k0",
      name: "matmul",
      compilation: null,
      mode: "eager",
      wgsl: "// default",
      ops: ["matmul"],
      opIds: [],
      locations: [],
      workgroupSize: [8, 8, 1],
      dispatch: [1, 1, 1],
      bytesRead: 64,
      bytesWritten: 64,
      flops: 128,
    },
  });
  b.apply({ e: "dispatch", kernel: "c0/k0", gpuNs: 1000, start: 1 });
  b.apply({
    e: "kernelUpdate",
    kernel: "c0/k0",
    update: { autotune: record, wgsl: "// winner", workgroupSize: [16, 4, 1], dispatch: [2, 1, 1] },
  });
  const k = validateReport(JSON.parse(JSON.stringify(b.build({ script: "x.ts", status: "completed", wallMs: 1 }))))
    .kernels[0]!;
  assert.deepEqual(k.autotune, record);
  assert.equal(k.wgsl, "// winner");
  assert.deepEqual(k.workgroupSize, [16, 4, 1]);
  assert.deepEqual(k.dispatch, [2, 1, 1]);
});

const convRecord: KernelAutotune = {
  candidates: [
    { config: "4×8 wg64", medianNs: 1_250_000 },
    { config: "8×4 wg64", medianNs: 1_000_000 },
    { config: "4×8 split-K 64", medianNs: 2_000_000 },
  ],
  winner: "8×4 wg64",
  defaultConfig: "4×8 wg64",
  speedupOverDefault: 1.25,
  source: "search",
  budgetMs: 3000,
  shapeClass: "conv float32 [32,3,16,16]*[16,3,3,3]->[32,16,16,16] s1,1 p1,1/1,1 d1,1/1,1 g1",
};
const CANDIDATES = "4×8 wg64 1.25 ms (default) · 8×4 wg64 1.00 ms (won) · 4×8 split-K 64 2.00 ms";

/** The sample report with a conv's record (shape class included) on kernel k0. */
function convTunedReport(): Report {
  const json = JSON.parse(JSON.stringify(sampleReport())) as Report;
  json.kernels[0]!.autotune = convRecord;
  return validateReport(json);
}

test("formatAutotuneCandidates lists every candidate's median in the order tried, the default and the winner marked", () => {
  assert.equal(formatAutotuneCandidates(convRecord), CANDIDATES);
  assert.equal(
    formatAutotuneCandidates({ ...convRecord, winner: "4×8 wg64", speedupOverDefault: 1 }).split(" · ")[0],
    "4×8 wg64 1.25 ms (default, won)",
  );
});

test("a record's shape class validates as a string and may be absent; any other type is refused naming the field", () => {
  assert.equal(convTunedReport().kernels[0]!.autotune!.shapeClass, convRecord.shapeClass);
  const bad = JSON.parse(JSON.stringify(convTunedReport())) as Report;
  (bad.kernels[0]!.autotune as unknown as { shapeClass: unknown }).shapeClass = 7;
  assert.throws(() => validateReport(bad), /kernels\[0\]\.autotune\.shapeClass must be a string/);
});

test("a conv's record reads the same in the CLI summary, the HTML page and the hover: sentence, shape class, candidates", () => {
  const sentence = formatAutotune(convRecord);
  assert.equal(
    sentence,
    "tried 3 variants; 8×4 wg64 won, 1.25× over the default 4×8 wg64 (searched in 3000 ms budget)",
  );
  const text = formatSummary(convTunedReport());
  assert.ok(text.includes(`fused_tanh_mul_sub_0 (k0): ${sentence}`), text);
  assert.ok(text.includes(`  shape class: ${convRecord.shapeClass}`), text);
  assert.ok(text.includes(`  candidates (median time): ${CANDIDATES}`), text);
  const html = renderHtmlReport(convTunedReport(), null);
  for (const s of [sentence, convRecord.shapeClass!, CANDIDATES, "candidates (median time)"])
    assert.ok(html.includes(s.replace(/>/g, "&gt;")), `the page has ${s}`);
  const md = lineHoverMarkdown(indexReport(convTunedReport()), SCRIPT, 4)!;
  assert.ok(md.includes(`Autotuned: ${sentence}`), md);
  assert.ok(md.includes(`Candidates (median time): ${CANDIDATES}`), md);
});

test("a default that stayed because the fastest candidate lost the paired re-check says so", () => {
  const a: KernelAutotune = { ...convRecord, winner: "4×8 wg64", speedupOverDefault: 1, unconfirmed: "8×4 wg64" };
  assert.equal(
    formatAutotune(a),
    "tried 3 variants; the default 4×8 wg64 won (searched in 3000 ms budget; 8×4 wg64 was faster once but lost the paired re-check)",
  );
  const json = JSON.parse(JSON.stringify(sampleReport())) as Report;
  json.kernels[0]!.autotune = a;
  assert.equal(validateReport(json).kernels[0]!.autotune!.unconfirmed, "8×4 wg64");
  (json.kernels[0]!.autotune as unknown as { unconfirmed: unknown }).unconfirmed = false;
  assert.throws(() => validateReport(json), /kernels\[0\]\.autotune\.unconfirmed must be a string/);
});
