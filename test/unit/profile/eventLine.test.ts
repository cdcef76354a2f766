// The journal's hand-built lines are exactly JSON.stringify's, for every shape of the hot events.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { eventLine } from "../../../runtime/src/profile/eventLine.js";
import type { RecorderEvent } from "../../../runtime/src/profile/events.js";

// Times in whole ns (performance.now() readings, snapped durations) take eventLine's own path.
const nsTime = fc.integer({ min: 0, max: 2 ** 52 }).map((ns) => ns / 1e6);
const number = fc.oneof(
  fc.double(),
  fc.integer(),
  nsTime,
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 1e-7, 1e-6, 1.5e-6, 0.1 + 0.2, 7999999999.999999, 1e21),
);
const text = fc.oneof(
  fc.string(),
  fc.constantFrom('a"b\\c', "line\nbreak", "ü€😀", "\u2028", "eager_add@/p/a b.ts:3:7"),
);
const location = fc.option(fc.record({ file: text, line: number, column: number }), { nil: null });
const optionalCallId = fc.option(number, { nil: undefined });

const hotEvent: fc.Arbitrary<RecorderEvent> = fc.oneof(
  fc
    .tuple(text, fc.option(number, { nil: null }), number, optionalCallId)
    .map(([kernel, gpuNs, start, callId]): RecorderEvent =>
      callId === undefined ? { e: "dispatch", kernel, gpuNs, start } : { e: "dispatch", kernel, gpuNs, start, callId },
    ),
  // A compiled call's dispatches as one event (recorder.recordDispatches).
  fc
    .tuple(fc.array(text, { maxLength: 5 }), fc.array(number, { maxLength: 5 }), optionalCallId)
    .map(([kernels, starts, callId]): RecorderEvent =>
      callId === undefined ? { e: "dispatches", kernels, starts } : { e: "dispatches", kernels, starts, callId },
    ),
  fc
    .tuple(text, number, number)
    .map(([kernel, gpuNs, start]): RecorderEvent => ({ e: "sample", kernel, gpuNs, start })),
  fc.tuple(number, number).map(([t, bytes]): RecorderEvent => ({ e: "live", t, bytes })),
  fc
    .tuple(text, fc.array(number, { maxLength: 4 }), number)
    .map(([compilation, inputs, start]): RecorderEvent => ({ e: "inputs", call: { compilation, inputs, start } })),
  fc
    .tuple(text, number, number, number)
    .map(([kernel, gpuNs, start, gpuT]): RecorderEvent => ({ e: "sample", kernel, gpuNs, start, gpuT })),
  fc
    .tuple(text, fc.constantFrom("call", "encode", "trace", "compile"), number, number, optionalCallId)
    .map(([name, cat, start, dur, callId]): RecorderEvent => ({
      e: "span",
      span: callId === undefined ? { name, cat, start, dur } : { name, cat, start, dur, callId },
    })),
  fc
    .tuple(text, location, fc.option(text, { nil: null }), number, number)
    .map(([name, loc, compilation, wallMs, kernelsPerCall]): RecorderEvent => ({
      e: "call",
      name,
      location: loc,
      compilation,
      wallMs,
      kernelsPerCall,
    })),
  // As recorder.jitCall writes it: the call's span start, callId, inputs, encode span (with its
  // bind groups' part) and fed-back arguments ride along.
  fc
    .tuple(text, location, fc.option(text, { nil: null }), number, number, number, optionalCallId)
    .chain(([name, loc, compilation, wallMs, kernelsPerCall, start, callId]) =>
      fc
        .tuple(
          fc.option(fc.array(number, { maxLength: 3 }), { nil: undefined }),
          fc.option(number, { nil: undefined }),
          fc.option(fc.tuple(number, number, fc.option(number, { nil: undefined })), { nil: undefined }),
          fc.option(fc.array(fc.nat(9), { maxLength: 3 }), { nil: undefined }),
        )
        .map(([inputs, profilerMs, encode, fedBack]): RecorderEvent => {
          const ev: RecorderEvent = { e: "call", name, location: loc, compilation, wallMs, kernelsPerCall, start };
          if (callId !== undefined) ev.callId = callId;
          if (inputs !== undefined) ev.inputs = inputs;
          // A compiled call's encode span, riding on its event.
          if (encode !== undefined) {
            [ev.encodeStart, ev.encodeMs] = encode;
            if (encode[2] !== undefined) ev.bindGroupMs = encode[2];
          }
          // The arguments the previous call returned (advice/donateArguments.ts).
          if (fedBack !== undefined) ev.fedBack = fedBack;
          // An eager call's line-finding time (trace/jit.ts).
          if (profilerMs !== undefined) ev.profilerMs = profilerMs;
          return ev;
        }),
    ),
);

test("dispatch, dispatches, sample, span, call, live and inputs lines equal JSON.stringify's, ns-grid times, strings and non-finite numbers included", () => {
  fc.assert(
    fc.property(hotEvent, (ev) => eventLine(ev) === JSON.stringify(ev)),
    { numRuns: 2000 },
  );
});

test("an event of an unexpected shape falls back to JSON.stringify", () => {
  const extra = {
    e: "dispatch",
    kernel: "k",
    gpuNs: 1,
    start: 2,
    callId: undefined,
    note: "x",
  } as unknown as RecorderEvent;
  assert.equal(eventLine(extra), JSON.stringify(extra));
  assert.equal(eventLine(extra), '{"e":"dispatch","kernel":"k","gpuNs":1,"start":2,"note":"x"}');
  const withUndefined = { e: "dispatch", kernel: "k", gpuNs: null, start: 2, callId: undefined } as RecorderEvent;
  assert.equal(eventLine(withUndefined), '{"e":"dispatch","kernel":"k","gpuNs":null,"start":2}');
  const kernel: RecorderEvent = { e: "error", error: { kind: "runtime", message: "m", location: null } };
  assert.equal(eventLine(kernel), JSON.stringify(kernel));
});

// Heads are cached by the call's location object, then by name and compilation; by span name and
// category; by kernel. A run reuses one location object per call site, which the property above
// (a fresh object per event) never does: here few shared sites, names and kernels recur in
// every combination, each line read after its head was cached.
test("lines with cached heads (shared locations, recurring names, kernels and span kinds) equal JSON.stringify's", () => {
  const sites = [
    { file: "/w/a.ts", line: 3, column: 14 },
    { file: "/w/a.ts", line: 3, column: 30 },
    { file: '/w/b "c".ts', line: 40, column: 1 },
  ];
  const names = fc.constantFrom("step", "loss", "jitLocation");
  const compilation = fc.constantFrom("c0", "c1", null);
  const site = fc.constantFrom(null, ...sites);
  const kernel = fc.constantFrom("c0/k0", "eager_add@/w/a.ts:3:30", "eager_mul@/w/a.ts:3:14");
  const recurring: fc.Arbitrary<RecorderEvent> = fc.oneof(
    fc
      .tuple(names, site, compilation, nsTime, nsTime, optionalCallId)
      .map(([name, location, c, wallMs, start, callId]): RecorderEvent => {
        const ev: RecorderEvent = { e: "call", name, location, compilation: c, wallMs, kernelsPerCall: 2, start };
        if (callId !== undefined) ev.callId = callId;
        return ev;
      }),
    fc
      .tuple(fc.constantFrom("encode", "call:step"), fc.constantFrom("encode", "call"), nsTime, nsTime)
      .map(([name, cat, start, dur]): RecorderEvent => ({
        e: "span",
        span: { name, cat: cat as "encode" | "call", start, dur },
      })),
    fc
      .tuple(kernel, fc.option(nsTime, { nil: null }), nsTime)
      .map(([k, gpuNs, start]): RecorderEvent => ({ e: "dispatch", kernel: k, gpuNs, start })),
  );
  fc.assert(
    fc.property(fc.array(recurring, { minLength: 20, maxLength: 60 }), (evs) =>
      evs.every((ev) => eventLine(ev) === JSON.stringify(ev)),
    ),
    { numRuns: 300 },
  );
  // The same site under two names keeps each name; two sites under one name keep each site.
  const first: RecorderEvent = {
    e: "call",
    name: "step",
    location: sites[0]!,
    compilation: "c0",
    wallMs: 1,
    kernelsPerCall: 1,
  };
  const renamed: RecorderEvent = { ...first, name: "loss" };
  const moved: RecorderEvent = { ...first, location: sites[1]! };
  for (const ev of [first, renamed, moved, first]) assert.equal(eventLine(ev), JSON.stringify(ev));
  assert.match(eventLine(moved), /"column":30/);
  assert.match(eventLine(renamed), /"name":"loss"/);
});
