// The report builder gathers calls as they arrive (per function: counts, host times, the last
// call; per pair of back-to-back calls on shared arrays: how often and the first time) instead of
// keeping a record per call. Both give what the per-call lists gave, checked here against those
// lists computed directly from the same random call sequences.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { CallsByFunction, type CallFacts } from "../../../runtime/src/profile/functionCalls.js";
import { CallPairs, type CallInputs } from "../../../runtime/src/advice/runtimeFacts.js";

const sites = [null, { file: "/w/a.ts", line: 3, column: 14 }, { file: "/w/a.ts", line: 9, column: 2 }];
const call: fc.Arbitrary<CallFacts> = fc.record({
  name: fc.constantFrom("step", "loss"),
  location: fc.constantFrom(...sites),
  compilation: fc.constantFrom(null, "c0", "c1"),
  wallMs: fc.double({ min: 0, max: 5, noNaN: true }),
  setupMs: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 3, noNaN: true })),
  profilerMs: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.5, noNaN: true })),
  kernelsPerCall: fc.integer({ min: 0, max: 4 }),
});

const keyOf = (c: CallFacts) => `${c.name}@${c.location ? `${c.location.line}:${c.location.column}` : "?"}`;
const sorted = (xs: readonly number[]) => [...xs].sort((a, b) => a - b);

test("per function: the call count, calls per compilation, last call and host times equal those of the call list", () => {
  fc.assert(
    fc.property(fc.array(call, { maxLength: 60 }), (calls) => {
      const byFunction = new CallsByFunction();
      for (const c of calls) byFunction.add(c);
      const groups = new Map<string, CallFacts[]>();
      for (const c of calls) groups.set(keyOf(c), [...(groups.get(keyOf(c)) ?? []), c]);
      const got = byFunction.functions();
      assert.deepEqual(
        got.map((g) => `${g.name}@${g.location ? `${g.location.line}:${g.location.column}` : "?"}`),
        [...groups.keys()],
        "functions in the order first called",
      );
      for (const g of got) {
        const list = groups.get(`${g.name}@${g.location ? `${g.location.line}:${g.location.column}` : "?"}`)!;
        assert.equal(g.count, list.length);
        for (const [compilation, n] of g.perCompilation)
          assert.equal(n, list.filter((c) => c.compilation === compilation).length);
        assert.equal(g.perCompilation.size, new Set(list.map((c) => c.compilation)).size);
        const last = list[list.length - 1]!;
        assert.deepEqual(g.last, { compilation: last.compilation, kernelsPerCall: last.kernelsPerCall });
        const steady = list.filter((c) => c.setupMs === 0);
        const host = (steady.length > 0 ? steady : list).map((c) => Math.max(0, c.wallMs - c.setupMs - c.profilerMs));
        const { ms, firstRun } = g.hostTimes();
        assert.deepEqual(sorted(ms), sorted(host));
        assert.equal(firstRun, steady.length === 0);
      }
    }),
    { numRuns: 500 },
  );
});

const inputs: fc.Arbitrary<CallInputs> = fc.record({
  compilation: fc.constantFrom("c0", "c1", "c2"),
  inputs: fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }),
  start: fc.double({ min: 0, max: 100, noNaN: true }),
});

test("call pairs: each (first, second) compilation pair on shared arrays, its count and first example, as the call list gives them", () => {
  fc.assert(
    fc.property(fc.array(inputs, { maxLength: 80 }), (calls) => {
      const pairs = new CallPairs();
      for (const c of calls) pairs.add(c);
      const want = new Map<string, { prev: CallInputs; cur: CallInputs; count: number }>();
      for (let i = 1; i < calls.length; i++) {
        const prev = calls[i - 1]!,
          cur = calls[i]!;
        if (prev.compilation === cur.compilation || !cur.inputs.some((x) => prev.inputs.includes(x))) continue;
        const key = `${prev.compilation}→${cur.compilation}`;
        const p = want.get(key);
        if (p) p.count++;
        else want.set(key, { prev, cur, count: 1 });
      }
      assert.deepEqual(pairs.list(), [...want.values()]);
    }),
    { numRuns: 500 },
  );
});
