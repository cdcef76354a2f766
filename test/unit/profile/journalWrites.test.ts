// The journal writes full batches in the background at their own offsets, and an explicit flush
// writes whatever has not landed yet again at the same place: the file holds every event once,
// in order, whether the background writes landed before the flush, after it, or not yet.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JournalWriter, readJournal } from "../../../runtime/src/profile/journal.js";
import type { RecorderEvent } from "../../../runtime/src/profile/events.js";

function dispatches(n: number, from = 0): RecorderEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    e: "dispatch",
    kernel: `k${(from + i) % 3}`,
    gpuNs: null,
    start: (from + i) / 1e3,
  }));
}

function withDir(body: (dir: string) => Promise<void> | void): Promise<void> | void {
  const dir = mkdtempSync(join(tmpdir(), "jitscope-journal-"));
  const done = () => rmSync(dir, { recursive: true, force: true });
  try {
    const r = body(dir);
    if (r instanceof Promise) return r.finally(done);
    done();
  } catch (e) {
    done();
    throw e;
  }
}

test("5000 events (several background batches) then an immediate close: every event once, in order", () =>
  withDir((dir) => {
    const path = join(dir, "events.jsonl");
    const journal = new JournalWriter(path);
    const events = dispatches(5000);
    for (const ev of events) journal.write(ev);
    journal.close();
    assert.deepEqual(readJournal(path), events);
  }));

test("background batches that landed before the flush are not written twice", () =>
  withDir(async (dir) => {
    const path = join(dir, "events.jsonl");
    const journal = new JournalWriter(path);
    const first = dispatches(1500);
    for (const ev of first) journal.write(ev);
    await new Promise((r) => setTimeout(r, 200));
    const second = dispatches(10, 1500);
    for (const ev of second) journal.write(ev);
    journal.flush();
    journal.close();
    assert.deepEqual(readJournal(path), [...first, ...second]);
    assert.equal(readFileSync(path, "utf8").split("\n").length, 1511);
  }));

test("a journal file that already holds lines is continued after them", () =>
  withDir((dir) => {
    const path = join(dir, "events.jsonl");
    const before: RecorderEvent = { e: "live", t: 1, bytes: 4 };
    writeFileSync(path, JSON.stringify(before) + "\n");
    const journal = new JournalWriter(path);
    const events = dispatches(700);
    for (const ev of events) journal.write(ev);
    journal.close();
    assert.deepEqual(readJournal(path), [before, ...events]);
  }));
