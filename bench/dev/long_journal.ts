// How the CLI copes with a long run's journal: a real journal's per-op events (calls,
// dispatches, samples, spans, live bytes) repeated, times shifted, until it holds the number of
// calls asked for; then read in chunks and built into a report as `jitscope profile` does.
// Prints the journal's size, the time to the report, and the heap and resident memory after it
// (the reading in a process of its own, so the writing's memory is not counted).
//   KEEP_DIR=/tmp/keep ONLY=tiny_sync node --import tsx bench/dev/recorder_host.ts 10
//   node --expose-gc --import tsx bench/dev/long_journal.ts /tmp/keep/tiny_sync.jsonl [calls]
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { forEachJournalEvent, readJournal } from "../../runtime/src/profile/journal.js";
import { ReportBuilder } from "../../runtime/src/profile/reportBuilder.js";
import type { RecorderEvent } from "../../runtime/src/profile/events.js";

if (process.argv[2] === "--read") {
  readAndBuild(process.argv[3]!);
  process.exit(0);
}
const source = process.argv[2];
const wanted = Number(process.argv[3] ?? 1_000_000);
if (!source) throw new Error("usage: long_journal.ts <journal.jsonl> [calls]");

/** What `jitscope profile` does with a finished run's journal. */
function readAndBuild(path: string): void {
  const t0 = performance.now();
  const builder = new ReportBuilder();
  let n = 0;
  forEachJournalEvent(path, (ev) => {
    n++;
    builder.apply(ev);
  });
  const report = builder.build({ script: path, status: "completed", wallMs: 1 });
  const ms = performance.now() - t0;
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  const calls = report.functions.reduce((t, f) => t + f.calls, 0);
  const reportMb = JSON.stringify(report).length / 2 ** 20;
  console.log(
    `${(statSync(path).size / 2 ** 20).toFixed(0)} MB journal, ${n} events, ${calls} calls: report in ${(ms / 1000).toFixed(1)} s; ` +
      `heap ${(m.heapUsed / 2 ** 20).toFixed(0)} MB after a collection, resident ${(m.rss / 2 ** 20).toFixed(0)} MB; ` +
      `the report ${reportMb.toFixed(1)} MB`,
  );
}

const events = readJournal(source);
const PER_OP = new Set<RecorderEvent["e"]>(["call", "dispatch", "sample", "span", "live"]);
const head = events.filter((ev) => !PER_OP.has(ev.e));
const body = events.filter((ev) => PER_OP.has(ev.e));
const callsPerBody = body.filter((ev) => ev.e === "call").length;
if (callsPerBody === 0) throw new Error(`${source} holds no calls`);
const times = body.flatMap((ev) =>
  ev.e === "live" ? [ev.t] : ev.e === "span" ? [ev.span.start] : "start" in ev ? [ev.start ?? 0] : [],
);
const span = Math.max(...times) - Math.min(...times) + 1;

/** The event moved `dt` ms later, and its call id (if any) by `dId`. */
function shifted(ev: RecorderEvent, dt: number, dId: number): RecorderEvent {
  switch (ev.e) {
    case "dispatch":
      return { ...ev, start: ev.start + dt, ...(ev.callId !== undefined ? { callId: ev.callId + dId } : {}) };
    case "sample":
      return { ...ev, start: ev.start + dt };
    case "live":
      return { ...ev, t: ev.t + dt };
    case "span":
      return { ...ev, span: { ...ev.span, start: ev.span.start + dt } };
    case "call": {
      const c = { ...ev };
      if (c.start !== undefined) c.start += dt;
      if (c.encodeStart !== undefined) c.encodeStart += dt;
      if (c.callId !== undefined) c.callId += dId;
      return c;
    }
    default:
      return ev;
  }
}

const dir = mkdtempSync(join(tmpdir(), "jitscope-long-"));
try {
  const path = join(dir, "events.jsonl");
  let text = head.map((ev) => JSON.stringify(ev) + "\n").join("");
  const repeats = Math.ceil(wanted / callsPerBody);
  for (let r = 0; r < repeats; r++) {
    for (const ev of body) text += JSON.stringify(shifted(ev, r * span, r * callsPerBody)) + "\n";
    if (text.length > 4 << 20) {
      appendFileSync(path, text);
      text = "";
    }
  }
  appendFileSync(path, text);
  const self = fileURLToPath(import.meta.url);
  spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", self, "--read", path], { stdio: "inherit" });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
