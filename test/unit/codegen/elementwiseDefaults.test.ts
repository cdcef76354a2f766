// The untuned elementwise configuration (elementwiseConfig.ts) per adapter kind and size, and the
// loops it lowers to: on a CPU adapter each run of 8 lanes walks its span interleaved, up to
// min(the span's end, the last vec4); elsewhere neighbouring vec4s per invocation.
import { test } from "node:test";
import assert from "node:assert/strict";
import { defaultElementwiseConfig, describeElementwiseConfig } from "../../../runtime/src/codegen/elementwiseConfig.js";
import { lowerElementwise } from "../../../runtime/src/codegen/lowerElementwise.js";
import { asAdapter, Builder } from "./harness.js";

test("on a CPU adapter the default takes the most vec4s per invocation (up to 32) that leave 16 workgroups of 64, and 64 where that leaves 64 workgroups, interleaved", () =>
  asAdapter(true, () => {
    const at = (n: number) => describeElementwiseConfig(defaultElementwiseConfig(4, n));
    assert.equal(at(4096), "vec4 ×4 wg64 interleaved"); // 1,024 vec4s: 4 workgroups even at 4 each
    assert.equal(at(8 * 16 * 64 * 4), "vec4 ×8 wg64 interleaved"); // 8,192 vec4s
    assert.equal(at(70_003), "vec4 ×16 wg64 interleaved"); // 17,501 vec4s
    assert.equal(at(32 * 16 * 64 * 4), "vec4 ×32 wg64 interleaved");
    assert.equal(at(1 << 18), "vec4 ×32 wg64 interleaved"); // 65,536 vec4s: ×64 would leave 16 workgroups
    assert.equal(at((1 << 20) - 4), "vec4 ×32 wg64 interleaved"); // 262,143 vec4s: one short of 64 at ×64
    assert.equal(at(1 << 20), "vec4 ×64 wg64 interleaved"); // 262,144 vec4s: 64 workgroups
    assert.equal(at(1 << 22), "vec4 ×64 wg64 interleaved");
    assert.equal(at(0), "vec4 ×4 wg64 interleaved", "size unknown");
    assert.equal(describeElementwiseConfig(defaultElementwiseConfig(1, 1 << 20)), "scalar ×1 wg256");
  }));

test("on a GPU the default stays 4 vec4s per invocation in 64-wide workgroups at every size", () =>
  asAdapter(false, () => {
    for (const n of [4096, 70_003, 1 << 20, 1 << 24])
      assert.equal(describeElementwiseConfig(defaultElementwiseConfig(4, n)), "vec4 ×4 wg64", `n=${n}`);
  }));

test("2^20 floats on a CPU adapter lower to 64 workgroups whose runs of 8 lanes walk 512 vec4s from span + t % 8 in steps of 8, up to min(span + 512, 262144)", () =>
  asAdapter(true, () => {
    const B = new Builder();
    const x = B.input([1 << 20]);
    const g = B.group("elementwise", [x], [B.op("exp", [x], {}, x.aval)]);
    const spec = lowerElementwise(g);
    assert.deepEqual(spec.dispatch, [64, 1, 1]);
    assert.match(
      spec.wgsl,
      /let t = i32\(gid\.x\);\n\s*let span = \(t \/ 8\) \* 512;\n\s*let end = min\(span \+ 512, 262144\);\n\s*for \(var i = span \+ t % 8; i < end; i = i \+ 8\) \{/,
    );
    assert.doesNotMatch(spec.wgsl, /for \(var u = 0; u < \d+/);
    assert.match(spec.plan, /vec4, 64 per thread, interleaved over 8 lanes/);
  }));

test("neighbouring vec4s (the GPU default's layout) lower to a loop from t to min(t + 4, the last vec4)", () =>
  asAdapter(false, () => {
    const B = new Builder();
    const x = B.input([1 << 20]);
    const g = B.group("elementwise", [x], [B.op("exp", [x], {}, x.aval)]);
    const spec = lowerElementwise(g);
    assert.deepEqual(spec.dispatch, [1024, 1, 1]);
    assert.match(
      spec.wgsl,
      /let t = i32\(gid\.x\) \* 4;\n\s*let end = min\(t \+ 4, 262144\);\n\s*for \(var i = t; i < end; i = i \+ 1\) \{/,
    );
    assert.match(spec.plan, /vec4, 4 per thread(?!, interleaved)/);
  }));
