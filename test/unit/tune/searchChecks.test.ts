// A search never lets a wrong candidate win: each candidate's outputs (cleared before it runs)
// are compared with the default's, so one that leaves half its output unwritten, or one that
// cannot even be lowered, is reported and left out of the record; the default is always tried
// first. Timing is never asserted: only which candidates the record holds.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { FusionGroup } from "../../../runtime/src/codegen/kernelPlan.js";
import type { TuneSpace } from "../../../runtime/src/codegen/kernelTuning.js";
import type { ElementwiseConfig } from "../../../runtime/src/codegen/elementwiseConfig.js";
import { elementwiseSpace } from "../../../runtime/src/codegen/tuneSpaces.js";
import { searchKernel } from "../../../runtime/src/codegen/tune/search.js";
import { Builder, gpuOrSkip } from "../codegen/harness.js";

function chain(n: number): FusionGroup {
  const B = new Builder();
  const a = { shape: [n], dtype: "float32" as const };
  const x = B.input([n]);
  const y = B.op("exp", [B.op("neg", [B.op("mul", [x, x], {}, a)], {}, a)], {}, a);
  return B.group("elementwise", [x], [y]);
}

test("a candidate that writes half its output or cannot be lowered is reported and never in the record; the default is tried first", async (t) => {
  const b = await gpuOrSkip(t);
  if (!b) return;
  const g = chain(70_001);
  const name = (c: ElementwiseConfig) => elementwiseSpace.describe(c);
  const half: ElementwiseConfig = { vec: 4, perThread: 1, wg: 64 };
  const broken: ElementwiseConfig = { vec: 4, perThread: 2, wg: 128 };
  const fine: ElementwiseConfig = { vec: 1, perThread: 4, wg: 256 };
  const space: TuneSpace<ElementwiseConfig> = {
    ...elementwiseSpace,
    lower: (group, kname, c) => {
      if (c && name(c) === name(broken)) throw new Error("no such kernel");
      const spec = elementwiseSpace.lower(group, kname, c);
      if (!c || name(c) !== name(half)) return spec;
      const [x, y, z] = spec.dispatch;
      return { ...spec, dispatch: [Math.ceil(x / 2), y, z] };
    },
  };
  const messages: string[] = [];
  const dflt = elementwiseSpace.defaultConfig(g);
  const rec = await searchKernel(b.device, space, g, 60_000, (m) => messages.push(m), [dflt, half, broken, fine]);
  assert.deepEqual(
    rec.candidates.map((c) => c.config),
    ["vec4 ×4 wg64", "scalar ×4 wg256"],
  );
  assert.equal(rec.defaultConfig, "vec4 ×4 wg64");
  assert.ok(["vec4 ×4 wg64", "scalar ×4 wg256"].includes(rec.winner));
  assert.equal(messages.length, 2, messages.join("\n"));
  assert.match(messages.join("\n"), /vec4 ×2 wg128 cannot be lowered \(no such kernel\)/);
  assert.match(messages.join("\n"), /vec4 ×1 wg64 disagrees with the default vec4 ×4 wg64 .*; not used/);
});
