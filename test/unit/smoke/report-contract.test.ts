import { test } from "node:test";
import assert from "node:assert/strict";
import { lineKey, REPORT_VERSION } from "@jitscope/contract";

test("a line key joins file and line as the hover index expects", () => {
  assert.equal(lineKey("/a/b.ts", 12), "/a/b.ts:12");
  assert.equal(REPORT_VERSION, 2);
});
