// Copies bench/results/latest.md (written by `npm run bench`) into the README, between the
// bench markers, so the README's table is the last full run's and says where and how it was
// measured. Run: node --import tsx bench/readme_table.ts

import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const BEGIN = "<!-- bench:begin (generated from bench/results/latest.md by bench/readme_table.ts) -->";
const END = "<!-- bench:end -->";
const results = readFileSync(join(root, "bench", "results", "latest.md"), "utf8")
  .split("\n")
  .filter((line) => !line.startsWith("# "))
  .join("\n")
  .trim();
const readmePath = join(root, "README.md");
const readme = readFileSync(readmePath, "utf8");
const [i, j] = [readme.indexOf(BEGIN), readme.indexOf(END)];
if (i < 0 || j < i) throw new Error(`README.md has no ${BEGIN} … ${END} section`);
writeFileSync(readmePath, `${readme.slice(0, i + BEGIN.length)}\n\n${results}\n\n${readme.slice(j)}`);
console.log("README.md: bench table replaced from bench/results/latest.md");
