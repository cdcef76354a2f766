// The built plugin in a real tsserver, loaded the way VS Code loads it: `--globalPlugins
// jitscope-ts-plugin --pluginProbeLocations <extension folder>` (here the checkout, whose
// node_modules links the plugin package). Needs `npm run build` (npm test runs it first).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const repo = resolve(".");
let server: ChildProcessWithoutNullStreams;
let dir: string;
let seq = 0;
const pending = new Map<number, (body: unknown) => void>();

/** One request, answered by the response with its seq (tsserver frames them with Content-Length). */
function request<T>(command: string, args: object): Promise<T> {
  const id = ++seq;
  return new Promise((done, fail) => {
    pending.set(id, (msg) => {
      const m = msg as { success: boolean; body: T; message?: string };
      if (m.success) done(m.body);
      else fail(new Error(`${command}: ${m.message}`));
    });
    server.stdin.write(JSON.stringify({ seq: id, type: "request", command, arguments: args }) + "\n");
  });
}

before(() => {
  for (const built of ["dist/types/index.d.ts", "node_modules/jitscope-ts-plugin/dist/index.js"]) {
    assert.ok(existsSync(built), `${built} missing: run npm run build`);
  }
  dir = mkdtempSync(join(tmpdir(), "jitscope-tsserver-"));
  const tsserver = createRequire(import.meta.url).resolve("typescript/lib/tsserver.js");
  server = spawn(
    process.execPath,
    [
      tsserver,
      "--globalPlugins",
      "jitscope-ts-plugin",
      "--pluginProbeLocations",
      repo,
      "--disableAutomaticTypingAcquisition",
      "--useInferredProjectPerProjectRoot",
    ],
    { cwd: dir },
  );
  let buffer = Buffer.alloc(0);
  server.stdout.on("data", (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const header = /^Content-Length: (\d+)\r\n\r\n/.exec(buffer.toString("latin1", 0, Math.min(buffer.length, 64)));
      if (!header || buffer.length < header[0].length + Number(header[1])) return;
      const body = buffer.subarray(header[0].length, header[0].length + Number(header[1]));
      buffer = buffer.subarray(header[0].length + Number(header[1]));
      const msg = JSON.parse(body.toString("utf8")) as { type: string; request_seq?: number };
      if (msg.type === "response") pending.get(msg.request_seq!)?.(msg);
    }
  });
});
after(() => {
  server.kill();
  rmSync(dir, { recursive: true, force: true });
});

test("tsserver with the plugin: the example in an empty folder has no errors, np. completes, a wrong call is an error", async () => {
  // What VS Code sends for files outside any tsconfig (typescript-language-features, TS ≥ 5.4).
  await request("compilerOptionsForInferredProjects", {
    options: {
      module: "Preserve",
      moduleResolution: "Bundler",
      target: "ES2022",
      allowImportingTsExtensions: true,
      allowJs: true,
    },
  });
  const file = join(dir, "mlp_train.ts");
  const text = readFileSync("examples/mlp_train.ts", "utf8") + "np.matmul(1);\nnp.\n";
  writeFileSync(file, text);
  await request("open", { file, fileContent: text, scriptKindName: "TS", projectRootPath: dir });

  type Diagnostic = { code: number; text: string; start: { line: number } };
  const diagnostics = await request<Diagnostic[]>("semanticDiagnosticsSync", { file });
  const lines = text.split("\n");
  const matmulLine = lines.indexOf("np.matmul(1);") + 1;
  // Only the deliberate mistakes: matmul's missing argument, and the unfinished `np.` (syntax, so not here).
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.start.line]),
    [[2554, matmulLine]],
    JSON.stringify(diagnostics),
  );

  const completions = await request<{ entries: { name: string }[] }>("completionInfo", {
    file,
    line: lines.length - 1,
    offset: 4,
  });
  const names = completions.entries.map((e) => e.name);
  for (const name of ["matmul", "tanh", "mean", "zeros"])
    assert.ok(names.includes(name), `${name} in ${names.join(",")}`);

  const info = await request<{ displayString: string }>("quickinfo", { file, line: matmulLine, offset: 4 });
  assert.equal(
    info.displayString,
    "(alias) matmul(x: np.ArrayLike, y: np.ArrayLike): Tracer (+3 overloads)\nexport matmul",
  );
});
