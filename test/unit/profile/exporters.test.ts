import { test } from "node:test";
import assert from "node:assert/strict";
import { GPU_TID, HOST_TID, toChromeTrace } from "@jitscope/contract";
import { embedJson, renderHtmlReport } from "../../../runtime/src/profile/html.js";
import { EMBEDDED_REPORT_ELEMENT_ID } from "@jitscope/contract";
import { validateReport } from "@jitscope/contract";
import { recordSampleRun } from "./sampleRun.js";

test("the Chrome trace parses, with host spans and GPU kernels on their own tracks", () => {
  const { report } = recordSampleRun();
  const trace = JSON.parse(JSON.stringify(toChromeTrace(report))) as ReturnType<typeof toChromeTrace>;
  const slices = trace.traceEvents.filter((e) => e.ph === "X");
  const host = slices.filter((e) => e.tid === HOST_TID);
  const gpu = slices.filter((e) => e.tid === GPU_TID);
  assert.deepEqual(
    host.map((e) => e.name),
    ["call:step", "pass:fuse"],
  );
  assert.deepEqual(
    gpu.map((e) => e.name),
    ["fused_exp_sum_1", "fused_exp_sum_1", "fused_exp_sum_1", "eager_add", "eager_add"],
  );
  // µs on the trace clock: the first k1 dispatch started at 11 ms and took 100 ns.
  assert.equal(gpu[0]!.ts, 11000);
  assert.equal(gpu[0]!.dur, 0.1);
  const names = trace.traceEvents.filter((e) => e.ph === "M" && e.name === "thread_name").map((e) => e.args?.name);
  assert.deepEqual(names, ["Host", "GPU (timestamp queries)"]);
});

test("the Chrome trace has a flow from the jit call to each of its kernels", () => {
  const trace = toChromeTrace(recordSampleRun().report);
  const starts = trace.traceEvents.filter((e) => e.ph === "s");
  const ends = trace.traceEvents.filter((e) => e.ph === "f");
  // The call (callId 1) dispatched k1 three times; the eager k2 dispatches have no call.
  assert.equal(starts.length, 3);
  assert.deepEqual(
    starts.map((e) => e.id),
    ends.map((e) => e.id),
  );
  assert.ok(starts.every((e) => e.tid === HOST_TID && e.ts === 10000));
  assert.ok(ends.every((e) => e.tid === GPU_TID && e.bp === "e"));
  assert.deepEqual(
    ends.map((e) => e.ts),
    [11000, 12000, 13000],
  );
});

test("the HTML page embeds the report so that </script> in it cannot end the script element", () => {
  const { report } = recordSampleRun();
  const hostile = { ...report, script: "/tmp/</script><script>alert(1)</script>.ts" };
  const html = renderHtmlReport(hostile, "window.loaded = '</script>';");
  assert.equal(html.match(/<\/script>/g)!.length, 2, "only the two script elements close");
  const m = new RegExp(`<script type="application/json" id="${EMBEDDED_REPORT_ELEMENT_ID}">([^<]*)</script>`).exec(
    html,
  );
  assert.ok(m, "embedded report element present");
  assert.equal(validateReport(JSON.parse(m[1]!)).script, hostile.script);
  assert.ok(html.includes('<div id="app">'));
});

test("without the panel bundle the HTML page is a readable static summary", () => {
  const html = renderHtmlReport(recordSampleRun().report, null);
  assert.ok(html.includes("Kernels by total GPU time"));
  // k1's samples 100, 300, 200 ns: median 200 ns, p10–p90 120–280 ns, total 600 ns, no outliers.
  assert.ok(
    html.includes("<td>fused_exp_sum_1</td><td>3</td><td>200 ns</td><td>120 ns–280 ns</td><td>600 ns</td><td>0</td>"),
    html,
  );
  assert.ok(!html.includes("<script>"), "no inline program");
  assert.equal(embedJson("a</script>"), '"a\\u003c/script\\u003e"');
});

test("a dispatch issued inside a call span gets its flow even when its call id names no span", () => {
  const { report } = recordSampleRun();
  const renumbered = {
    ...report,
    timeline: {
      ...report.timeline,
      dispatches: report.timeline.dispatches.map((d) => (d.callId === undefined ? d : { ...d, callId: 77 })),
    },
  };
  // k1 was dispatched at 11 and 12 ms, inside the call span [10, 12]; the one at 13 ms is not.
  const ends = toChromeTrace(renumbered).traceEvents.filter((e) => e.ph === "f");
  assert.deepEqual(
    ends.map((e) => e.ts),
    [11000, 12000],
  );
});
