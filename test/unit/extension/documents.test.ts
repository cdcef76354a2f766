import { test } from "node:test";
import assert from "node:assert/strict";
import { reportProblems } from "../../../extension/src/model/problems.js";
import { compilationItems, kernelItems, passItems } from "../../../extension/src/model/picks.js";
import {
  parseVirtualDocPath,
  previousPass,
  virtualDocContent,
  virtualDocPath,
} from "../../../extension/src/model/virtualDocuments.js";
import { SCRIPT, sampleReport } from "../../fixtures/ext/sampleReport.js";

test("an IR document path names the function and pass, and parses back", () => {
  const r = sampleReport();
  const path = virtualDocPath(r, { kind: "ir", compilation: "c0", pass: "fuse" });
  assert.equal(path, "/ir/c0/fuse/step after fuse.jaxpr");
  assert.deepEqual(parseVirtualDocPath(path), { kind: "ir", compilation: "c0", pass: "fuse" });
});

test("ids with slashes and spaces survive the round trip through a document path", () => {
  const r = sampleReport();
  const path = virtualDocPath(r, { kind: "wgsl", kernel: "k/0 x" });
  assert.equal(path, "/wgsl/k%2F0%20x/kernel.wgsl");
  assert.deepEqual(parseVirtualDocPath(path), { kind: "wgsl", kernel: "k/0 x" });
  assert.equal(parseVirtualDocPath("/nope/x"), null);
  assert.equal(parseVirtualDocPath("/wgsl/%E0%A4%A"), null, "bad percent-encoding is refused");
});

test("the IR document shows the pass's printed program under a header that is the same for every pass", () => {
  const text = virtualDocContent(sampleReport(), { kind: "ir", compilation: "c0", pass: "fuse" })!;
  assert.equal(
    text,
    "// step (float32[4,4], float32[8,4]) -> float32[8]\n{ lambda a b . kernel0 [c d e] ; kernel1 [f] in ( f ) }",
  );
  assert.equal(virtualDocContent(sampleReport(), { kind: "ir", compilation: "c0", pass: "lower" }), null);
});

test("the WGSL document shows the kernel's module with its launch shape", () => {
  const text = virtualDocContent(sampleReport(), { kind: "wgsl", kernel: "k1" })!;
  assert.equal(
    text,
    "// reduce_sum_1 (jit) — ops: reduce_sum\n// workgroup_size 64×1×1, dispatch 16×1×1, 5120 bytes, 2048 FLOPs\n@compute @workgroup_size(64) fn main() { /* reduce_sum_1 */ }",
  );
});

test("a pass diff defaults to the pass before", () => {
  const r = sampleReport();
  assert.equal(previousPass(r, "c0", "fuse"), "simplify");
  assert.equal(previousPass(r, "c0", "trace"), null);
  assert.equal(previousPass(r, "missing", "fuse"), null);
});

test("quick picks describe compilations, passes and kernels (kernels by function, most GPU time first)", () => {
  const r = sampleReport();
  assert.deepEqual(compilationItems(r), [
    {
      id: "c0",
      label: "step",
      description: "(float32[4,4], float32[8,4]) -> float32[8]",
      detail: "mlp.ts:2 · first call · 2 kernels · compiled in 12.0 ms",
    },
  ]);
  assert.deepEqual(
    passItems(r.compilations[0]!).map((p) => `${p.label} | ${p.description}`),
    ["1. trace | changed · 500 µs", "2. simplify | unchanged · 100 µs", "3. fuse | changed · 200 µs"],
  );
  const kernelPicks = [
    "fused_tanh_mul_sub_0 | jit · step · 1.00 ms total · 200 µs median",
    "reduce_sum_1 | jit · step · 500 µs total · 100 µs median",
    "eager_add | eager · 500 µs total · 50.0 µs median",
  ];
  assert.deepEqual(
    kernelItems(r).map((k) => `${k.label} | ${k.description}`),
    kernelPicks,
  );
  // Grouped by function, most GPU time first, eager last: whatever order the report lists them in.
  r.kernels.reverse();
  assert.deepEqual(
    kernelItems(r).map((k) => `${k.label} | ${k.description}`),
    kernelPicks,
  );
});

test("a kernel's quick pick reads its median as the kernel table's cell: below a batch's tick it says so", () => {
  const r = sampleReport();
  r.device.timestampTickNs = 65_536;
  const k = r.kernels.find((x) => x.name === "eager_add")!;
  k.medianNs = 3_000;
  k.batch = { samples: 4, size: 16 };
  const pick = kernelItems(r).find((p) => p.label === "eager_add")!;
  assert.equal(pick.description, "eager · 500 µs total · < 4.10 µs (batch ×16) median");
});

test("script errors become problems on their 0-based line, unlocated ones on the first line; Cancel and unplaced timeouts are no problems", () => {
  const r = sampleReport();
  r.errors = [
    {
      kind: "shape",
      message: "add: shapes [3] and [4] do not broadcast",
      location: { file: SCRIPT, line: 10, column: 11 },
    },
    { kind: "crash", message: "the child exited with SIGSEGV", location: null },
    { kind: "timeout", message: "stopped after 5 s", location: null },
    { kind: "cancelled", message: "the run was cancelled", location: null },
  ];
  assert.deepEqual(reportProblems(r), [
    {
      file: SCRIPT,
      line: 9,
      column: 10,
      message: "shape error: add: shapes [3] and [4] do not broadcast",
      kind: "shape",
    },
    { file: SCRIPT, line: 0, column: 0, message: "crash error: the child exited with SIGSEGV", kind: "crash" },
  ]);
});
