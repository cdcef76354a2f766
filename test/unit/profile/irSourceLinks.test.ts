// The links from the IR after each pass to the user's code (extension model/virtualDocuments.ts
// irDocLinks), on a real program: the GPT-style training step fixture profiled through the CLI.
// Every equation's trailing `# gpt_step.ts:N` links to line N of the fixture; nothing else links.

import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { indexReport } from "../../../extension/src/model/reportIndex.js";
import { lineHoverMarkdown } from "../../../extension/src/model/hover.js";
import { irDocLinesOf, irDocLinks, virtualDocContent } from "../../../extension/src/model/virtualDocuments.js";
import { profileOnce, REPO } from "../cli/runCli.js";

const SCRIPT = join(REPO, "test/fixtures/programs/gpt_step.ts");

test("in the GPT step's IR after every pass, each equation's `# gpt_step.ts:N` links to line N of the fixture, and no other text links", () => {
  const run = profileOnce(SCRIPT);
  assert.equal(run.code, 0, run.stderr);
  let linked = 0;
  const sqrtLines = new Set<number>();
  for (const c of run.report.compilations) {
    for (const p of c.passes) {
      const text = virtualDocContent(run.report, { kind: "ir", compilation: c.id, pass: p.name })!;
      const lines = text.split("\n");
      const links = irDocLinks(run.report, text);
      const expected = lines.flatMap((l, i) => (/\s# gpt_step\.ts:\d+$/.test(l) ? [i] : []));
      assert.deepEqual(
        links.map((l) => l.line),
        expected,
        `${c.functionName} after ${p.name}`,
      );
      for (const l of links) {
        const lineText = lines[l.line]!;
        assert.equal(lineText.slice(l.start, l.end), `gpt_step.ts:${l.location.line}`);
        assert.equal(l.location.file, SCRIPT);
        if (/ = sqrt /.test(lineText)) sqrtLines.add(l.location.line);
      }
      linked += links.length;
    }
  }
  assert.ok(linked > 500, `${linked} links`);
  // The layer norm's sqrt is on line 23 of the fixture.
  assert.deepEqual([...sqrtLines], [23]);
});

test("the hover on the GPT step's layer norm line links to the IR after fuse at that line's equations, each of them an equation of line 23", () => {
  const run = profileOnce(SCRIPT);
  const step = run.report.compilations.find((c) => c.passes.some((p) => p.name === "fuse" && p.text.includes("sqrt")))!;
  const lines = irDocLinesOf(run.report, step.id, "fuse", SCRIPT, 23);
  assert.ok(lines.length >= 4, `${lines.length} equations of line 23`);
  const text = virtualDocContent(run.report, { kind: "ir", compilation: step.id, pass: "fuse" })!.split("\n");
  for (const l of lines) assert.match(text[l]!, /\s# gpt_step\.ts:23$/);
  assert.ok(
    text.some((t, i) => / = sqrt /.test(t) && lines.includes(i)),
    "the sqrt among them",
  );
  const hover = lineHoverMarkdown(indexReport(run.report), SCRIPT, 23)!;
  const args = encodeURIComponent(JSON.stringify([step.id, "fuse", SCRIPT, 23]));
  assert.ok(
    hover.includes(`[IR after fuse at this line's ${lines.length} equations](command:jitscope.openPassIrAt?${args})`),
    hover,
  );
});
