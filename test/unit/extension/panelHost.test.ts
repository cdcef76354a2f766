// The panel host inside the bundled extension, driven through a stand-in webview: how the panel is
// created, what it is sent, and which of the page's messages it acts on.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildExtensionBundle, loadExtension } from "../../fixtures/ext/loadExtension.js";
import { makeVscodeStub } from "../../fixtures/ext/vscodeStub.js";
import { SCRIPT, sampleReport } from "../../fixtures/ext/sampleReport.js";

let bundlePath = "";
before(async () => {
  bundlePath = (await buildExtensionBundle()).path;
});

async function activated() {
  const stub = makeVscodeStub({ trusted: true });
  loadExtension(bundlePath, stub).activate(stub.extensionContext);
  const file = join(await mkdtemp(join(tmpdir(), "jitscope-ext-")), "report.json");
  await writeFile(file, JSON.stringify(sampleReport()));
  await stub.commands.get("jitscope.openReport")!(file);
  return stub;
}

test("the panel opens beside the editor, kept alive when hidden, with scripts from dist only and a nonce'd CSP", async () => {
  const stub = await activated();
  await stub.commands.get("jitscope.showGraphPanel")!();
  assert.equal(stub.panels.length, 1);
  const panel = stub.panels[0]!;
  assert.deepEqual(panel.showOptions, { viewColumn: -2, preserveFocus: true });
  assert.equal(panel.createOptions.retainContextWhenHidden, true);
  assert.deepEqual(
    panel.webview.options.localResourceRoots!.map((u) => u.path),
    ["/ext/dist"],
  );
  const nonce = /script-src 'nonce-([A-Za-z0-9]+)'/.exec(panel.webview.html)![1]!;
  assert.ok(
    panel.webview.html.includes(
      `<script nonce="${nonce}" src="https://stub.vscode-resource/ext/dist/webview.js"></script>`,
    ),
  );
  // A second Show reveals the same panel instead of opening another.
  await stub.commands.get("jitscope.showGraphPanel")!({ view: "kernels" });
  assert.equal(stub.panels.length, 1);
  assert.equal(panel.revealed, 1);
});

test("the report is sent once the page is ready, on the view asked for", async () => {
  const stub = await activated();
  await stub.commands.get("jitscope.showGraphPanel")!({ view: "compare", compilation: "c0" });
  const panel = stub.panels[0]!;
  assert.deepEqual(panel.posted, [], "nothing is posted before the page is ready");
  await panel.receive({ type: "ready" });
  assert.equal(panel.posted.length, 1);
  const sent = panel.posted[0] as {
    type: string;
    view: string;
    compilation: string;
    report: { kernels: { id: string }[] };
  };
  assert.deepEqual([sent.type, sent.view, sent.compilation], ["report", "compare", "c0"]);
  assert.deepEqual(
    sent.report.kernels.map((k) => k.id),
    ["k0", "k1", "k2"],
  );
  // Typing in the script moves annotations but does not re-send the whole report.
  stub.docChanges.fire({
    document: { uri: stub.api.Uri.file(SCRIPT) },
    contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: "x" }],
  });
  assert.equal(panel.posted.length, 1);
  await stub.commands.get("jitscope.clearResults")!();
  assert.deepEqual(panel.posted.at(-1), { type: "clear" });
});

test("a hover's Reveal in graph opens the panel and reveals the kernel after the report", async () => {
  const stub = await activated();
  assert.equal(await stub.commands.get("jitscope.revealKernel")!("k1"), true);
  const panel = stub.panels[0]!;
  await panel.receive({ type: "ready" });
  assert.deepEqual(
    panel.posted.map((m) => (m as { type: string }).type),
    ["report", "reveal"],
  );
  assert.deepEqual(panel.posted[1], { type: "reveal", kernel: "k1" });
  assert.equal(await stub.commands.get("jitscope.revealKernel")!("no-such-kernel"), false);
});

test("the page's messages are validated: malformed ones and unknown files are ignored, good ones act", async () => {
  const stub = await activated();
  await stub.commands.get("jitscope.showGraphPanel")!();
  const panel = stub.panels[0]!;
  await panel.receive({ type: "ready" });
  await panel.receive({ type: "openWgsl", kernel: 42 });
  assert.ok(stub.log.includes("Panel sent a malformed message; ignored."));
  await panel.receive({ type: "revealLocation", location: { file: "/etc/passwd", line: 1, column: 1 } });
  assert.ok(stub.log.some((l) => l.startsWith("Panel asked to open /etc/passwd, which the report does not mention")));
  assert.deepEqual(stub.opened, []);
  await panel.receive({ type: "revealLocation", location: { file: SCRIPT, line: 4, column: 3 } });
  await panel.receive({ type: "openWgsl", kernel: "k0" });
  await panel.receive({ type: "openPassIr", compilation: "c0", pass: "fuse" });
  assert.deepEqual(stub.opened, [
    `file:${SCRIPT}`,
    "jitscope:/wgsl/k0/fused_tanh_mul_sub_0.wgsl",
    "jitscope:/ir/c0/fuse/step after fuse.jaxpr",
  ]);
});

test("moving the cursor in a source file tells the open panel the line, once the cursor settles", async () => {
  const stub = await activated();
  const move = (line: number, scheme = "file") =>
    stub.selectionChanges.fire({
      textEditor: { document: { uri: { ...stub.api.Uri.file(SCRIPT), scheme, fsPath: SCRIPT } } },
      selections: [{ active: { line: line - 1, character: 0 } }],
    });
  move(3); // no panel yet: nothing to tell
  await stub.commands.get("jitscope.showGraphPanel")!();
  const panel = stub.panels[0]!;
  await panel.receive({ type: "ready" });
  const before = panel.posted.length;
  move(4);
  move(5); // a held arrow key: only where it stops counts
  move(6, "jitscope"); // our own IR documents are not source
  // The cursor settles after 120 ms; a loaded machine may fire that timer late. Then a little
  // longer, so that a second message would be seen.
  for (let waited = 0; panel.posted.length === before && waited < 5000; waited += 20)
    await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(panel.posted.slice(before), [{ type: "cursor", location: { file: SCRIPT, line: 5 } }]);
});
