// The recorder journals live bytes at most a few times per LIVE_WINDOW_MS (recorder.ts): the
// first change of a window at once, then the window's peak and its last value, each at its own
// time, when the next window opens or the recorder is flushed. The peak a report shows is then
// the true peak. A fake clock makes the windows exact.
import { test } from "node:test";
import assert from "node:assert/strict";
import { LIVE_WINDOW_MS, MemorySink, createRecorder } from "../../../runtime/src/profile/recorder.js";

function recorderAt(times: number[]) {
  const sink = new MemorySink();
  let i = 0;
  const rec = createRecorder(sink, () => times[i++]!);
  const live = () => sink.events.flatMap((e) => (e.e === "live" ? [[e.t, e.bytes]] : []));
  return { rec, sink, live };
}

test("changes inside one window: the first is journaled at once, the peak and the last only when the window closes", () => {
  const w = LIVE_WINDOW_MS;
  const { rec, live } = recorderAt([0, 0.1 * w, 0.2 * w, 0.3 * w, 0.4 * w, 1.5 * w]);
  rec.liveBytes(100);
  rec.liveBytes(400);
  rec.liveBytes(250);
  rec.liveBytes(300);
  rec.liveBytes(200);
  assert.deepEqual(live(), [[0, 100]]);
  rec.liveBytes(50); // the next window
  assert.deepEqual(live(), [
    [0, 100],
    [0.1 * w, 400],
    [0.4 * w, 200],
    [1.5 * w, 50],
  ]);
});

test("flush writes the open window's held changes; a window whose peak is its last change writes it once", () => {
  const { rec, live } = recorderAt([0, 0.2, 0.4]);
  rec.liveBytes(100);
  rec.liveBytes(200);
  rec.liveBytes(300);
  rec.flush();
  assert.deepEqual(live(), [
    [0, 100],
    [0.4, 300],
  ]);
  rec.flush();
  assert.equal(live().length, 2, "nothing held after a flush");
});

test("a value equal to the last one journals nothing and reads no clock; a suspended recorder journals nothing", () => {
  const { rec, live } = recorderAt([0, 5]);
  rec.liveBytes(100);
  rec.liveBytes(100);
  const resume = rec.suspend();
  rec.liveBytes(900);
  resume();
  rec.liveBytes(120); // reads the second clock value: the repeat and the suspended call read none
  assert.deepEqual(live(), [
    [0, 100],
    [5, 120],
  ]);
});

test("a burst of 1,000 changes in one window becomes 3 journal events, and the report's peak is the burst's peak", () => {
  const times = Array.from({ length: 1001 }, (_, i) => (i * 0.5 * LIVE_WINDOW_MS) / 1000);
  const { rec, sink, live } = recorderAt(times);
  let peak = 0;
  for (let i = 0; i < 1000; i++) {
    const bytes = 4096 * (1 + ((i * 37) % 101));
    peak = Math.max(peak, bytes);
    rec.liveBytes(bytes);
  }
  rec.flush();
  assert.equal(live().length, 3);
  const samples = sink.builder.build({ script: "s.ts", status: "completed", wallMs: 10 }).timeline.liveBytes!;
  assert.equal(Math.max(...samples.map((s) => s.bytes)), peak);
  assert.equal(samples[samples.length - 1]!.bytes, 4096 * (1 + ((999 * 37) % 101)), "ends at the last value");
});
