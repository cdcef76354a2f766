// Report hints in the editor: information diagnostics in their own Problems collection ("JIT
// Scope hints") at their lines, replaced by the next report and cleared with the results, and a
// line in that line's hover with the saving as every view writes it.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hint, Report } from "@jitscope/contract";
import { buildExtensionBundle, loadExtension as load } from "../../fixtures/ext/loadExtension.js";
import { makeVscodeStub, stubDocument, Position, type Hover } from "../../fixtures/ext/vscodeStub.js";
import { SCRIPT, SCRIPT_TEXT, sampleReport } from "../../fixtures/ext/sampleReport.js";
import { indexReport } from "../../../extension/src/model/reportIndex.js";
import { lineHoverMarkdown } from "../../../extension/src/model/hover.js";
import { reportHintProblems } from "../../../extension/src/model/hints.js";

let bundlePath = "";
before(async () => {
  ({ path: bundlePath } = await buildExtensionBundle());
});

const transposeHint: Hint = {
  kind: "materialized-transpose",
  message:
    "a [64,64] operand is transposed into memory by its own kernel before a matmul reads it: pass it already transposed",
  location: { file: SCRIPT, line: 3, column: 13 },
  estimatedSavingMs: 0.25,
  kernels: ["k0"],
};
const syncHint: Hint = {
  kind: "host-sync-in-loop",
  message: "a readback here ran 5 times, each waiting for the GPU",
  location: { file: SCRIPT, line: 11, column: 30 },
  estimatedSavingMs: 12.5,
};

async function writeReport(report: Report): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), "jitscope-hints-")), "report.json");
  await writeFile(file, JSON.stringify(report));
  return file;
}

test("hints become information diagnostics at their 0-based lines in 'JIT Scope hints', replaced by the next report, cleared with the results", async () => {
  const stub = makeVscodeStub({ trusted: false });
  load(bundlePath, stub).activate(stub.extensionContext);
  const report = { ...sampleReport(), hints: [syncHint, transposeHint] };
  assert.deepEqual(await stub.commands.get("jitscope.openReport")!(await writeReport(report)), { status: "loaded" });
  const hints = stub.collections.get("JIT Scope hints")!;
  assert.deepEqual(
    hints.get(SCRIPT)!.map((d) => [d.range.start.line, d.range.start.character, d.severity, d.code, d.message]),
    [
      [
        10,
        29,
        2,
        "host-sync-in-loop",
        "host sync in loop: a readback here ran 5 times, each waiting for the GPU (estimated −12.5 ms per run)",
      ],
      [
        2,
        12,
        2,
        "materialized-transpose",
        `materialized transpose: ${transposeHint.message} (estimated −250 µs per call)`,
      ],
    ],
  );
  assert.equal(stub.diagnostics.get(SCRIPT), undefined, "no errors: the error collection stays empty");

  await stub.commands.get("jitscope.openReport")!(await writeReport({ ...sampleReport(), hints: [transposeHint] }));
  assert.deepEqual(
    hints.get(SCRIPT)!.map((d) => d.code),
    ["materialized-transpose"],
  );
  await stub.commands.get("jitscope.openReport")!(await writeReport(sampleReport()));
  assert.equal(hints.size, 0, "a report without hints clears them");
  await stub.commands.get("jitscope.openReport")!(await writeReport(report));
  await stub.commands.get("jitscope.clearResults")!();
  assert.equal(hints.size, 0, "Clear removes them");

  // The hover of a line with a hint but no kernels (the readback's line) still answers.
  await stub.commands.get("jitscope.openReport")!(await writeReport(report));
  const doc = stubDocument(SCRIPT, SCRIPT_TEXT);
  const hover = stub.hoverProviders[0]!.provideHover(doc, new Position(10, 0)) as Hover | null;
  assert.match(
    hover!.contents.value,
    /\*\*Hint\*\* \(host sync in loop, −12\.5 ms per run\): a readback here ran 5 times/,
  );
});

test("a line's hover shows its hints before its kernels; a hint without a location is no problem", () => {
  const report = { ...sampleReport(), hints: [transposeHint, { ...syncHint, location: null }] };
  const md = lineHoverMarkdown(indexReport(report), SCRIPT, 3)!;
  const lines = md.split("\n");
  assert.equal(lines[2], `**Hint** (materialized transpose, −250 µs per call): ${transposeHint.message}`);
  assert.ok(md.indexOf("**Hint**") < md.indexOf("Landed in"));
  assert.deepEqual(
    reportHintProblems(report).map((p) => p.kind),
    ["materialized-transpose"],
  );
});
