// Activates the bundled extension (built here exactly as esbuild.mjs builds dist/extension.js)
// against a stand-in `vscode` module, then drives commands and providers the way VS Code would.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { buildExtensionBundle, loadExtension as load } from "../../fixtures/ext/loadExtension.js";
import { makeVscodeStub, stubDocument, Position, type CodeLens, type Hover } from "../../fixtures/ext/vscodeStub.js";
import { SCRIPT, SCRIPT_TEXT, sampleReport } from "../../fixtures/ext/sampleReport.js";

let bundlePath = "";
let bundleText = "";

before(async () => {
  ({ path: bundlePath, text: bundleText } = await buildExtensionBundle());
});

const loadExtension = (stub: ReturnType<typeof makeVscodeStub>) => load(bundlePath, stub);

test("the extension bundle loads no Dawn, esbuild or D3", () => {
  assert.ok(!/require\("webgpu"\)|require\("esbuild"\)|require\("d3/.test(bundleText));
  assert.ok(!bundleText.includes("d3-selection"));
});

test("activation registers every contributed command and logs how long it took", async () => {
  const stub = makeVscodeStub({ trusted: true });
  loadExtension(stub).activate(stub.extensionContext);
  const pkg = JSON.parse(await readFile("package.json", "utf8")) as {
    contributes: { commands: { command: string }[] };
  };
  assert.deepEqual([...stub.commands.keys()].sort(), pkg.contributes.commands.map((c) => c.command).sort());
  assert.match(stub.log[0]!, /^JIT Scope activated in \d+\.\d ms\.$/);
  assert.equal(stub.hoverProviders.length, 1);
  assert.equal(stub.lensProviders.length, 1);
});

test("in an untrusted workspace profiling explains that it needs trust and runs nothing", async () => {
  const stub = makeVscodeStub({ trusted: false });
  loadExtension(stub).activate(stub.extensionContext);
  const result = await stub.commands.get("jitscope.profileCurrentFile")!();
  assert.deepEqual(result, { status: "untrusted" });
  assert.equal(stub.messages.length, 1);
  assert.equal(stub.messages[0]!.level, "warning");
  assert.match(stub.messages[0]!.text, /needs a trusted workspace/);
});

test("an opened report drives hovers, CodeLens, problems and context keys; edits move them; Clear removes them", async () => {
  const stub = makeVscodeStub({ trusted: false }); // opening a report needs no trust
  loadExtension(stub).activate(stub.extensionContext);
  const report = sampleReport();
  report.status = "error";
  report.errors.push({ kind: "runtime", message: "boom", location: { file: SCRIPT, line: 10, column: 11 } });
  const file = join(await mkdtemp(join(tmpdir(), "jitscope-ext-")), "report.json");
  await writeFile(file, JSON.stringify(report));

  assert.deepEqual(await stub.commands.get("jitscope.openReport")!(file), { status: "loaded" });
  assert.equal(stub.context.get("jitscope.hasResults"), true);
  assert.equal(stub.context.get("jitscope.lastRunStatus"), "error");
  assert.equal(stub.context.get("jitscope.finishedRuns"), 1);
  assert.equal(
    stub.workspaceState.get("jitscope.lastReportPath"),
    file,
    "remembered for a panel restored after reload",
  );

  const doc = stubDocument(SCRIPT, SCRIPT_TEXT);
  const hover = (line: number) => stub.hoverProviders[0]!.provideHover(doc, new Position(line - 1, 0)) as Hover | null;
  assert.match(hover(4)!.contents.value, /fused_tanh_mul_sub_0/);
  assert.deepEqual(hover(4)!.contents.isTrusted, {
    enabledCommands: [
      "jitscope.revealKernel",
      "jitscope.openKernelWgslAt",
      "jitscope.openPassDiffAt",
      "jitscope.openPassIrAt",
    ],
  });
  assert.equal(hover(7), null);
  const lenses = stub.lensProviders[0]!.provideCodeLenses(doc) as CodeLens[];
  assert.deepEqual(
    lenses.map((l) => [l.range.start.line, l.command!.title, l.command!.command]),
    [[1, "2 dispatches/call · 410 µs/call", "jitscope.showGraphPanel"]],
  );
  const problems = stub.diagnostics.get(SCRIPT)!;
  assert.deepEqual(
    problems.map((d) => [d.range.start.line, d.range.start.character, d.message]),
    [[9, 10, "runtime error: boom"]],
  );

  // A line inserted at the top: line 4's results now sit on line 5, the jit lens on line 3.
  stub.docChanges.fire({
    document: doc,
    contentChanges: [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: "// header\n" },
    ],
  });
  const shifted = stubDocument(SCRIPT, `// header\n${SCRIPT_TEXT}`);
  const hoverAt = (line: number) =>
    stub.hoverProviders[0]!.provideHover(shifted, new Position(line - 1, 0)) as Hover | null;
  assert.match(hoverAt(5)!.contents.value, /fused_tanh_mul_sub_0/);
  assert.match(hoverAt(5)!.contents.value, /edited since this run/);
  assert.equal(hoverAt(11)!.contents.value.includes("eager_add"), true);
  assert.deepEqual(
    (stub.lensProviders[0]!.provideCodeLenses(shifted) as CodeLens[]).map((l) => l.range.start.line),
    [2],
  );

  await stub.commands.get("jitscope.clearResults")!();
  assert.equal(stub.context.get("jitscope.hasResults"), false);
  assert.equal(stub.workspaceState.has("jitscope.lastReportPath"), false);
  assert.equal(hoverAt(5), null);
  assert.equal(stub.diagnostics.size, 0);
});

test("a report that fails validation is refused with the reason, and nothing is loaded", async () => {
  const stub = makeVscodeStub({ trusted: true });
  loadExtension(stub).activate(stub.extensionContext);
  const file = join(await mkdtemp(join(tmpdir(), "jitscope-ext-")), "bad.json");
  await writeFile(file, JSON.stringify({ tool: "jitscope", version: 1 }));
  const result = (await stub.commands.get("jitscope.openReport")!(file)) as { status: string; error: string };
  assert.equal(result.status, "invalid");
  assert.equal(stub.messages.at(-1)!.level, "error");
  assert.equal(stub.context.get("jitscope.hasResults"), undefined);
  assert.equal(stub.hoverProviders[0]!.provideHover(stubDocument(SCRIPT, SCRIPT_TEXT), new Position(3, 0)), null);
});

test("a hover asked while a run is in flight waits for the run and then answers from the loaded report", async () => {
  const stub = makeVscodeStub({ trusted: true });
  loadExtension(stub).activate(stub.extensionContext);
  const file = join(await mkdtemp(join(tmpdir(), "jitscope-ext-")), "report.json");
  await writeFile(file, JSON.stringify(sampleReport()));
  await stub.commands.get("jitscope.openReport")!(file);
  const doc = stubDocument(SCRIPT, SCRIPT_TEXT);
  // A run whose child ends when the test says: withProgress holds until `finishRun` is called.
  let finishRun = () => {};
  const held = new Promise<void>((resolve) => (finishRun = resolve));
  const window = stub.api.window as Record<string, unknown>;
  window.activeTextEditor = { document: { ...doc, isDirty: false } };
  window.withProgress = async (_o: unknown, fn: (p: unknown, t: unknown) => Promise<unknown>) => {
    await held;
    return fn({ report() {} }, { onCancellationRequested: () => ({ dispose() {} }) });
  };
  const run = stub.commands.get("jitscope.profileCurrentFile")!() as Promise<{ status: string }>;
  // The run marks itself running after a few awaits; on a loaded machine that can take a while.
  for (let waited = 0; stub.context.get("jitscope.running") !== true && waited < 5000; waited += 10)
    await new Promise((r) => setTimeout(r, 10));
  assert.equal(stub.context.get("jitscope.running"), true);

  const during = stub.hoverProviders[0]!.provideHover(doc, new Position(3, 0)) as unknown;
  assert.ok(during instanceof Promise, "no early 'nothing' while the run is in flight");
  let answered = false;
  void (during as Promise<unknown>).then(() => (answered = true));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(answered, false, "still waiting for the run");
  finishRun();
  const result = await run; // the stub's script folder does not exist: the child cannot start
  assert.equal(result.status, "crashed");
  const hover = (await during) as Hover | null;
  assert.match(hover!.contents.value, /fused_tanh_mul_sub_0/, "answered from the report loaded when the run ended");
  assert.ok(
    !((stub.hoverProviders[0]!.provideHover(doc, new Position(3, 0)) as unknown) instanceof Promise),
    "after the run: answered at once",
  );
});

test("profile runs write reports into the workspace storage, which keeps the newest 20 and every baseline; Open Report… opens there; baselines outlive a restart", async () => {
  // An extension folder whose dist/cli.mjs is the stand-in CLI, so runs finish with a report.
  const extensionDir = await mkdtemp(join(tmpdir(), "jitscope-ext-dir-"));
  await mkdir(join(extensionDir, "dist"));
  await copyFile(resolve("test/fixtures/ext/fakeCli.mjs"), join(extensionDir, "dist", "cli.mjs"));
  const storageDir = await mkdtemp(join(tmpdir(), "jitscope-ext-storage-"));
  const reports = join(storageDir, "reports");
  const stub = makeVscodeStub({ trusted: true, extensionDir, storageDir });
  const extension = loadExtension(stub);
  extension.activate(stub.extensionContext);
  const window = stub.api.window as Record<string, unknown>;
  window.withProgress = async (_o: unknown, fn: (p: unknown, t: unknown) => Promise<unknown>) =>
    fn({ report() {} }, { onCancellationRequested: () => ({ dispose() {} }) });
  const profile = async (script: string) => {
    window.activeTextEditor = { document: { ...stubDocument(script, ""), isDirty: false } };
    return (await stub.commands.get("jitscope.profileCurrentFile")!()) as { status: string; reportPath: string };
  };
  try {
    const first = await profile(resolve("test/fixtures/ext/scripts/prints.mjs"));
    assert.equal(first.status, "completed");
    assert.equal(dirname(first.reportPath), reports);
    assert.match(basename(first.reportPath), /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-prints\.report\.json$/);
    // That report is now the oldest in the folder, behind 25 reports of other runs, but it stays:
    // it is the baseline the script's next run is compared with.
    const old = new Date(Date.UTC(2001, 0, 1));
    await utimes(first.reportPath, old, old);
    for (let i = 0; i < 25; i++) {
      const file = join(reports, `old-${String(i).padStart(2, "0")}.report.json`);
      await writeFile(file, "{}");
      const t = new Date(Date.UTC(2002, 0, 1 + i));
      await utimes(file, t, t);
    }
    await writeFile(join(reports, "notes.txt"), "a person's file");

    const second = await profile(resolve("test/fixtures/ext/scripts/tinyJit.mjs"));
    assert.equal(second.status, "completed");
    assert.ok(stub.log.includes(`Report: ${second.reportPath}`), "the output channel says where the report is");
    const kept = (await readdir(reports)).sort();
    const newestOld = Array.from({ length: 19 }, (_, k) => `old-${String(k + 6).padStart(2, "0")}.report.json`);
    assert.deepEqual(kept, [basename(first.reportPath), basename(second.reportPath), ...newestOld, "notes.txt"].sort());

    // Open Report… without a file opens its dialog in that folder.
    stub.openDialogAnswer.current = [stub.api.Uri.file(first.reportPath)];
    assert.deepEqual(await stub.commands.get("jitscope.openReport")!(), { status: "loaded" });
    const dialog = stub.openDialogs.at(-1) as { defaultUri?: { fsPath: string }; openLabel: string };
    assert.equal(dialog.openLabel, "Open Report");
    assert.equal(dialog.defaultUri?.fsPath, reports);

    // After a restart (a new activation, the same workspace state) the script's next run is
    // compared with its run before the restart (the stand-in CLI cannot diff, so the log says so).
    extension.deactivate();
    loadExtension(stub).activate(stub.extensionContext);
    await profile(resolve("test/fixtures/ext/scripts/prints.mjs"));
    assert.ok(
      stub.log.some((l) => l.startsWith(`No comparison with ${first.reportPath}: `)),
      "the baseline saved before the restart is used",
    );
  } finally {
    extension.deactivate();
    await rm(extensionDir, { recursive: true, force: true });
    await rm(storageDir, { recursive: true, force: true });
  }
});
