import { test } from "node:test";
import assert from "node:assert/strict";
import { ReportSchemaError, validateReport } from "@jitscope/contract";
import { recordSampleRun } from "./sampleRun.js";

const fresh = () =>
  JSON.parse(JSON.stringify(recordSampleRun().report)) as Record<string, unknown> & {
    kernels: Record<string, unknown>[];
  };

const refuses = (value: unknown, message: RegExp) =>
  assert.throws(
    () => validateReport(value),
    (e: unknown) => e instanceof ReportSchemaError && message.test(e.message),
  );

test("a report the recorder assembled passes, as an object and as text", () => {
  const r = fresh();
  assert.equal(validateReport(r).kernels.length, 2);
  assert.equal(validateReport(JSON.stringify(r)).script, "/work/user/model.ts");
});

test("something that is not ours is refused as not a JIT Scope report", () => {
  refuses({ traceEvents: [] }, /not a JIT Scope report/);
  refuses([1, 2], /not a JIT Scope report/);
  refuses(null, /not a JIT Scope report/);
  refuses('{"name": "package"}', /not a JIT Scope report/);
});

test("another version is refused naming the version", () => {
  const r = fresh();
  r.version = 7;
  refuses(r, /version 7 unsupported/);
});

test("truncated JSON is refused as truncated, never half-loaded", () => {
  const text = JSON.stringify(fresh());
  refuses(text.slice(0, Math.floor(text.length / 2)), /truncated/);
  refuses("", /truncated/);
  refuses(text.replace('"tool"', "'tool'"), /not valid JSON/);
});

test("the first bad field is named by its path", () => {
  const r = fresh();
  r.kernels[1]!.gpuTimesNs = [1, "2"];
  refuses(r, /^kernels\[1\]\.gpuTimesNs must be an array of numbers$/);

  const s = fresh();
  (s.device as Record<string, unknown>).backend = "tpu";
  refuses(s, /^device\.backend must be one of "webgpu", "cpu"$/);

  const t = fresh();
  ((t.compilations as Record<string, unknown>[])[0]!.compileMs as Record<string, unknown>).perPass = { trace: -1 };
  refuses(t, /^compilations\[0\]\.compileMs\.perPass\["trace"\] must be a number ≥ 0$/);

  const u = fresh();
  delete u.lines;
  refuses(u, /^lines must be an object$/);

  const v = fresh();
  v.kernels[0]!.workgroupSize = [64, 1];
  refuses(v, /^kernels\[0\]\.workgroupSize must be an array of 3 numbers$/);
});

test("ids that point nowhere are refused", () => {
  const r = fresh();
  ((r.timeline as Record<string, unknown>).dispatches as Record<string, unknown>[])[0]!.kernel = "k99";
  refuses(r, /timeline\.dispatches\[0\]\.kernel must be a kernel id present in kernels/);
});

test("the advice fields (peaks, bound, hints, memory plan, ablations) are accepted and checked by path", () => {
  const r = fresh();
  const kernelId = r.kernels[0]!.id as string;
  (r.device as Record<string, unknown>).peaks = {
    gbPerS: 12.5,
    gflopPerS: 40,
    dispatchUs: 30,
    timestampTickNs: 65536,
    source: "measured",
    measuredAt: "2026-11-30T06:00:00Z",
  };
  r.kernels[0]!.bound = "memory";
  r.kernels[0]!.efficiency = 0.42;
  r.hints = [
    {
      kind: "dense-lookup",
      message: "np.take with a traced index is lowered to a one-hot reduction",
      location: { file: "/work/user/model.ts", line: 3, column: 1 },
      estimatedSavingMs: 1.5,
      kernels: [kernelId],
    },
  ];
  r.ablations = [
    {
      pass: "fuse",
      functions: [{ name: "step", location: null, dispatchesWith: 2, dispatchesWithout: 5, msWith: 1, msWithout: 2 }],
    },
  ];
  const ok = validateReport(r);
  assert.equal(ok.device.peaks?.gbPerS, 12.5);
  assert.equal(ok.kernels[0]!.bound, "memory");
  assert.equal(ok.hints?.[0]?.estimatedSavingMs, 1.5);

  const badKind = JSON.parse(JSON.stringify(r));
  badKind.hints[0].kind = "vibes";
  refuses(badKind, /^hints\[0\]\.kind must be one of "dense-lookup"/);
  const badBound = JSON.parse(JSON.stringify(r));
  badBound.kernels[0].bound = "io";
  refuses(badBound, /^kernels\[0\]\.bound must be one of "memory", "compute", "latency"$/);
  const dangling = JSON.parse(JSON.stringify(r));
  dangling.hints[0].kernels = ["k_missing"];
  refuses(dangling, /^hints\[0\]\.kernels\[0\] must be a kernel id present in kernels/);
  const badSaving = JSON.parse(JSON.stringify(r));
  badSaving.hints[0].estimatedSavingMs = -1;
  refuses(badSaving, /^hints\[0\]\.estimatedSavingMs must be a number ≥ 0$/);
});
