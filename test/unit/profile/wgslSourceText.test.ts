// A kernel's WGSL as the editor and the panel show it (contract's wgslSourceText.ts): each mapped
// line ends in `// op · file.ts:N` at one column, with where that `file.ts:N` sits for a link;
// and the validator's check that a mapped line lies in the kernel's WGSL.

import { test } from "node:test";
import assert from "node:assert/strict";
import { ReportSchemaError, validateReport, wgslLinesOf, wgslWithSources } from "@jitscope/contract";
import type { WgslSource } from "@jitscope/contract";
import { recordSampleRun } from "./sampleRun.js";

const WGSL = [
  "@compute @workgroup_size(64)",
  "fn main(@builtin(global_invocation_id) gid: vec3<u32>) {",
  "  let v3_0 = in0[gid.x];",
  "  let v7_1 = tanh(v3_0);   ",
  "  let v8_2 = (v7_1 * f32(1.5));",
  "  out0[gid.x] = v8_2;",
  "}",
].join("\n");
const at = (line: number): WgslSource["location"] => ({ file: "/home/u/models/mlp.ts", line, column: 7 });
const SOURCES: WgslSource[] = [
  { op: "mul", opId: "op8", location: at(13), lines: [5] },
  { op: "tanh", opId: "op7", location: at(12), lines: [4] },
];

test("mapped WGSL lines end in '// op · file.ts:line' at one column past the longest, other lines unchanged", () => {
  const { text, links } = wgslWithSources({ wgsl: WGSL, wgslSources: SOURCES });
  const lines = text.split("\n");
  assert.equal(lines.length, 7);
  assert.equal(lines[3], "  let v7_1 = tanh(v3_0);         // tanh · mlp.ts:12");
  assert.equal(lines[4], "  let v8_2 = (v7_1 * f32(1.5));  // mul · mlp.ts:13");
  for (const i of [0, 1, 2, 5, 6]) assert.equal(lines[i], WGSL.split("\n")[i]);
  assert.deepEqual(
    links.map((l) => [l.line, lines[l.line - 1]!.slice(l.start, l.end), l.location.line]),
    [
      [4, "mlp.ts:12", 12],
      [5, "mlp.ts:13", 13],
    ],
  );
});

test("a kernel without mapped lines reads as its WGSL; wgslLinesOf finds the lines of one source line only", () => {
  assert.equal(wgslWithSources({ wgsl: WGSL }).text, WGSL);
  assert.deepEqual(wgslWithSources({ wgsl: WGSL }).links, []);
  const k = { wgslSources: [...SOURCES, { op: "tanh", opId: "op9", location: at(12), lines: [3, 6] }] };
  assert.deepEqual(wgslLinesOf(k, "/home/u/models/mlp.ts", 12), [3, 4, 6]);
  assert.deepEqual(wgslLinesOf(k, "/home/u/models/other.ts", 12), []);
  assert.deepEqual(wgslLinesOf(k, "/home/u/models/mlp.ts", 14), []);
});

test("the validator refuses a mapped line past the end of the kernel's WGSL, naming the kernel and the line", () => {
  const r = JSON.parse(JSON.stringify(recordSampleRun().report)) as { kernels: Record<string, unknown>[] };
  r.kernels[0]!.wgsl = WGSL;
  r.kernels[0]!.wgslSources = SOURCES;
  assert.equal(validateReport(r).kernels[0]!.wgslSources!.length, 2);
  r.kernels[0]!.wgslSources = [SOURCES[1]!, { ...SOURCES[0]!, lines: [5, 8] }];
  assert.throws(
    () => validateReport(r),
    (e: unknown) =>
      e instanceof ReportSchemaError &&
      /kernels\[0\]\.wgslSources\[1\]\.lines\[1\].*7-line WGSL \(got 8\)/.test(e.message),
  );
});
