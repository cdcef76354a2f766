// The conv kernel's default configuration per adapter (convConfig.ts): on a CPU adapter 8×8
// register blocks (fewer features in the fewest blocks) and weight gradients split over 32
// invocations; on a GPU 4×8, smaller for fewer features, and splits of 64 or 128.

import { test } from "node:test";
import assert from "node:assert/strict";
import { defaultConvConfig, describeConvConfig, type ConvShape } from "../../../runtime/src/codegen/convConfig.js";
import { asAdapter } from "./harness.js";

const name = (s: ConvShape): string => describeConvConfig(defaultConvConfig(s));
// resnet's forward conv (2304 pixels, 8 → 8 features, 3×3), an input gradient to 3 features,
// a 2-feature one, and resnet's weight gradient (72 outputs × 8 features, K = 16 × 144 taps).
const forward: ConvShape = { m: 2304, n: 8, cg: 8, taps: 9, groups: 1 };
const threeFeatures: ConvShape = { m: 8192, n: 3, cg: 16, taps: 9, groups: 1 };
const twoFeatures: ConvShape = { m: 8192, n: 2, cg: 16, taps: 9, groups: 1 };
const weightGrad: ConvShape = { m: 72, n: 8, cg: 16, taps: 144, groups: 1 };
const longWeightGrad: ConvShape = { m: 72, n: 8, cg: 16, taps: 576, groups: 1 };

test("on a CPU adapter a conv takes 8×8 blocks in 64-wide workgroups, 8×4 for 3 features, 8×2 for 2, and a weight gradient 8×8 split over 32 invocations", () =>
  asAdapter(true, () => {
    assert.equal(name(forward), "8×8 wg64");
    assert.equal(name(threeFeatures), "8×4 wg64");
    assert.equal(name(twoFeatures), "8×2 wg64");
    assert.equal(name(weightGrad), "8×8 split-K 32");
    assert.equal(name(longWeightGrad), "8×8 split-K 32");
  }));

test("on a GPU a conv takes 4×8 blocks, 8×2 for 3 features, and a weight gradient splits its taps over 64 invocations, 128 from 512 taps", () =>
  asAdapter(false, () => {
    assert.equal(name(forward), "4×8 wg64");
    assert.equal(name(threeFeatures), "8×2 wg64");
    assert.equal(name(weightGrad), "4×8 split-K 64");
    assert.equal(name(longWeightGrad), "4×8 split-K 128");
  }));
