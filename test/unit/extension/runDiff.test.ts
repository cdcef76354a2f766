// The editor's view of a diff against the baseline, on the committed reports of
// test/fixtures/diff (base, then split, then added_op): the CodeLens over `jit(` says what moved,
// the line heat marks the changed lines, and each script keeps its own baseline.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jitLenses } from "../../../extension/src/model/codeLens.js";
import { findJitSites } from "../../../extension/src/model/jitSites.js";
import { lineHeat } from "../../../extension/src/model/lineHeat.js";
import { lineHoverMarkdown } from "../../../extension/src/model/hover.js";
import { indexReport } from "../../../extension/src/model/reportIndex.js";
import { RunHistory, type RunHistoryState } from "../../../extension/src/model/runHistory.js";
import { DEFAULT_SETTINGS } from "../../../extension/src/model/settings.js";
import { diffRun } from "../../../extension/src/runner/diffRun.js";
import { diffReports } from "../../../runtime/src/profile/diff.js";
import { validateReport } from "@jitscope/contract";

const ROOT = join(import.meta.dirname, "../../..");
const load = (name: string) => validateReport(readFileSync(join(ROOT, "test/fixtures/reports", name), "utf8"));
const sitesOf = (script: string) => findJitSites(readFileSync(join(ROOT, "test/fixtures/diff", script), "utf8"));

test("after a reshape split the kernel, the CodeLens reads '… · vs previous run: +1 dispatch/call, peak +16.0 KiB, 1 kernel split'", () => {
  const base = load("diff_base.json");
  const split = load("diff_split.json");
  const diff = diffReports(base, split);
  const [lens] = jitLenses(split, split.script, sitesOf("split.ts"), diff, "previous run");
  assert.ok(lens, "a lens over jit(chain)");
  assert.match(
    lens.title,
    /^2 dispatches\/call · .* · vs previous run: (.*ms\/call.*, )?\+1 dispatch\/call, peak \+16\.0 KiB, 1 kernel split$/,
  );
  // Without a diff the title is the plain one.
  const [plain] = jitLenses(split, split.script, sitesOf("split.ts"));
  assert.doesNotMatch(plain!.title, /vs previous/);
});

test("a run compared with itself says 'no significant change' in its CodeLens and adds no line notes", () => {
  const base = load("diff_base.json");
  const diff = diffReports(base, base);
  const [lens] = jitLenses(base, base.script, sitesOf("base.ts"), diff, "previous run");
  assert.match(lens!.title, / · vs previous run: no significant change$/);
  assert.ok(lineHeat(indexReport(base), base.script, diff).every((h) => !h.text.includes("Δ")));
});

test("the line heat of an added op marks lines 5-7 with 'Δ kernel changed'", () => {
  const added = load("diff_added_op.json");
  const diff = diffReports(load("diff_base.json"), added);
  const heat = lineHeat(indexReport(added), added.script, diff);
  assert.deepEqual(
    heat.map((h) => h.line),
    [5, 6, 7],
  );
  for (const h of heat) assert.match(h.text, / · Δ (.*, )?kernel changed$/, h.text);
});

test("each script's baseline is its previous run until a report is pinned for it", () => {
  const h = new RunHistory();
  assert.equal(h.baselineFor("/p/a.ts"), null);
  h.recordRun("/p/a.ts", "/tmp/1.json");
  h.recordRun("/p/b.ts", "/tmp/2.json");
  assert.equal(h.baselineFor("/p/a.ts"), "/tmp/1.json");
  h.recordRun("/p/a.ts", "/tmp/3.json");
  assert.equal(h.baselineFor("/p/a.ts"), "/tmp/3.json");
  h.pin("/p/a.ts", "/saved/base.json");
  h.recordRun("/p/a.ts", "/tmp/4.json");
  assert.deepEqual(
    [h.baselineFor("/p/a.ts"), h.isPinned("/p/a.ts"), h.baselineFor("/p/b.ts")],
    ["/saved/base.json", true, "/tmp/2.json"],
  );
});

test("a run history saves each change; restored, it keeps the baselines still on disk and drops malformed entries", async () => {
  const dir = await mkdtemp(join(tmpdir(), "jitscope-history-"));
  const [a, b] = [join(dir, "a.report.json"), join(dir, "b.report.json")];
  await writeFile(a, "{}");
  await writeFile(b, "{}");
  const saved: RunHistoryState[] = [];
  const h = new RunHistory(undefined, (s) => saved.push(s));
  h.recordRun("/p/a.ts", a);
  h.pin("/p/b.ts", b);
  h.recordRun("/p/c.ts", join(dir, "gone.report.json"));
  assert.equal(saved.length, 3);
  const last = JSON.parse(JSON.stringify(saved.at(-1))) as RunHistoryState; // as storage returns it
  last.previous.push(["/p/d.ts", 7 as unknown as string], ["/p/e.ts"] as unknown as [string, string]);

  const restored = new RunHistory(last);
  assert.deepEqual(
    ["/p/a.ts", "/p/b.ts", "/p/c.ts", "/p/d.ts", "/p/e.ts"].map((f) => [restored.baselineFor(f), restored.isPinned(f)]),
    [
      [a, false],
      [b, true],
      [null, false],
      [null, false],
      [null, false],
    ],
  );
  for (const junk of [null, 3, "x", { previous: "x", pinned: [[1, 2]] }])
    assert.deepEqual(new RunHistory(junk).inUse(), [], JSON.stringify(junk));
  await rm(dir, { recursive: true, force: true });
});

test("the extension gets its diff from the CLI's `diff --json`: the split, read back through the contract", async () => {
  const cliPath = join(ROOT, "dist/cli.mjs");
  const reports = (name: string) => join(ROOT, "test/fixtures/reports", name);
  const r = await diffRun({
    cliPath,
    settings: DEFAULT_SETTINGS,
    oldReport: reports("diff_base.json"),
    newReport: reports("diff_split.json"),
    nodeExecutable: process.execPath,
  });
  assert.ok(r.ok, r.ok ? "" : r.error);
  assert.deepEqual(
    r.diff.kernels.filter((k) => k.change !== "same").map((k) => [k.change, k.old.length, k.new.length]),
    [["split", 1, 2]],
  );
  assert.deepEqual(
    r.diff,
    JSON.parse(JSON.stringify(diffReports(load("diff_base.json"), load("diff_split.json")))),
    "the same diff as diffReports computes",
  );
  const bad = await diffRun({
    cliPath,
    settings: DEFAULT_SETTINGS,
    oldReport: join(ROOT, "package.json"),
    newReport: reports("diff_split.json"),
    nodeExecutable: process.execPath,
  });
  assert.equal(bad.ok, false);
  assert.match(bad.ok ? "" : bad.error, /jitscope diff exited with 2: .*old report .*package\.json cannot be read/);
});

test("the hover on the edited line 6 says, against the previous run, that its kernel changed and gained exp", () => {
  const added = load("diff_added_op.json");
  const diff = diffReports(load("diff_base.json"), added);
  const md = lineHoverMarkdown(indexReport(added), added.script, 6, { diff: { diff, label: "previous run" } })!;
  assert.match(
    md,
    /\*\*vs previous run\*\* — kernel changed\n\n- changed: fused_mul_add_tanh → fused_mul_add_tanh_exp \(\+exp @ line 6\)/,
  );
  const site = lineHoverMarkdown(indexReport(added), added.script, added.functions[0]!.location!.line, {
    diff: { diff, label: "previous run" },
  })!;
  assert.match(site, /- jit · chain: 1 kernel changed/);
  assert.doesNotMatch(lineHoverMarkdown(indexReport(added), added.script, 6)!, /vs previous run/);
});
