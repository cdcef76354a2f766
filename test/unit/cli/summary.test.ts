import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { Report } from "@jitscope/contract";
import { elideSignature, formatSummary, MAX_SIGNATURE } from "../../../runtime/src/cli/summary.js";

const fixture = (name: string) => JSON.parse(readFileSync(`test/fixtures/reports/${name}.json`, "utf8")) as Report;

test("a long signature is cut at an argument boundary and says how many arguments it leaves out", () => {
  const args = Array.from({ length: 20 }, (_, i) => `float32[${i + 1},784]`);
  const sig = `(${args.join(", ")}) -> (float32[128,10], float32[])`;
  const short = elideSignature(sig);
  assert.ok(short.length <= MAX_SIGNATURE, `${short.length} chars: ${short}`);
  assert.match(short, /^\(float32\[1,784\], float32\[2,784\], .*… \d+ more\) -> \(…\)$/);
  const kept = short
    .replace(/^\(/, "")
    .split(", ")
    .filter((p) => p.startsWith("float32")).length;
  assert.equal(Number(/… (\d+) more/.exec(short)![1]), 20 - kept, "the count names exactly what was left out");
  assert.equal(
    elideSignature("(float32[8,32]) -> (float32[8])"),
    "(float32[8,32]) -> (float32[8])",
    "short ones unchanged",
  );
  assert.equal(
    elideSignature(`(${"float32[2,[3]], ".repeat(10)}x)`, 40).includes("float32[2,[3]]"),
    true,
    "nested brackets are not split",
  );
});

test("each kernel row names its function, '(eager)' for eager ops; the compiled-functions table elides long signatures", () => {
  const r = fixture("mlp_train_compare");
  const text = formatSummary(r);
  const fn = r.compilations[0]!.functionName;
  const table = text.split("\n");
  const header = table.find((l) => l.startsWith("kernel "))!;
  assert.match(header, /^kernel\s+function\s+calls/);
  const jitKernel = r.kernels.find((k) => k.mode === "jit")!;
  const eagerKernel = [...r.kernels]
    .sort((a, b) => b.totalNs - a.totalNs)
    .slice(0, 15)
    .find((k) => k.mode === "eager");
  assert.ok(
    table.some((l) => l.startsWith(`${jitKernel.name} `) && l.includes(` ${fn} `)) || !text.includes(jitKernel.name),
    "a jit kernel's row names its function",
  );
  if (eagerKernel)
    assert.ok(
      table.some((l) => l.startsWith(`${eagerKernel.name} `) && l.includes("(eager)")),
      "an eager kernel's row says (eager)",
    );
  const sig = r.compilations[0]!.signature;
  assert.ok(sig.length > MAX_SIGNATURE, "the fixture's signature is a long one");
  const compiled = table.find((l) => l.startsWith(`${fn} (`))!;
  assert.ok(compiled.startsWith(`${fn} ${elideSignature(sig)} `), compiled);
  assert.ok(!compiled.includes(sig), "not the full signature");
});

test("a failed run leads with its error, then a short table", () => {
  const r = fixture("error_shape");
  const lines = formatSummary(r).split("\n");
  assert.match(lines[0]!, /^\w+ error .*matmul: shapes float32\[3,4\] and float32\[5,4\] do not align/);
  assert.ok(lines.indexOf(lines.find((l) => l.startsWith("device:"))!) > 0, "device after the error");
  const kernelRows = lines
    .slice(lines.findIndex((l) => l.startsWith("kernel ")))
    .filter((l) => /^(eager|fused|matmul)/.test(l));
  assert.ok(kernelRows.length <= 5, `at most 5 kernel rows on a failed run: ${kernelRows.length}`);
  assert.match(lines.at(-1)!, /matmul: shapes/, "repeated last, where the console ends");
});
