import { test } from "node:test";
import assert from "node:assert/strict";
import { diffLines, unifiedText } from "../../../webview/src/model/textDiff.js";

test("a pass diff marks removed and added lines and keeps the common ones", () => {
  const before = "a = x\nb = mul a 2\nc = add b 1\nd = c";
  const after = "a = x\nc = add a 1\nd = c\ne = d";
  assert.equal(
    unifiedText(diffLines(before, after)),
    "  a = x\n- b = mul a 2\n- c = add b 1\n+ c = add a 1\n  d = c\n+ e = d",
  );
});

test("identical texts are all the same, and the kinds count what changed", () => {
  assert.ok(diffLines("p\nq", "p\nq").every((l) => l.kind === "same"));
  const d = diffLines("1\n2\n3", "1\n3\n4");
  assert.deepEqual(
    d.map((l) => l.kind),
    ["same", "removed", "same", "added"],
  );
});
