import { test } from "node:test";
import assert from "node:assert/strict";
import { defaultState, restoreState } from "../../../webview/src/state.js";
import { parseHostMessage, reportProblem } from "@jitscope/contract";
import { mlpReport } from "./fixtures.js";

test("state saved by setState comes back as it was", () => {
  const s = {
    ...defaultState(),
    view: "compare" as const,
    compilation: "c-gelu-0",
    passIndex: { "c-step-0": 2 },
    hideConstants: true,
    collapsed: ["k1"],
    search: "tanh",
    kernelSort: { key: "calls" as const, descending: false },
    revealed: ["op3"],
    loop: ["op9", "op4"],
  };
  assert.deepEqual(restoreState(JSON.parse(JSON.stringify(s))), s);
});

test("missing or malformed saved state falls back field by field", () => {
  assert.deepEqual(restoreState(undefined), defaultState());
  const r = restoreState({
    view: "nonsense",
    passIndex: { a: 1.5, b: 3 },
    collapsed: ["k0", 7],
    kernelSort: { key: "wgsl" },
    hideConstants: "yes",
    loop: "op9",
  });
  assert.deepEqual(r.loop, []);
  assert.equal(r.view, "graph");
  assert.deepEqual(r.passIndex, { b: 3 });
  assert.deepEqual(r.collapsed, ["k0"]);
  assert.deepEqual(r.kernelSort, defaultState().kernelSort);
  assert.equal(r.hideConstants, false);
});

test("a report is checked before it is drawn, with a reason when it cannot be", () => {
  assert.equal(reportProblem(mlpReport()), null);
  assert.match(reportProblem(null)!, /^not a JIT Scope report/);
  assert.match(reportProblem({ ...mlpReport(), tool: "other" })!, /not a JIT Scope report/);
  assert.match(reportProblem({ ...mlpReport(), version: 3 })!, /report version 3 unsupported/);
  assert.equal(reportProblem({ ...mlpReport(), timeline: {} }), "timeline.spans must be an array");
});

test("host messages the panel does not understand are dropped", () => {
  assert.equal(parseHostMessage({ type: "report", report: { tool: "x" } }), null);
  assert.equal(parseHostMessage({ type: "launch" }), null);
  assert.equal(parseHostMessage("report"), null);
  assert.equal(parseHostMessage({ type: "showView", view: "settings" }), null);
  assert.deepEqual(parseHostMessage({ type: "showView", view: "kernels" }), { type: "showView", view: "kernels" });
  assert.equal(parseHostMessage({ type: "report", report: mlpReport() })?.type, "report");
});
