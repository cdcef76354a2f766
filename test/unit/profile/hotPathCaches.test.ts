// The caches on the profiled hot path (ir/location.ts, profile/journal.ts) give the same answers
// as the uncached code: two call sites keep their own lines, a loop body's line keeps its count,
// and a journal formatted at write time holds exactly the lines of the events as they came.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { userFrameOfCapture } from "../../../runtime/src/ir/location.js";
import { JournalWriter, readJournal } from "../../../runtime/src/profile/journal.js";
import { eventLine } from "../../../runtime/src/profile/eventLine.js";
import type { RecorderEvent } from "../../../runtime/src/profile/events.js";

function capture(): { stack?: unknown } {
  const holder = {};
  Error.captureStackTrace(holder, capture);
  return holder;
}

test("two captures on different lines keep different locations; the same line gives the same cached object", () => {
  const here = capture(); // line A
  const there = capture(); // line A + 1
  const a = userFrameOfCapture(here);
  const b = userFrameOfCapture(there);
  assert.ok(a && b);
  assert.ok(a.file.endsWith("hotPathCaches.test.ts"), a.file);
  assert.equal(b.line, a.line + 1);
  assert.equal(b.file, a.file);

  const seen: ReturnType<typeof userFrameOfCapture>[] = [];
  for (let i = 0; i < 5; i++) seen.push(userFrameOfCapture(capture()));
  assert.equal(new Set(seen).size, 1, "one object for the loop body's line");
  assert.ok(seen[0]!.line > b.line);
});

test("two captures on one line at different columns keep their columns", () => {
  const [x, y] = [userFrameOfCapture(capture()), userFrameOfCapture(capture())];
  assert.ok(x && y);
  assert.equal(x.line, y.line);
  assert.ok(y.column > x.column, `${x.column} < ${y.column}`);
});

test("a journal whose hot events are formatted at flush holds each event's line as it was written, in order", () => {
  const dir = mkdtempSync(join(tmpdir(), "jitscope-journal-"));
  try {
    const path = join(dir, "events.jsonl");
    const journal = new JournalWriter(path);
    const events: RecorderEvent[] = [
      { e: "dispatch", kernel: "c0/k1", gpuNs: null, start: 1.234567891, callId: 3 },
      { e: "live", t: 2.5, bytes: 16384 },
      { e: "span", span: { name: "call:f", cat: "call", start: 1.2, dur: 0.0123456789, callId: 3 } },
      {
        e: "call",
        name: "f",
        location: { file: "/a b/c.ts", line: 4, column: 9 },
        compilation: "c0",
        wallMs: 0.1,
        kernelsPerCall: 1,
      },
      { e: "inputs", call: { compilation: "c0", inputs: [1, 2], start: 1.2 } },
      { e: "sample", kernel: "c0/k1", gpuNs: 1234.5, start: 1.234567891, gpuT: 77 },
      { e: "console", line: { stream: "stdout", text: "hi", t: 3 } },
    ];
    for (const ev of events) journal.write(ev);
    journal.flush();
    journal.close();
    const text = readFileSync(path, "utf8");
    assert.equal(text, events.map((ev) => eventLine(ev) + "\n").join(""));
    assert.deepEqual(readJournal(path), JSON.parse(JSON.stringify(events)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("span and call durations are recorded in whole ns (the float noise of a clock difference dropped)", async () => {
  const { createRecorder, MemorySink } = await import("../../../runtime/src/profile/recorder.js");
  const sink = new MemorySink();
  const rec = createRecorder(sink);
  const t0 = 2664.627413;
  const t1 = 2664.656446;
  rec.span("call:f", "call", t0, t1 - t0, 1);
  rec.functionCall("f", null, "c0", t1 - t0, 1);
  assert.notEqual(t1 - t0, 0.029033, "the difference carries float noise");
  assert.deepEqual(sink.events, [
    { e: "span", span: { name: "call:f", cat: "call", start: t0, dur: 0.029033, callId: 1 } },
    { e: "call", name: "f", location: null, compilation: "c0", wallMs: 0.029033, kernelsPerCall: 1 },
  ]);
});
