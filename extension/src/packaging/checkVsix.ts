// `node --import tsx extension/src/packaging/checkVsix.ts jitscope.vsix`: lists the .vsix with
// zipinfo and fails when a required file is missing or something unwanted got in.

import { execFileSync } from "node:child_process";
import { parseZipinfo, vsixProblems } from "./vsixContents.js";

const file = process.argv[2] ?? "jitscope.vsix";
const entries = parseZipinfo(execFileSync("zipinfo", [file], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }));
const problems = vsixProblems(entries);
if (problems.length) {
  console.error(`${file}: ${problems.length} problem(s)\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`${file}: ${entries.length} files, contents as expected.`);
