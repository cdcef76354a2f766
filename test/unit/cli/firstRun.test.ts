// A function whose every call compiled reads its cost of a call as a first run's, marked
// "(first run)" alike in the CLI table, the HTML page, the CodeLens and the hover; a function
// called again leaves its compiling call out of the median and carries no mark.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fixture, runCli } from "./runCli.js";
import { lensTitle } from "../../../extension/src/model/codeLens.js";
import { lineHoverMarkdown } from "../../../extension/src/model/hover.js";
import { indexReport } from "../../../extension/src/model/reportIndex.js";
import { renderHtmlReport } from "../../../runtime/src/profile/html.js";
import { compareRuns, withComparedCosts } from "../../../runtime/src/profile/comparison.js";

test("a function called once reads '(first run)' in the CLI, HTML, CodeLens and hover; one called 5 times leaves its compiling call out and reads no mark", () => {
  const script = fixture("first_run.ts");
  const r = runCli(script);
  assert.equal(r.code, 0, r.stderr);
  // tanh(3 + 1) and five times x → exp(−x²) from 1, computed here in float64.
  let v = 1;
  for (let i = 0; i < 5; i++) v = Math.exp(-v * v);
  const printed = (name: string) =>
    Number(r.report.console.find((l) => l.text.startsWith(`${name} `))!.text.split(" ")[1]);
  assert.ok(Math.abs(printed("once") - Math.tanh(4)) < 1e-6);
  assert.ok(Math.abs(printed("often") - v) < 1e-5, `${printed("often")} vs ${v}`);

  const once = r.report.functions.find((f) => f.name === "once")!;
  const often = r.report.functions.find((f) => f.name === "often")!;
  assert.equal(once.calls, 1);
  assert.equal(once.cost!.firstRun, true);
  assert.equal(often.calls, 5);
  assert.equal(often.cost!.firstRun, undefined);
  // often's first call (its compile, executable and pipeline) is not among the calls its host
  // part is the median of: that median is below the first call's wall time less its compile.
  const oftenCalls = r.report.timeline.spans.filter((s) => s.name === "call:often");
  assert.equal(oftenCalls.length, 5);
  assert.ok(often.msPerCall < Math.max(...oftenCalls.slice(1).map((s) => s.dur)) + 1e-9);

  const row = (name: string) =>
    r.stdout.split("\n").find((l) => l.startsWith(`${name} `) && l.includes("first_run.ts"))!;
  assert.match(row("once"), /\(first run\)/);
  assert.doesNotMatch(row("often"), /first run/);

  assert.match(lensTitle(once, undefined), /\/call \(first run\)/);
  assert.doesNotMatch(lensTitle(often, undefined), /first run/);
  const index = indexReport(r.report);
  const hover = (fn: typeof once) => lineHoverMarkdown(index, fn.location!.file, fn.location!.line)!;
  assert.match(hover(once), /\/call \(first run\)/);
  assert.doesNotMatch(hover(often), /first run/);
  const html = renderHtmlReport(r.report, null);
  assert.match(html, /<td>once<\/td>(<td>[^<]*<\/td>){3}<td>[^<]* \(first run\)<\/td>/);
  assert.doesNotMatch(html, /<td>often<\/td>(<td>[^<]*<\/td>){3}<td>[^<]* \(first run\)<\/td>/);

  // Compared, a mode is a first run when every run's is, and the jit figure keeps the mark.
  const compared = compareRuns([r.report, r.report], [r.report]);
  const c = compared.find((f) => f.name === "once")!;
  assert.equal(c.eager.firstRun, true);
  assert.equal(c.jit.firstRun, true);
  assert.equal(compared.find((f) => f.name === "often")!.jit.firstRun, undefined);
  assert.equal(withComparedCosts(r.report.functions, compared).find((f) => f.name === "once")!.cost!.firstRun, true);
});
