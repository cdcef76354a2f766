// The donate-arguments hint from hand-built facts (advice/runtimeFacts.ts FeedBacks, as the report
// builder gathers them from the calls' events): sampleReport's `step` (compilation c0, defined at
// line 2, 0.41 ms a call) called with what its previous call returned.
import { test } from "node:test";
import assert from "node:assert/strict";
import { adviseReport } from "../../../runtime/src/advice/hints.js";
import { FeedBacks } from "../../../runtime/src/advice/runtimeFacts.js";
import { sampleReport } from "../../fixtures/ext/sampleReport.js";

/** `calls` calls of c0; the first `fresh` on new arguments, the rest fed back at `positions`,
 *  each spending `bindGroupMs` making bind groups. */
function advise(calls: number, fresh: number, positions: number[], bindGroupMs: number) {
  const feeds = new FeedBacks();
  for (let i = 0; i < calls; i++) feeds.add("c0", bindGroupMs, i < fresh ? undefined : positions);
  const facts = { syncs: [], dispatches: [], callPairs: [], feedBacks: feeds.list() };
  return adviseReport(sampleReport(), facts, null).filter((h) => h.kind === "donate-arguments");
}

test("donate-arguments: a step fed its own results in 5 of 6 calls, 0.1 ms of bind groups a call, gets the hint at its jit line naming donate_argnums [0, 1], saving 0.1 ms a call", () => {
  const [h, ...rest] = advise(6, 1, [0, 1], 0.1);
  assert.equal(rest.length, 0);
  assert.equal(h!.estimatedSavingMs, 0.1);
  assert.deepEqual([h!.location?.line, h!.compilation], [2, "c0"]);
  assert.match(h!.message, /^step was passed what its previous call returned as arguments 0 and 1 in 5 of 6 calls/);
  assert.match(h!.message, /took 100 µs a call\. Donate them: jit\(step, \{ donate_argnums: \[0, 1\] \}\)/);
});

test("donate-arguments: one fed-back argument is named alone (donate_argnums: 2)", () => {
  const [h] = advise(8, 0, [2], 0.2);
  assert.match(h!.message, /as argument 2 in 8 of 8 calls.*Donate it: jit\(step, \{ donate_argnums: 2 \}\)/);
});

test("donate-arguments: no hint for 4 fed calls, for a function fed back in under half its calls, or for bind groups under 5% of a call", () => {
  assert.deepEqual(advise(5, 1, [0], 0.1), [], "4 fed calls is not a loop");
  assert.deepEqual(advise(12, 7, [0], 0.1), [], "5 of 12 calls fed back");
  assert.deepEqual(advise(10, 0, [0], 0.01), [], "0.01 ms of a 0.41 ms call");
  assert.deepEqual(advise(10, 0, [], 0.1), [], "no position fed back in every fed call");
});

test("donate-arguments: positions are those fed back in every fed call", () => {
  const feeds = new FeedBacks();
  for (const fed of [[0, 1], [0, 1], [0], [0, 1], [0, 1]]) feeds.add("c0", 0.1, fed);
  const [fact] = feeds.list();
  assert.deepEqual([fact!.calls, fact!.fedCalls, fact!.positions], [5, 5, [0]]);
});
