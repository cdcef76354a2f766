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
