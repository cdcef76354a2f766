// The journal: recorder events as JSON lines appended to a file the CLI parent names
// (JITSCOPE_EVENTS_FILE). Writes are batched, and the last batch is written on process exit, so a
// crash loses nothing, and a kill (SIGKILL) loses at most the pending batch and any batch still in
// the pool's hands (a write there takes microseconds), and never corrupts earlier ones. A batch the
// journal writes by itself (full, or the idle timer) goes to the file from libuv's thread pool:
// each batch has its own offset, so batches may land in any order, and until one has landed an
// explicit flush() (process exit, the child's output checkpoints) writes it again, synchronously,
// at the same offset: the same bytes at the same place, so whichever write comes last changes
// nothing. The profiled program's thread then never waits on the disk (on a busy machine a
// synchronous write of a batch cost more than formatting it).
// The per-op events are turned into text when their batch is written, not as they arrive: a
// profiled loop of tiny ops then pays an array push per event instead of formatting its numbers
// (about 0.5 µs per double) between its ops; the batch is formatted in one tight loop.

import { closeSync, constants, fstatSync, openSync, readSync, write, writeSync } from "node:fs";
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
const FORMAT_LATER = new Set<RecorderEvent["e"]>([
  "dispatch",
  "dispatches",
  "sample",
  "driverCompile",
  "span",
  "live",
  "call",
  "inputs",
]);

export interface EventSink {
  write(ev: RecorderEvent): void;
  flush(): void;
}

/** A batch on its way to the file, at its own offset. */
interface Landing {
  readonly at: number;
  readonly bytes: Buffer;
}

export class JournalWriter implements EventSink {
  private fd: number | null;
  /** Lines, or events to be formatted when the batch is written. */
  private pending: (string | RecorderEvent)[] = [];
  private lastFlush = performance.now();
  /** Where the next batch goes: batches are written at explicit offsets (pwrite), not appended
   *  (a file opened for appending ignores the offset on Linux). */
  private end: number;
  /** Batches written in the background that have not landed yet. */
  private readonly landing = new Set<Landing>();

  constructor(path: string) {
    this.fd = openSync(path, constants.O_WRONLY | constants.O_CREAT);
    this.end = fstatSync(this.fd).size;
  }

  private timer: ReturnType<typeof setTimeout> | null = null;

  write(ev: RecorderEvent): void {
    const n = this.pending.push(FORMAT_LATER.has(ev.e) ? ev : eventLine(ev));
    // The clock is read every CLOCK_EVERY events, not per event (a clock read costs as much as
    // recording a small event): a batch may outlive BATCH_MS by that many events.
    if (WRITE_AT_ONCE.has(ev.e)) this.flush();
    else if (n >= BATCH_EVENTS || (n % CLOCK_EVERY === 0 && performance.now() - this.lastFlush > BATCH_MS))
      this.writeBatch(false);
    else if (!this.timer) {
      this.timer = setTimeout(() => this.writeBatch(false), IDLE_FLUSH_MS);
      this.timer.unref();
    }
  }

  /** Writes everything recorded so far before returning (and again whatever is still landing). */
  flush(): void {
    this.writeBatch(true);
    if (this.fd === null) return;
    try {
      for (const l of this.landing) writeSync(this.fd, l.bytes, 0, l.bytes.length, l.at);
      this.landing.clear();
    } catch {
      this.release();
    }
  }

  /** Formats the pending events as one batch and writes it at the journal's end: at once when
   *  `sync`, else in the background. */
  private writeBatch(sync: boolean): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.lastFlush = performance.now();
    if (this.fd === null || this.pending.length === 0) return;
    const pending = this.pending;
    this.pending = [];
    let text = "";
    for (const p of pending) text += (typeof p === "string" ? p : eventLine(p)) + "\n";
    const bytes = Buffer.from(text, "utf8");
    const at = this.end;
    this.end += bytes.length;
    if (sync) {
      try {
        writeSync(this.fd, bytes, 0, bytes.length, at);
      } catch {
        // The parent went away; nobody will read the journal.
        this.release();
      }
      return;
    }
    const landing: Landing = { at, bytes };
    const fd = this.fd;
    this.landing.add(landing);
    this.inFlight++;
    write(fd, bytes, 0, bytes.length, at, (err) => {
      this.landing.delete(landing);
      if (--this.inFlight === 0 && this.closing) this.closeNow(fd);
      // Failed: the parent went away; nobody will read the journal.
      else if (err) this.release();
    });
  }

  /** Background writes not finished yet (landed or not): the descriptor stays open for them. */
  private inFlight = 0;
  private closing = false;

  /** Writes what is left and closes the file (once the background writes are done with it: a
   *  descriptor closed under them could be reused by another file). */
  close(): void {
    this.flush();
    this.release();
  }

  /** Stops writing: nothing more is written, and the file is closed when nothing uses it. */
  private release(): void {
    const fd = this.fd;
    if (fd === null) return;
    this.fd = null;
    this.pending = [];
    this.landing.clear();
    if (this.inFlight > 0) this.closing = true;
    else this.closeNow(fd);
  }

  private closeNow(fd: number): void {
    this.closing = false;
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
  }
}

/** What the reader takes in at a time. A journal is read in chunks: it can outgrow the longest
 *  string V8 makes (512 MB; a long training run on a fast GPU writes that in minutes), and
 *  its events are handed on one by one instead of held all at once. */
const READ_CHUNK = 8 << 20;

/**
 * Calls `each` with every event of a journal, in order. A torn line (the writer was killed
 * mid-write) is skipped, not fatal, and so is whatever precedes a NUL byte on a line: a batch
 * that never landed leaves a hole of zeros before the batches written after it (JSON text never
 * holds a raw NUL). A journal that cannot be opened has no events.
 */
export function forEachJournalEvent(
  path: string,
  each: (ev: RecorderEvent) => void,
  chunkBytes: number = READ_CHUNK,
): void {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return;
  }
  try {
    const chunk = Buffer.allocUnsafe(chunkBytes);
    /** The start of a line the previous chunk ended inside. */
    let carry: Buffer | null = null;
    for (let n = readSync(fd, chunk, 0, chunkBytes, null); n > 0; n = readSync(fd, chunk, 0, chunkBytes, null)) {
      const buf: Buffer = carry ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let from = 0;
      for (let nl = buf.indexOf(10, from); nl !== -1; nl = buf.indexOf(10, from)) {
        parseLine(buf.subarray(from, nl), each);
        from = nl + 1;
      }
      // Copied (`chunk` is read into again), and without a hole's zeros, which would otherwise
      // pile up until the next line break.
      carry = from < buf.length ? Buffer.from(afterHole(buf.subarray(from))) : null;
    }
    if (carry) parseLine(carry, each);
  } finally {
    closeSync(fd);
  }
}

function afterHole(line: Buffer): Buffer {
  const z = line.lastIndexOf(0);
  return z === -1 ? line : line.subarray(z + 1);
}

function parseLine(bytes: Buffer, each: (ev: RecorderEvent) => void): void {
  const line = afterHole(bytes);
  if (line.length === 0) return;
  let ev: unknown;
  try {
    ev = JSON.parse(line.toString("utf8"));
  } catch {
    return; // torn line
  }
  if (ev && typeof ev === "object" && typeof (ev as { e?: unknown }).e === "string") each(ev as RecorderEvent);
}

/** Every event of a journal, in order (for journals that fit in memory: tests and tools). */
export function readJournal(path: string): RecorderEvent[] {
  const events: RecorderEvent[] = [];
  forEachJournalEvent(path, (ev) => events.push(ev));
  return events;
}
