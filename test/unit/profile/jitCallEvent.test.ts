// A jit call recorded as one event (recorder.jitCall) builds the same report as its four
// separate events (encode span, call span, call, inputs): the whole report matches (timeline
// spans, setup times, functions, the inputs duplicate-compute reads), and each journal line is
// the one JSON.stringify writes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRecorder, MemorySink } from "../../../runtime/src/profile/recorder.js";
import { ReportBuilder } from "../../../runtime/src/profile/reportBuilder.js";
import { eventLine } from "../../../runtime/src/profile/eventLine.js";
import type { KernelInfo } from "../../../runtime/src/profile/recorderApi.js";

const kernel: KernelInfo = {
  id: "c0/k0",
  name: "fused_mul_add",
  compilation: "c0",
  mode: "jit",
  wgsl: "// k",
  ops: ["mul", "add"],
  opIds: [],
  locations: [{ file: "/s/a.ts", line: 3, column: 5 }],
  workgroupSize: [64, 1, 1],
  dispatch: [16, 1, 1],
  bytesRead: 4096,
  bytesWritten: 4096,
  flops: 2048,
};
const at = { file: "/s/a.ts", line: 9, column: 14 };

function record(merged: boolean): ReportBuilder {
  const sink = new MemorySink();
  const rec = createRecorder(sink);
  rec.registerKernel(kernel);
  // Two calls of the same compiled function on the same array (duplicate-compute's input), then
  // one eager (disableJit) call without a compilation.
  for (const [i, start] of [1.5, 2.75].entries()) {
    rec.recordDispatch("c0/k0", null, start + 0.001, i + 1);
    rec.recordSample("c0/k0", 12_000, start + 0.001);
    if (merged) {
      rec.jitCall({
        name: "step",
        location: at,
        compilation: "c0",
        start,
        wallMs: 0.05,
        kernelsPerCall: 1,
        callId: i + 1,
        inputs: [7],
        encode: { start: start + 0.0005, dur: 0.002 },
      });
    } else {
      rec.span("encode", "encode", start + 0.0005, 0.002, i + 1);
      rec.callInputs({ compilation: "c0", inputs: [7], start });
      rec.span("call:step", "call", start, 0.05, i + 1);
      rec.functionCall("step", at, "c0", 0.05, 1);
    }
  }
  if (merged) rec.jitCall({ name: "slow", location: at, compilation: null, start: 4, wallMs: 0.5, kernelsPerCall: 3 });
  else {
    rec.span("call:slow", "call", 4, 0.5);
    rec.functionCall("slow", at, null, 0.5, 3);
  }
  if (merged) {
    assert.equal(sink.events.filter((e) => e.e === "span" || e.e === "inputs").length, 0);
    for (const ev of sink.events) assert.equal(eventLine(ev), JSON.stringify(ev));
  }
  return sink.builder;
}

test("three jit calls as one event each build the same report as encode span + call span + call + inputs events", () => {
  const meta = { script: "/s/a.ts", status: "completed" as const, wallMs: 10 };
  const separate = record(false).build(meta);
  const merged = record(true).build(meta);
  assert.deepEqual({ ...merged, createdAt: "" }, { ...separate, createdAt: "" });
  // Not vacuous: the calls and their spans are there.
  assert.deepEqual(merged.functions.map((f) => [f.name, f.calls]).sort(), [
    ["slow", 1],
    ["step", 2],
  ]);
  assert.deepEqual(
    merged.timeline.spans.filter((s) => s.cat === "call").map((s) => [s.name, s.start, s.dur, s.callId]),
    [
      ["call:step", 1.5, 0.05, 1],
      ["call:step", 2.75, 0.05, 2],
      ["call:slow", 4, 0.5, undefined],
    ],
  );
  // The encode spans that rode on the compiled calls' events, each before its call's span.
  assert.deepEqual(
    merged.timeline.spans
      .filter((s) => s.cat === "encode" || s.cat === "call")
      .map((s) => [s.name, s.start, s.dur, s.callId]),
    [
      ["encode", 1.5005, 0.002, 1],
      ["call:step", 1.5, 0.05, 1],
      ["encode", 2.7505, 0.002, 2],
      ["call:step", 2.75, 0.05, 2],
      ["call:slow", 4, 0.5, undefined],
    ],
  );
});
