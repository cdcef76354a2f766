// Compiling with a pass turned off (what `--ablate` runs): fuse off puts every op in its own
// kernel and says why at each boundary; simplify, cse and dce off are skipped and say so; and
// what a pass was worth is read off the two reports per jitted function.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { FunctionReport, Report } from "@jitscope/contract";
import { np, config } from "../../../runtime/src/index.js";
import { jit } from "../../../runtime/src/trace/jit.js";
import { ablationOf } from "../../../runtime/src/profile/ablation.js";
import { geluChain, rowSoftmax } from "../jit/fixtures.js";
import { rowKernelLanes } from "../../../runtime/src/codegen/subgroupSupport.js";

config({ backend: "cpu" });

async function withPassesOff<T>(passes: string[], f: () => Promise<T>): Promise<T> {
  const prev = config({ disabledPasses: passes });
  try {
    return await f();
  } finally {
    config({ disabledPasses: prev.disabledPasses });
  }
}

test("with fuse turned off the GELU-like chain is 8 kernels (one per op) instead of 1, each boundary saying why", async () => {
  const on = await jit(geluChain).lower(np.ones([1 << 12]));
  assert.equal(on.kernels.length, 1);
  const off = await withPassesOff(["fuse"], () => jit(geluChain).lower(np.ones([1 << 12])));
  assert.deepEqual(
    off.kernels.map((k) => k.ops.join("+")),
    ["mul", "add", "tanh", "mul", "mul", "neg", "exp", "sub"],
  );
  // Edges between ops: mul→add→tanh→mul→sub and mul→neg→exp→sub: 7.
  assert.equal(off.fusion.boundaries.length, 7);
  for (const b of off.fusion.boundaries) {
    assert.equal(b.rule, "ablated");
    assert.equal(b.reason, "fusion turned off (--ablate fuse): every op is its own kernel");
    assert.equal(b.bytes, 2 * 4 * (1 << 12));
  }
  assert.deepEqual(off.passes.find((p) => p.name === "fuse")!.effect!.notes, [
    "turned off (--ablate fuse): every op is its own kernel",
  ]);
});

test("with cse turned off its snapshot says so and the program is left unchanged; the softmax still compiles", async () => {
  const off = await withPassesOff(["cse", "simplify", "dce"], () => jit(rowSoftmax).lower(np.ones([8, 16])));
  for (const name of ["simplify", "cse", "dce"]) {
    const snap = off.passes.find((p) => p.name === name)!;
    assert.equal(snap.changed, false);
    assert.deepEqual(snap.effect!.notes, [`turned off (--ablate ${name})`]);
  }
  // One row-local kernel where a WebGPU device with subgroups is attached (passes/fuseRows.ts),
  // else three (max, sum of exp, divide).
  assert.equal(off.kernels.length, rowKernelLanes() > 0 ? 1 : 3);
  if (rowKernelLanes() > 0) assert.equal(off.fusion.decisions[0]!.kind, "row");
});

const fn = (name: string, kernelsPerCall: number, ms: number, line: number): FunctionReport => ({
  name,
  location: { file: "/s.ts", line, column: 1 },
  calls: 5,
  compilations: [`c-${name}`],
  kernelsPerCall,
  msPerCall: ms / 2,
  gpuMsPerCall: ms / 2,
  cost: { ms, p10: ms, p90: ms, hostMs: ms / 2, gpuMs: ms / 2 },
});

test("what a pass was worth: per function found in both runs, dispatches and cost per call with and without", () => {
  const withFuse = { functions: [fn("step", 4, 1.2, 3), fn("eval", 2, 0.5, 9)] } as unknown as Report;
  const without = { functions: [fn("step", 30, 4.3, 3)] } as unknown as Report;
  assert.deepEqual(ablationOf("fuse", withFuse, without), {
    pass: "fuse",
    functions: [
      {
        name: "step",
        location: { file: "/s.ts", line: 3, column: 1 },
        dispatchesWith: 4,
        dispatchesWithout: 30,
        msWith: 1.2,
        msWithout: 4.3,
      },
    ],
  });
});
