// The links from the IR after each pass to the user's code (extension model/virtualDocuments.ts
// irDocLinks), on a real program: the GPT-style training step fixture profiled through the CLI.
// Every equation's trailing `# gpt_step.ts:N` links to line N of the fixture; nothing else links.

import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { irDocLinks, virtualDocContent } from "../../../extension/src/model/virtualDocuments.js";
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
