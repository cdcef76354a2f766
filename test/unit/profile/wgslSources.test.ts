// The map from each kernel's WGSL lines to the user's source lines (codegen/wgslSources.ts), on
// a real program: the GPT-style training step fixture profiled through the CLI, whose report
// the contract's validator accepted. The lines named below are the fixture's own.

import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { KernelReport } from "@jitscope/contract";
import { profileOnce, REPO } from "../cli/runCli.js";

const SCRIPT = join(REPO, "test/fixtures/programs/gpt_step.ts");

test("every jit kernel of the GPT step maps its WGSL lines to the step's source: each mapped line computes a value of one of the kernel's ops, called at that line", () => {
  const run = profileOnce(SCRIPT);
  assert.equal(run.code, 0, run.stderr);
  const jitKernels = run.report.kernels.filter((k) => k.mode === "jit");
  assert.ok(jitKernels.length > 20, `${jitKernels.length} jit kernels`);
  for (const k of jitKernels) {
    const sources = k.wgslSources ?? [];
    assert.ok(sources.length > 0, `${k.name} has mapped lines`);
    const lines = k.wgsl.split("\n");
    for (const s of sources) {
      assert.ok(s.lines.length > 0, `${k.name}: ${s.op} has lines`);
      for (const l of s.lines) {
        const text = lines[l - 1] ?? "";
        assert.match(text, /^\s*((let|var) v\d+_\d+\b|acc\w*\s*=[^=])/, `${k.name}:${l} defines a value: ${text}`);
      }
      assert.ok(k.ops.includes(s.op), `${k.name}: ${s.op} is one of its ops (${k.ops.join(" ")})`);
      assert.equal(s.location.file, SCRIPT);
      assert.ok(k.opIds.length === 0 || k.opIds.includes(s.opId) || k.loop, `${k.name}: ${s.opId} among its op ids`);
    }
    const all = sources.flatMap((s) => s.lines);
    assert.equal(new Set(all).size, all.length, `${k.name}: a line computes one op's value`);
  }

  /** Mapped WGSL lines of `op` at `line` of the fixture, as text. */
  const at = (op: string, line: number): string[] =>
    jitKernels.flatMap((k: KernelReport) =>
      (k.wgslSources ?? [])
        .filter((s) => s.op === op && s.location.line === line)
        .flatMap((s) => s.lines.map((l) => k.wgsl.split("\n")[l - 1]!)),
    );
  // layerNorm's `np.sqrt(np.add(variance, 1e-5))` (line 23), the attention's softmax (line 30),
  // the MLP's GELU (line 34, tanh inside nn.gelu) and the SGD update's subtract (line 52).
  for (const [op, line, call] of [
    ["sqrt", 23, "sqrt("],
    ["exp", 30, "exp("],
    ["tanh", 34, "tanh("],
    ["sub", 52, " - "],
  ] as const) {
    const found = at(op, line);
    assert.ok(found.length > 0, `${op} at line ${line} is mapped`);
    // Some compute it; others read its value back (a row kernel keeps exp(x − max) in registers).
    assert.ok(
      found.some((t) => t.includes(call)),
      `${op} at line ${line}: ${found.slice(0, 3).join(" | ")}`,
    );
  }
  // A matmul's accumulation loop is its matmul's: the attention's q, k, v projections (line 27).
  const accumulations = at("matmul", 27).filter((t) => /^\s*acc\w*\s*=/.test(t));
  assert.ok(accumulations.length > 0, "the q/k/v matmul's running sums are mapped to line 27");
});
