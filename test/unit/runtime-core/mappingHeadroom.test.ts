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

function counting(m: Mappings | null): { read: () => Mappings | null; reads: () => number } {
  let n = 0;
  return { read: () => (n++, m), reads: () => n };
}

test("with 5,530 mappings left, the 2,048th bind group of a turn refuses the next op; the next event-loop turn clears it", async () => {
  const r = counting({ used: 60_000, limit: 65_530 });
  const h = new MappingHeadroom(r.read);
  for (let i = 0; i < CHECK_EVERY - 1; i++) h.noteMade();
  assert.equal(h.exhausted, null);
  assert.equal(r.reads(), 0, "no check before 2,048 bind groups");
  h.noteMade();
  assert.equal(r.reads(), 1);
  assert.match(h.exhausted ?? "", /made 2,048 GPU bind groups without yielding/);
  assert.match(h.exhausted ?? "", /60,000 of its 65,530 memory mappings/);
  assert.match(h.exhausted ?? "", /donate_argnums/);
  await yieldToEventLoop();
  assert.equal(h.exhausted, null);
  // The count starts again: the next check comes 2,048 bind groups later.
  for (let i = 0; i < CHECK_EVERY - 1; i++) h.noteMade();
  assert.equal(h.exhausted, null);
  h.noteMade();
  assert.notEqual(h.exhausted, null);
});

test("with more than 12,000 mappings left, or no /proc to read, 10,000 bind groups in one turn are never refused", () => {
  const plenty = counting({ used: 65_530 - RESERVE_MAPPINGS - 1, limit: 65_530 });
  const h = new MappingHeadroom(plenty.read);
  for (let i = 0; i < 10_000; i++) h.noteMade();
  assert.equal(h.exhausted, null);
  assert.equal(plenty.reads(), Math.floor(10_000 / CHECK_EVERY));
  const none = new MappingHeadroom(() => null);
  for (let i = 0; i < 10_000; i++) none.noteMade();
  assert.equal(none.exhausted, null);
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
