// Windows: the report (written by the child) and the editor spell paths with drive letters and
// backslashes, in any case; stacks and source maps give file:// URLs. These run on any OS by
// naming the platform (or, for code that reads process.platform, by setting it for the test).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { lineHoverMarkdown } from "../../../extension/src/model/hover.js";
import { lineHeat } from "../../../extension/src/model/lineHeat.js";
import { fileKey, sameFile } from "../../../extension/src/model/paths.js";
import { indexReport } from "../../../extension/src/model/reportIndex.js";
import { killGroup } from "../../../extension/src/runner/childRun.js";
import { toPath, userFrameFromStack } from "../../../runtime/src/ir/location.js";
import type { Report } from "@jitscope/contract";

test("on Windows one file spelled with either slash, any case or a .. segment has one key", () => {
  const key = fileKey("C:\\Users\\Me\\proj\\mlp.ts", "win32");
  assert.equal(key, "c:\\users\\me\\proj\\mlp.ts");
  for (const spelling of [
    "c:/users/me/proj/mlp.ts",
    "C:\\Users\\Me\\proj\\..\\proj\\MLP.ts",
    "C:/Users/Me/proj/./mlp.ts",
  ]) {
    assert.equal(fileKey(spelling, "win32"), key, spelling);
  }
  assert.equal(sameFile("D:\\proj\\mlp.ts", "C:\\proj\\mlp.ts", "win32"), false, "drives differ");
  assert.equal(sameFile("/home/me/MLP.ts", "/home/me/mlp.ts", "linux"), false, "Linux paths are case-sensitive");
});

test("file:// URLs from stacks and source maps become Windows paths with a drive letter", () => {
  assert.equal(toPath("file:///C:/Users/Me/my%20proj/mlp.ts", "win32"), "C:\\Users\\Me\\my proj\\mlp.ts");
  assert.equal(toPath("file://server/share/mlp.ts", "win32"), "\\\\server\\share\\mlp.ts");
  assert.equal(toPath("file:///home/me/my%20proj/mlp.ts", "linux"), "/home/me/my proj/mlp.ts");
  assert.equal(toPath("C:\\already\\a.ts", "win32"), "C:\\already\\a.ts");
});

test("a Windows stack frame with a drive letter and spaces is read as file, line, column", () => {
  const stack = [
    "Error",
    "    at captureUserLocation (C:\\Program Files\\jitscope\\dist\\runtime.mjs:10:5)",
    "    at step (C:\\Users\\Me\\my proj\\mlp.ts:19:22)",
  ].join("\n");
  assert.deepEqual(userFrameFromStack(stack), { file: "C:\\Users\\Me\\my proj\\mlp.ts", line: 19, column: 22 });
  assert.deepEqual(userFrameFromStack("Error\n    at C:\\a\\b.ts:3:4"), { file: "C:\\a\\b.ts", line: 3, column: 4 });
});

test("hover and line heat find a Windows report's lines from the editor's spelling of the path", (t) => {
  const report = JSON.parse(readFileSync("test/fixtures/reports/gelu.json", "utf8")) as Report;
  const [first] = Object.values(report.lines);
  assert.ok(first, "the fixture has line entries");
  const posix = first.file;
  // The same report as a Windows child would write it.
  const win = `C:\\Users\\Me\\proj\\${posix.split("/").pop()}`;
  const rewritten = JSON.parse(
    JSON.stringify(report).split(JSON.stringify(posix).slice(1, -1)).join(JSON.stringify(win).slice(1, -1)),
  ) as Report;
  const platform = Object.getOwnPropertyDescriptor(process, "platform")!;
  Object.defineProperty(process, "platform", { value: "win32" });
  t.after(() => Object.defineProperty(process, "platform", platform));
  const index = indexReport(rewritten);
  const editorPath = win.replace(/\\/g, "/").replace(/^C:/, "c:").toLowerCase();
  assert.deepEqual(
    lineHeat(index, editorPath).map((h) => h.line),
    lineHeat(indexReport(report), posix).map((h) => h.line),
  );
  assert.ok(lineHeat(index, editorPath).length > 0);
  assert.equal(lineHoverMarkdown(index, editorPath, first.line), lineHoverMarkdown(index, win, first.line));
  assert.ok(lineHoverMarkdown(index, editorPath, first.line));
});

test("cancel on Windows ends the whole process tree with taskkill /T /F, run without a shell", () => {
  const calls: [string, readonly string[]][] = [];
  assert.equal(
    killGroup(4242, "SIGTERM", "win32", (file, args) => calls.push([file, args])),
    true,
  );
  assert.deepEqual(calls, [["taskkill", ["/PID", "4242", "/T", "/F"]]]);
});
