import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { exampleDescription, exampleDestination, exampleFiles } from "../../../extension/src/model/examples.js";

test("Open Example lists every shipped example script, sorted, and nothing else", () => {
  assert.deepEqual(exampleFiles(["b.ts", "README.md", "a.ts", "data.json", ".hidden.ts", "c.mjs"]), [
    "a.ts",
    "b.ts",
    "c.mjs",
  ]);
  const shipped = exampleFiles(readdirSync("examples"));
  assert.ok(shipped.includes("mlp_train.ts"));
  for (const f of shipped)
    assert.notEqual(exampleDescription(readFileSync(path.join("examples", f), "utf8")), "", `${f} has a description`);
});

test("an example's description is the first sentence of its opening comment", () => {
  const src =
    '// Row-wise softmax of a matrix, by hand: max, subtract.\n// More text.\nimport { np } from "jitscope";\n';
  assert.equal(exampleDescription(src), "Row-wise softmax of a matrix, by hand:");
  assert.equal(exampleDescription("// One line only\nconst x = 1;\n"), "One line only");
  assert.equal(exampleDescription("const x = 1;\n"), "");
});

test("a copied example never overwrites: examples/NAME.ts, then NAME-2.ts, NAME-3.ts", () => {
  const taken = new Set(["/ws/examples/mlp_train.ts", "/ws/examples/mlp_train-2.ts"]);
  assert.equal(
    exampleDestination("/ws", "gelu.ts", (p) => taken.has(p)),
    "/ws/examples/gelu.ts",
  );
  assert.equal(
    exampleDestination("/ws", "mlp_train.ts", (p) => taken.has(p)),
    "/ws/examples/mlp_train-3.ts",
  );
  const win = new Set(["C:\\Users\\me\\proj\\examples\\gelu.ts"]);
  assert.equal(
    exampleDestination("C:\\Users\\me\\proj", "gelu.ts", (p) => win.has(p), path.win32.join),
    "C:\\Users\\me\\proj\\examples\\gelu-2.ts",
  );
});
