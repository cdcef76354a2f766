// What a long run leaves the CLI holding: its console beyond the report's CONSOLE_LIMIT lines is
// counted, not kept (a script printing a line a step for a million steps held them all).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "./runCli.js";
import { CONSOLE_LIMIT } from "../../../runtime/src/profile/reportBuilder.js";

test("a script printing 2,001 lines more than the report keeps: the first ones are kept, the rest counted, and the terminal shows all", () => {
  const script = join(mkdtempSync(join(tmpdir(), "jitscope-console-")), "prints.ts");
  const n = CONSOLE_LIMIT + 2000;
  writeFileSync(
    script,
    `import { np } from "jitscope";\nconsole.log(await np.add(np.ones([4]), 1).toArray());\nfor (let i = 0; i < ${n}; i++) console.log(\`step \${i}\`);\n`,
  );
  const r = runCli(script, ["--backend", "cpu"]);
  assert.equal(r.code, 0, r.stderr);
  const steps = r.report.console.filter((l) => l.text.startsWith("step "));
  assert.equal(r.report.console.length, CONSOLE_LIMIT);
  assert.equal(steps[0]!.text, "step 0");
  assert.equal(steps[steps.length - 1]!.text, `step ${CONSOLE_LIMIT - 2}`);
  assert.ok(
    r.report.device.notes.includes(`console keeps the first ${CONSOLE_LIMIT} lines (2001 more were printed)`),
    r.report.device.notes.join("\n"),
  );
  assert.match(r.stdout, new RegExp(`step ${n - 1}\\n`));
});
