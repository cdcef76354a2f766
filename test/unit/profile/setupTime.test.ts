// The cost of a call leaves out the one-time work inside it (tracing, passes, the IR snapshots,
// building the executable and its pipelines): SetupSpans measures it as the union of those spans
// within the call, and the report's host part of a call is its wall time less that.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SetupSpans } from "../../../runtime/src/profile/setupTime.js";
import { createRecorder, MemorySink } from "../../../runtime/src/profile/recorder.js";

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} ≠ ${b}`);

test("setup within a call: disjoint spans add, a span nested in another counts once, other categories and spans outside the call do not count", () => {
  const s = new SetupSpans();
  s.add({ cat: "trace", start: 10, dur: 2 });
  s.add({ cat: "compile", start: 12.5, dur: 1 });
  s.add({ cat: "pipeline", start: 14.2, dur: 0.5 }); // inside the executable's span, recorded first
  s.add({ cat: "compile", start: 14, dur: 2 });
  s.add({ cat: "encode", start: 16.5, dur: 0.4 });
  s.add({ cat: "trace", start: 30, dur: 5 }); // another call's compile
  close(s.within(9.5, 8), 2 + 1 + 2);
  // A window that ends inside a span counts up to its end.
  close(s.within(9.5, 4.5), 2 + 1);
  close(s.within(13.9, 1), 0.1 + 0.5 + 0.3);
  close(s.within(17, 10), 0);
});

test("a call that compiled is left out of the median when later calls did not compile, and alone it gives its wall time less its setup, marked a first run", () => {
  const sink = new MemorySink();
  const rec = createRecorder(sink);
  const at = { file: "/s/a.ts", line: 9, column: 14 };
  // First call, 20 ms: trace 3 ms, a pass 2 ms, the executable 6 ms with a 4 ms pipeline inside.
  rec.span("trace:step", "trace", 100.5, 3);
  rec.span("pass:fuse", "compile", 103.75, 2);
  rec.span("pipeline:k", "pipeline", 107, 4);
  rec.span("executable:step", "compile", 106, 6);
  rec.jitCall({ name: "step", location: at, compilation: "c0", start: 100, wallMs: 20, kernelsPerCall: 0 });
  // Second and third calls: no setup.
  rec.jitCall({ name: "step", location: at, compilation: "c0", start: 130, wallMs: 1.5, kernelsPerCall: 0 });
  rec.jitCall({ name: "step", location: at, compilation: "c0", start: 140, wallMs: 1.25, kernelsPerCall: 0 });
  const report = sink.builder.build({ script: "/s/a.ts", status: "completed", wallMs: 200 });
  const fn = report.functions.find((f) => f.name === "step")!;
  // The first call did one-time work: the median is over the other two, (1.5 + 1.25) / 2.
  close(fn.msPerCall, 1.375);
  assert.equal(fn.cost!.firstRun, undefined);
  const once = new MemorySink();
  const rec1 = createRecorder(once);
  rec1.span("trace:step", "trace", 100.5, 3);
  rec1.span("pass:fuse", "compile", 103.75, 2);
  rec1.span("pipeline:k", "pipeline", 107, 4);
  rec1.span("executable:step", "compile", 106, 6);
  rec1.jitCall({ name: "step", location: at, compilation: "c0", start: 100, wallMs: 20, kernelsPerCall: 0 });
  const single = once.builder.build({ script: "/s/a.ts", status: "completed", wallMs: 200 });
  // Its only call: 20 − 11 ms, a first run's.
  close(single.functions[0]!.msPerCall, 9);
  close(single.functions[0]!.cost!.hostMs, 9);
  assert.equal(single.functions[0]!.cost!.firstRun, true);
});
