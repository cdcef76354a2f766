// The journal is read in chunks and its events handed on one by one: a long run's journal can
// outgrow the longest string V8 makes (512 MB), which a whole-file read turned into a report with
// no events at all. Lines split across reads, lines longer than a read, multi-byte characters cut
// by a read, holes of zeros left by batches that never landed, and a file past the string limit
// all read back as the events that were written.
import { test } from "node:test";
import assert from "node:assert/strict";
import { constants as bufferConstants } from "node:buffer";
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { forEachJournalEvent, readJournal } from "../../../runtime/src/profile/journal.js";
import type { RecorderEvent } from "../../../runtime/src/profile/events.js";

function withDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "jitscope-journal-read-"));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const lines = (evs: readonly RecorderEvent[]) => evs.map((ev) => JSON.stringify(ev) + "\n").join("");

const event: fc.Arbitrary<RecorderEvent> = fc.oneof(
  fc
    .tuple(fc.string({ unit: "binary", maxLength: 40 }), fc.double({ noNaN: true, noDefaultInfinity: true }))
    .map(([kernel, start]): RecorderEvent => ({ e: "dispatch", kernel, gpuNs: null, start })),
  fc
    .tuple(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 2 ** 40 }))
    .map(([t, bytes]): RecorderEvent => ({ e: "live", t, bytes })),
  fc
    .string({ unit: "binary", maxLength: 400 })
    .map((text): RecorderEvent => ({ e: "console", line: { stream: "stdout", text, t: 1 } })),
);

test("read in chunks of 1 to 300 bytes (lines and multi-byte characters cut by reads, lines longer than a read), every event comes back once, in order", () =>
  withDir((dir) => {
    const path = join(dir, "events.jsonl");
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), fc.integer({ min: 1, max: 300 }), (evs, chunk) => {
        writeFileSync(path, lines(evs));
        const got: RecorderEvent[] = [];
        forEachJournalEvent(path, (ev) => got.push(ev), chunk);
        assert.deepEqual(got, JSON.parse(JSON.stringify(evs)));
      }),
      { numRuns: 300 },
    );
  }));

test("a hole of zeros (a batch that never landed) drops only the line it cuts; the events after it are read", () =>
  withDir((dir) => {
    const path = join(dir, "events.jsonl");
    const before: RecorderEvent[] = [
      { e: "live", t: 1, bytes: 16 },
      { e: "dispatch", kernel: "k0", gpuNs: null, start: 2 },
    ];
    const after: RecorderEvent[] = [
      { e: "dispatch", kernel: "k1", gpuNs: null, start: 5 },
      { e: "live", t: 6, bytes: 32 },
    ];
    const torn = JSON.stringify({ e: "live", t: 3, bytes: 8 }).slice(0, 10);
    for (const chunk of [7, 64, 8 << 20]) {
      // Whole lines, then a torn line the hole ran into, then the hole, then later batches.
      writeFileSync(
        path,
        Buffer.concat([Buffer.from(lines(before) + torn), Buffer.alloc(1000), Buffer.from(lines(after))]),
      );
      const got: RecorderEvent[] = [];
      forEachJournalEvent(path, (ev) => got.push(ev), chunk);
      assert.deepEqual(got, [...before, ...after], `read ${chunk} bytes at a time`);
    }
  }));

test("a journal larger than V8's longest string (a 520 MB hole between its batches) gives the events before and after the hole", () =>
  withDir((dir) => {
    const path = join(dir, "events.jsonl");
    const head: RecorderEvent[] = [
      { e: "dispatch", kernel: "c0/k0", gpuNs: null, start: 1.5, callId: 1 },
      { e: "live", t: 2, bytes: 4096 },
    ];
    const tail: RecorderEvent[] = [{ e: "dispatch", kernel: "c0/k1", gpuNs: null, start: 9000, callId: 7 }];
    const headBytes = Buffer.from(lines(head));
    const tailBytes = Buffer.from(lines(tail));
    const fd = openSync(path, "w");
    try {
      writeSync(fd, headBytes);
      // Sparse: the hole takes no disk.
      const at = headBytes.length + 520 * 2 ** 20;
      ftruncateSync(fd, at);
      writeSync(fd, tailBytes, 0, tailBytes.length, at);
    } finally {
      closeSync(fd);
    }
    assert.ok(statSync(path).size > bufferConstants.MAX_STRING_LENGTH, "the file is longer than a string can be");
    assert.deepEqual(readJournal(path), [...head, ...tail]);
  }));

test("a journal that does not exist has no events", () =>
  withDir((dir) => {
    assert.deepEqual(readJournal(join(dir, "missing.jsonl")), []);
  }));
