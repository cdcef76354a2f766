import { test } from "node:test";
import assert from "node:assert/strict";
import { LineTracker, type TextEdit } from "../../../extension/src/model/editTracking.js";
import { ResultsStore } from "../../../extension/src/model/results.js";
import { SCRIPT, sampleReport } from "../../fixtures/ext/sampleReport.js";

const REPORT_LINES = [2, 3, 4, 5, 6, 10];
const edit = (
  startLine: number,
  startCharacter: number,
  endLine: number,
  endCharacter: number,
  text: string,
): TextEdit => ({ startLine, startCharacter, endLine, endCharacter, text });
const where = (t: LineTracker) => REPORT_LINES.map((l) => t.currentLine(l));

test("a line inserted above moves every annotation down by one", () => {
  const t = new LineTracker(REPORT_LINES);
  t.applyEdits([edit(0, 0, 0, 0, "// new\n")]);
  assert.deepEqual(where(t), [3, 4, 5, 6, 7, 11]);
  assert.equal(t.reportLineAt(5), 4);
  assert.equal(t.reportLineAt(3), 2);
  assert.equal(t.edited, true);
});

test("typing inside a line makes that line stale and leaves the others in place", () => {
  const t = new LineTracker(REPORT_LINES);
  t.applyEdits([edit(3, 5, 3, 5, "x")]); // editor line 4
  assert.deepEqual(where(t), [2, 3, null, 5, 6, 10]);
  assert.equal(t.reportLineAt(4), null, "nothing is shown on the edited line");
});

test("deleting two whole lines drops them and moves the lines below up", () => {
  const t = new LineTracker(REPORT_LINES);
  t.applyEdits([edit(2, 0, 4, 0, "")]); // editor lines 3 and 4
  assert.deepEqual(where(t), [2, null, null, 3, 4, 8]);
  assert.equal(t.reportLineAt(3), 5);
});

test("Enter at the end of a line keeps that line and moves the ones below", () => {
  const t = new LineTracker(REPORT_LINES);
  t.applyEdits([edit(2, 28, 2, 28, "\n  ")]); // after the text of editor line 3
  assert.deepEqual(where(t), [2, 3, 5, 6, 7, 11]);
});

test("a multi-line replacement stales the lines it covers and shifts the rest by the difference", () => {
  const t = new LineTracker(REPORT_LINES);
  // Editor lines 4-6 (0-based 3..5) replaced by one line of text.
  t.applyEdits([edit(3, 2, 5, 10, "const z = 1;")]);
  assert.deepEqual(where(t), [2, 3, null, null, null, 8]);
});

test("several changes of one event are applied against the text before it", () => {
  const t = new LineTracker(REPORT_LINES);
  // One event: a line inserted at the top and a line inserted above editor line 10.
  t.applyEdits([edit(0, 0, 0, 0, "a\n"), edit(9, 0, 9, 0, "b\n")]);
  assert.deepEqual(where(t), [3, 4, 5, 6, 7, 12]);
});

test("the results store re-renders on a load and on edits of annotated files only", () => {
  const store = new ResultsStore();
  let renders = 0;
  const changes: string[] = [];
  store.onChange((change) => (renders++, changes.push(change)));
  store.applyEdits(SCRIPT, [edit(0, 0, 0, 0, "\n")]);
  assert.equal(renders, 0, "no results, nothing to move");
  store.load(sampleReport(), "/tmp/r.json");
  assert.equal(renders, 1);
  store.applyEdits("/proj/other.ts", [edit(0, 0, 0, 0, "\n")]);
  assert.equal(renders, 1, "an unannotated file does not re-render");
  store.applyEdits(SCRIPT, [edit(0, 0, 0, 0, "\n")]);
  assert.equal(renders, 2);
  // The jit site (line 2) is tracked too, so its CodeLens follows edits.
  assert.equal(store.tracker(SCRIPT)!.currentLine(2), 3);
  assert.equal(store.tracker(SCRIPT)!.reportLineAt(11), 10);
  store.clear();
  assert.equal(store.current, null);
  assert.equal(store.tracker(SCRIPT), null);
  assert.equal(renders, 3);
  // Only "edited" redraws the editor alone; the panel re-sends the report on loads and clears.
  assert.deepEqual(changes, ["loaded", "edited", "cleared"]);
});

test("a new report starts from fresh line positions", () => {
  const store = new ResultsStore();
  store.load(sampleReport(), null);
  store.applyEdits(SCRIPT, [edit(3, 1, 3, 1, "x")]);
  assert.equal(store.tracker(SCRIPT)!.currentLine(4), null);
  store.load(sampleReport(), null);
  assert.equal(store.tracker(SCRIPT)!.currentLine(4), 4);
  assert.equal(store.tracker(SCRIPT)!.edited, false);
});
