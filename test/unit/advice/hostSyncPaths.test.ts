// The host-sync-in-loop hint tells a loop from a helper: a readback's line alone does not say it
// ran in a loop, the call path that reached it (HostSync `callers`) does. Hand-built facts: every
// readback waits 5 ms with no GPU work before it, so each one's saving is its whole 5 ms wait.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Report, SourceLocation } from "@jitscope/contract";
import { adviseReport } from "../../../runtime/src/advice/hints.js";
import type { HostSync } from "../../../runtime/src/advice/hostSync.js";
import { SCRIPT, sampleReport } from "../../fixtures/ext/sampleReport.js";

const report: Report = { ...sampleReport(), kernels: [], functions: [], compilations: [], lines: {} };
const at = (line: number, column = 5): SourceLocation => ({ file: SCRIPT, line, column });
/** `const host = async (x) => await x.data();` at line 2. */
const HELPER = at(2, 34);
const WAIT_MS = 5;

/** Readbacks one after the other, 10 ms apart, each at `location` reached from `callers`. */
function syncs(paths: { location: SourceLocation; callers?: SourceLocation[] }[]): HostSync[] {
  return paths.map((p, i) => ({ kind: "readback", ...p, start: 10 * i, dur: WAIT_MS, bytes: 4096 }));
}
const advise = (s: HostSync[]) =>
  adviseReport(report, { syncs: s, dispatches: [], callPairs: [] }, null).filter((h) => h.kind === "host-sync-in-loop");

test("host-sync-in-loop: a readback in a helper called once from each of 15 lines gets no hint", () => {
  const fromLines = Array.from({ length: 15 }, (_, i) => ({ location: HELPER, callers: [at(10 + i)] }));
  assert.deepEqual(advise(syncs(fromLines)), []);
});

test("host-sync-in-loop: the helper called 15 times from one loop line gets the hint at the readback, saving 14 × 5 ms = 70 ms", () => {
  const hints = advise(syncs(Array.from({ length: 15 }, () => ({ location: HELPER, callers: [at(30)] }))));
  assert.equal(hints.length, 1);
  assert.deepEqual(hints[0]!.location, HELPER);
  assert.ok(Math.abs(hints[0]!.estimatedSavingMs - 14 * WAIT_MS) < 1e-9, `${hints[0]!.estimatedSavingMs}`);
  assert.match(hints[0]!.message, /ran 15 times/);
  assert.ok(hints[0]!.details!.includes("15 times called from mlp.ts:30"), hints[0]!.details!.join("; "));
});

test("host-sync-in-loop: a readback in a loop body (no callers recorded) run 12 times gets the hint, saving 11 × 5 ms = 55 ms", () => {
  const hints = advise(syncs(Array.from({ length: 12 }, () => ({ location: at(7) }))));
  assert.equal(hints.length, 1);
  assert.ok(Math.abs(hints[0]!.estimatedSavingMs - 11 * WAIT_MS) < 1e-9, `${hints[0]!.estimatedSavingMs}`);
});

test("host-sync-in-loop: the helper called 12 times from a loop and once from 5 other lines counts only the loop's 12, saving 11 × 5 ms = 55 ms", () => {
  const once = Array.from({ length: 5 }, (_, i) => ({ location: HELPER, callers: [at(40 + i)] }));
  const loop = Array.from({ length: 12 }, () => ({ location: HELPER, callers: [at(30)] }));
  const [hint, ...rest] = advise(syncs([...once.slice(0, 2), ...loop, ...once.slice(2)]));
  assert.deepEqual(rest, []);
  assert.match(hint!.message, /ran 12 times from one call/);
  assert.ok(Math.abs(hint!.estimatedSavingMs - 11 * WAIT_MS) < 1e-9, `${hint!.estimatedSavingMs}`);
  assert.ok(
    hint!.details!.some((d) => /5 other call paths/.test(d)),
    hint!.details!.join("; "),
  );
});

test("host-sync-in-loop: a loop whose caller frame moves column (async resume) but not line is one loop of 12", () => {
  const loop = Array.from({ length: 12 }, (_, i) => ({ location: HELPER, callers: [at(30, i === 0 ? 7 : 1)] }));
  const hints = advise(syncs(loop));
  assert.equal(hints.length, 1);
  assert.match(hints[0]!.message, /ran 12 times,/);
});
