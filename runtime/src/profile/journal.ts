// The journal: recorder events as JSON lines appended to a file the CLI parent names
// (JITSCOPE_EVENTS_FILE). Writes are synchronous and batched, and the last batch is written on
// process exit, so a crash or a kill loses at most one short batch and never corrupts earlier ones.
// The per-op events are turned into text when their batch is written, not as they arrive: a
// profiled loop of tiny ops then pays an array push per event instead of formatting its numbers
// (about 0.5 µs per double) between its ops; the batch is formatted in one tight loop.

import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import { eventLine } from "./eventLine.js";
import type { RecorderEvent } from "./events.js";

const BATCH_EVENTS = 512;
const BATCH_MS = 100;
/** A batch left pending after a burst is written this soon, even if no event follows. */
const IDLE_FLUSH_MS = 20;
const CLOCK_EVERY = 16;
/** Rare, structural events are written at once: a crash must not lose a kernel or a compilation. */
const WRITE_AT_ONCE = new Set<RecorderEvent["e"]>(["kernel", "compilation", "device", "error", "sweep"]);
/** Events the recorder builds afresh from numbers and strings (or from objects nobody changes
 *  afterwards), so formatting them later gives the same line; the rest are formatted at once. */
const FORMAT_LATER = new Set<RecorderEvent["e"]>(["dispatch", "sample", "span", "live", "call", "inputs"]);

export interface EventSink {
  write(ev: RecorderEvent): void;
  flush(): void;
}

export class JournalWriter implements EventSink {
  private fd: number | null;
  /** Lines, or events to be formatted when the batch is written. */
  private pending: (string | RecorderEvent)[] = [];
  private lastFlush = performance.now();

  constructor(path: string) {
    this.fd = openSync(path, "a");
  }

  private timer: ReturnType<typeof setTimeout> | null = null;

  write(ev: RecorderEvent): void {
    const n = this.pending.push(FORMAT_LATER.has(ev.e) ? ev : eventLine(ev));
    // The clock is read every CLOCK_EVERY events, not per event (a clock read costs as much as
    // recording a small event): a batch may outlive BATCH_MS by that many events.
    if (
      WRITE_AT_ONCE.has(ev.e) ||
      n >= BATCH_EVENTS ||
      (n % CLOCK_EVERY === 0 && performance.now() - this.lastFlush > BATCH_MS)
    )
      this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), IDLE_FLUSH_MS);
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.lastFlush = performance.now();
    if (this.fd === null || this.pending.length === 0) return;
    const pending = this.pending;
    this.pending = [];
    let text = "";
    for (const p of pending) text += (typeof p === "string" ? p : eventLine(p)) + "\n";
    try {
      writeSync(this.fd, text);
    } catch {
      // The parent went away; nobody will read the journal.
      this.close();
    }
  }

  close(): void {
    if (this.fd === null) return;
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    this.fd = null;
  }
}

/** Reads a journal. A torn last line (the writer was killed mid-write) is skipped, not fatal. */
export function readJournal(path: string): RecorderEvent[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return [];
  }
  const events: RecorderEvent[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    try {
      const ev = JSON.parse(line) as unknown;
      if (ev && typeof ev === "object" && typeof (ev as { e?: unknown }).e === "string")
        events.push(ev as RecorderEvent);
    } catch {
      // torn line
    }
  }
  return events;
}
