// A loop that never yields to the event loop makes bind groups Dawn cannot free until it does;
// on lavapipe each holds a memory mapping, and past vm.max_map_count the process died in the
// driver. The backend now refuses the next op first, with an error at the user's line that says
// what to do, and runs again once the loop has yielded (backend/mappingHeadroom.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  CHECK_EVERY,
  linuxMappings,
  MappingHeadroom,
  RESERVE_MAPPINGS,
  type Mappings,
} from "../../../runtime/src/backend/mappingHeadroom.js";
import { arrayFromHost } from "../../../runtime/src/array.js";
import { bind1, lit, type Tracer } from "../../../runtime/src/trace/core.js";
import { JitScopeError } from "../../../runtime/src/ir/errors.js";
import { webgpuBackendOrSkip } from "../ops/harness.js";

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A reader of mappings that grow by `step` between reads, counting its reads. */
function counting(first: number, step = 0, limit = 65_530): { read: () => Mappings; reads: () => number } {
  let n = 0;
  return { read: () => ({ used: first + step * n++, limit }), reads: () => n };
}

test("with 5,530 mappings left and growing, the 2,048th bind group of a turn refuses the next op and asks for a collection; the next turn clears it", async () => {
  const r = counting(60_000, 2048);
  let relieved = 0;
  const h = new MappingHeadroom(r.read, () => relieved++);
  for (let i = 0; i < CHECK_EVERY - 1; i++) h.noteMade();
  assert.equal(h.exhausted, null);
  assert.equal(r.reads(), 0, "no check before 2,048 bind groups");
  h.noteMade();
  assert.equal(r.reads(), 1);
  assert.equal(relieved, 1);
  assert.match(h.exhausted ?? "", /made 2,048 GPU bind groups without yielding/);
  assert.match(h.exhausted ?? "", /60,000 of its 65,530 memory mappings/);
  assert.match(h.exhausted ?? "", /donate_argnums/);
  await yieldToEventLoop();
  assert.equal(h.exhausted, null);
  // Still growing (2,048 more mappings): refused again 2,048 bind groups later.
  for (let i = 0; i < CHECK_EVERY; i++) h.noteMade();
  assert.match(h.exhausted ?? "", /62,048 of its 65,530/);
});

test("after a yield, bind groups that reuse freed sets (mappings not growing) are not refused", async () => {
  let used = 60_000;
  const h = new MappingHeadroom(() => ({ used, limit: 65_530 }));
  for (let i = 0; i < CHECK_EVERY; i++) h.noteMade();
  assert.notEqual(h.exhausted, null);
  await yieldToEventLoop();
  // Dawn reuses the sets the collected bind groups freed: 100 new mappings in 2,048 bind groups.
  used += 100;
  for (let i = 0; i < 4 * CHECK_EVERY; i++) h.noteMade();
  assert.equal(h.exhausted, null);
});

test("with 20,000 left and growing it asks for a collection but refuses nothing; with more than 24,000 left, or no /proc, neither", () => {
  let relieved = 0;
  const low = new MappingHeadroom(counting(65_530 - 20_000, 2048).read, () => relieved++);
  for (let i = 0; i < 2 * CHECK_EVERY; i++) low.noteMade();
  assert.equal(low.exhausted, null);
  assert.equal(relieved, 2);
  const plenty = counting(65_530 - 2 * RESERVE_MAPPINGS - 1);
  const h = new MappingHeadroom(plenty.read, () => relieved++);
  for (let i = 0; i < 10_000; i++) h.noteMade();
  assert.equal(h.exhausted, null);
  assert.equal(plenty.reads(), Math.floor(10_000 / CHECK_EVERY));
  const none = new MappingHeadroom(
    () => null,
    () => relieved++,
  );
  for (let i = 0; i < 10_000; i++) none.noteMade();
  assert.equal(none.exhausted, null);
  assert.equal(relieved, 2);
});

test("linuxMappings reads this process's mappings and vm.max_map_count", () => {
  const m = linuxMappings();
  assert.ok(m, "this test runs on Linux");
  assert.equal(m.limit, Number(readFileSync("/proc/sys/vm/max_map_count", "utf8").trim()));
  const lines = readFileSync("/proc/self/maps", "utf8")
    .split("\n")
    .filter((l) => l.length > 0).length;
  assert.ok(Math.abs(m.used - lines) < 50, `${m.used} mappings counted, ${lines} lines read just after`);
});

test("an eager loop that never yields is refused at its own line before the mappings run out, keeps its last value, and runs again after a yield", async (t) => {
  const backend = await webgpuBackendOrSkip(t);
  if (!backend) return;
  let x: Tracer = arrayFromHost([0, 0, 0, 0], [4], "float32");
  let done = 0;
  let refusal: unknown = null;
  let atRefusal: Mappings | null = null;
  const source = readFileSync(new URL(import.meta.url), "utf8").split("\n");
  const loopLine = source.length - source.reverse().findIndex((l) => l.includes("// the op that is refused"));
  try {
    for (; done < 80_000; done++) {
      x = bind1("add", {}, [x, lit(1, "float32")]); // the op that is refused
    }
  } catch (e) {
    refusal = e;
    atRefusal = linuxMappings();
  }
  if (refusal === null) {
    // A driver without a mapping per bind group (a real GPU): 80,000 ops left the headroom alone.
    const m = linuxMappings()!;
    assert.ok(m.limit - m.used > RESERVE_MAPPINGS, `${m.used} of ${m.limit} mappings in use, and no refusal`);
  } else {
    assert.ok(refusal instanceof JitScopeError, String(refusal));
    assert.match(refusal.message, /without yielding to the event loop/);
    assert.ok(refusal.location?.file.endsWith("mappingHeadroom.test.ts"), JSON.stringify(refusal.location));
    assert.equal(refusal.location?.line, loopLine);
    assert.ok(atRefusal && atRefusal.limit - atRefusal.used <= RESERVE_MAPPINGS + 1000, JSON.stringify(atRefusal));
    assert.ok(done > 20_000, `refused after only ${done} ops`);
  }
  await yieldToEventLoop();
  assert.deepEqual(await x.toArray(), [done, done, done, done]);
  const y = bind1("add", {}, [x, lit(1, "float32")]);
  assert.deepEqual(await y.toArray(), [done + 1, done + 1, done + 1, done + 1]);
});
