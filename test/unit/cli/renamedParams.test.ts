// A jitted function whose parameters shadow top-level names: esbuild renames them when the CLI
// bundles the script (params → params2), and the report's input labels must still be the names
// the user wrote, found again through the bundle's source map (runtime/src/ir/renamedParams.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO, runCli } from "./runCli.js";

const script = join(REPO, "test/fixtures/scripts/shadowed_params.ts");

test("bundling does rename the shadowing parameters: params2, x2, and then the user's own x2 to x22", async () => {
  const esbuild = await import("esbuild");
  const out = esbuild.buildSync({
    entryPoints: [script],
    bundle: true,
    format: "esm",
    platform: "node",
    write: false,
    external: ["jitscope"],
  });
  const code = out.outputFiles[0]!.text;
  assert.match(code, /\(params2, x2, x22\) =>/, code);
});

test("the graph labels the inputs params.w, params.b, x and x2, as written, not as bundled", () => {
  const run = runCli(script, ["--backend", "cpu"]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /step \[0,3,6,9\]/); // 2·x + x
  const c = run.report.compilations.find((k) => k.functionName === "step")!;
  for (const pass of c.passes) {
    const inputs = pass.graph.nodes.filter((n) => n.kind === "input").map((n) => n.label);
    assert.deepEqual(inputs, ["params.w", "params.b", "x", "x2"], pass.name);
  }
});

test("an anonymous function jitted with options is traced under its own name and the user's helper, not a bundle mark", () => {
  const run = runCli(script, ["--backend", "cpu"]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /update \[0\.5,0\.5\]/);
  const c = run.report.compilations.find((k) => k.functionName === "update")!;
  const ops = c.passes[0]!.graph.nodes.filter((n) => n.kind === "op");
  assert.ok(ops.length >= 2, `${ops.length} ops`);
  for (const op of ops) assert.deepEqual(op.nameStack, ["update", "scaled"], op.label);
});
