// The recorder and journal alone, without a GPU: replays what the recorder receives in one
// iteration of profile_overhead.ts's worst case (a jit call with its encode span and dispatch,
// two eager dispatches, six live-bytes samples) 20,000 times, journal on disk, and prints the CPU
// time per iteration (every thread: the journal's background writes count). To compare two builds
// of the runtime, keep the other one in dist/ (where node_modules resolves) and alternate:
// npm run build && node --import tsx bench/dev/recorder_replay.ts [dist/runtime.mjs]
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ProfileRecorder } from "../../runtime/src/profile/recorder.js";

const runtime = resolve(process.argv[2] ?? "dist/runtime.mjs");
const file = join(tmpdir(), `jitscope-replay-${process.pid}.jsonl`);
process.env.JITSCOPE_EVENTS_FILE = file;
await import(pathToFileURL(runtime).href);
// An older build may lack jitCall: then the call goes as span + call + inputs, as it did.
const rec = (globalThis as Record<symbol, unknown>)[Symbol.for("jitscope.recorder")] as Partial<ProfileRecorder> &
  Omit<ProfileRecorder, "jitCall">;
const loc = { file: "/w/tiny_sync.ts", line: 26, column: 14 };
const N = 20_000;

function iteration(i: number): void {
  const t0 = rec.now();
  const callId = rec.nextCallId();
  const e0 = rec.now();
  rec.recordDispatch("c0/k1", null, rec.now(), callId);
  rec.span("encode", "encode", e0, rec.now() - e0, callId);
  const wall = performance.now() - t0;
  if (rec.jitCall) {
    rec.jitCall({
      name: "step",
      location: loc,
      compilation: "c0",
      start: t0,
      wallMs: wall,
      kernelsPerCall: 1,
      callId,
      inputs: [1],
    });
  } else {
    rec.callInputs({ compilation: "c0", inputs: [1], start: t0 });
    rec.span("call:step", "call", t0, wall, callId);
    rec.functionCall("step", loc, "c0", wall, 1);
  }
  rec.liveBytes(1000 + (i % 3));
  rec.recordDispatch("eager_mul@/w/tiny_sync.ts:27:14", null, rec.now());
  rec.liveBytes(2000 + (i % 3));
  rec.recordDispatch("eager_add@/w/tiny_sync.ts:27:30", null, rec.now());
  for (let k = 0; k < 4; k++) rec.liveBytes(3000 + k + (i % 3));
}

for (let i = 0; i < 2000; i++) iteration(i);
rec.flush();
const perIteration: number[] = [];
for (let rep = 0; rep < 5; rep++) {
  const c0 = process.cpuUsage();
  for (let i = 0; i < N; i++) iteration(i);
  rec.flush();
  const c = process.cpuUsage(c0);
  perIteration.push((c.user + c.system) / N);
}
perIteration.sort((a, b) => a - b);
console.log(
  `${runtime}: recorder CPU µs per worst-case iteration, median of 5: ${perIteration[2]!.toFixed(2)} ` +
    `(all ${perIteration.map((x) => x.toFixed(2)).join(" ")})`,
);
rmSync(file, { force: true });
