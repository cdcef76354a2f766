// From a line of the user's code to the WGSL it became and back, in the bundled extension under
// the VS Code stub: the hover's link opens a kernel's WGSL with that line's statements
// selected; the WGSL document ends each such statement in `// op · mlp.ts:N`, and the IR after a
// pass each equation in `# mlp.ts:N`, a link to line N (where the line is now, if the file was
// edited since the run) in the editor group already showing the file.

import { test, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Report } from "@jitscope/contract";
import { indexReport } from "../../../extension/src/model/reportIndex.js";
import { lineHoverMarkdown } from "../../../extension/src/model/hover.js";
import { virtualDocContent } from "../../../extension/src/model/virtualDocuments.js";
import { buildExtensionBundle, loadExtension } from "../../fixtures/ext/loadExtension.js";
import { makeVscodeStub, Uri } from "../../fixtures/ext/vscodeStub.js";
import { SCRIPT, sampleReport } from "../../fixtures/ext/sampleReport.js";

const WGSL = [
  "@compute @workgroup_size(64)",
  "fn main(@builtin(global_invocation_id) gid: vec3<u32>) {",
  "  let v3_0 = in0[gid.x];",
  "  let v4_1 = tanh(v3_0);",
  "  let v5_2 = (v4_1 * f32(2.0));",
  "  let v4_3 = tanh(in0[gid.x + 1u]);",
  "  out0[gid.x] = v5_2 + v4_3;",
  "}",
].join("\n");

/** The sample report, its kernel k0 (lines 3-5 of the script fused) with real-looking WGSL whose
 *  lines 4 and 6 compute line 4's tanh and line 5 its multiply. */
function mappedReport(): Report {
  const r = sampleReport();
  const k0 = r.kernels.find((k) => k.id === "k0")!;
  k0.wgsl = WGSL;
  k0.wgslSources = [
    { op: "tanh", opId: "op4", location: { file: SCRIPT, line: 4, column: 13 }, lines: [4, 6] },
    { op: "mul", opId: "op5", location: { file: SCRIPT, line: 5, column: 13 }, lines: [5] },
  ];
  return r;
}

let bundlePath = "";
before(async () => {
  bundlePath = (await buildExtensionBundle()).path;
});

/** The bundled extension, activated under the stub, with `report` opened. */
async function extensionWithReport(report: Report) {
  const stub = makeVscodeStub({ trusted: true });
  loadExtension(bundlePath, stub).activate(stub.extensionContext);
  const file = join(await mkdtemp(join(tmpdir(), "jitscope-ext-")), "report.json");
  await writeFile(file, JSON.stringify(report));
  await stub.commands.get("jitscope.openReport")!(file);
  return stub;
}

test("a line's hover links to its kernel's WGSL at that line's statements, and to the plain WGSL where none is mapped", () => {
  const index = indexReport(mappedReport());
  const at4 = `command:jitscope.openKernelWgslAt?${encodeURIComponent(JSON.stringify(["k0", SCRIPT, 4]))}`;
  assert.ok(lineHoverMarkdown(index, SCRIPT, 4)!.includes(`[Open WGSL at this line's 2 statements](${at4})`));
  const at5 = `command:jitscope.openKernelWgslAt?${encodeURIComponent(JSON.stringify(["k0", SCRIPT, 5]))}`;
  assert.ok(lineHoverMarkdown(index, SCRIPT, 5)!.includes(`[Open WGSL at this line's 1 statement](${at5})`));
  // Line 3's matmul has no mapped statement in this kernel.
  assert.ok(
    lineHoverMarkdown(index, SCRIPT, 3)!.includes(
      `[Open WGSL](command:jitscope.openKernelWgslAt?${encodeURIComponent('["k0"]')})`,
    ),
  );
});

test("the WGSL document ends each mapped statement in '// op · mlp.ts:N' below its two header lines", () => {
  const text = virtualDocContent(mappedReport(), { kind: "wgsl", kernel: "k0" })!.split("\n");
  assert.match(text[0]!, /^\/\/ fused_tanh_mul_sub_0 \(jit\)/);
  assert.equal(text[5], "  let v4_1 = tanh(v3_0);             // tanh · mlp.ts:4");
  assert.equal(text[6], "  let v5_2 = (v4_1 * f32(2.0));      // mul · mlp.ts:5");
  assert.equal(text[7], "  let v4_3 = tanh(in0[gid.x + 1u]);  // tanh · mlp.ts:4");
  assert.equal(text[8], "  out0[gid.x] = v5_2 + v4_3;");
});

test("opening the WGSL at a source line selects the statements computing it; a malformed line argument opens it unselected", async () => {
  const stub = await extensionWithReport(mappedReport());
  const open = stub.commands.get("jitscope.openKernelWgslAt")!;
  assert.equal(await open("k0", SCRIPT, 4), true);
  assert.equal(await open("k0", SCRIPT, 5), true);
  assert.equal(await open("k0", SCRIPT, "4"), true);
  assert.equal(await open("k0", 42, 4), true);
  assert.equal(await open("k9", SCRIPT, 4), false);
  const uri = "jitscope:/wgsl/k0/fused_tanh_mul_sub_0.wgsl";
  assert.deepEqual(stub.shown, [
    // Document lines 5 and 7 (0-based): WGSL lines 4 and 6 below the two header lines.
    {
      uri,
      languageId: "wgsl",
      viewColumn: -2,
      selected: [
        [5, 5],
        [7, 7],
      ],
    },
    { uri, languageId: "wgsl", viewColumn: -2, selected: [[6, 6]] },
    { uri, languageId: "wgsl", viewColumn: -2 },
    { uri, languageId: "wgsl", viewColumn: -2 },
  ]);
});

const openSourceUri = (line: number, column: number) =>
  `command:jitscope.openSourceAt?${encodeURIComponent(JSON.stringify([SCRIPT, line, column]))}`;

test("each 'mlp.ts:N' in the WGSL document links to line N of the script, named in its tooltip at the line it has now after an edit above it", async () => {
  const stub = await extensionWithReport(mappedReport());
  assert.equal(stub.linkProviders.length, 1);
  const doc = { uri: new Uri("jitscope", "/wgsl/k0/fused_tanh_mul_sub_0.wgsl") };
  const links = stub.linkProviders[0]!.provideDocumentLinks(doc);
  const text = virtualDocContent(mappedReport(), { kind: "wgsl", kernel: "k0" })!.split("\n");
  assert.deepEqual(
    links.map((l) => [
      text[l.range.start.line]!.slice(l.range.start.character, l.range.end.character),
      l.target?.toString(),
      l.tooltip,
    ]),
    [
      ["mlp.ts:4", openSourceUri(4, 13), `Open ${SCRIPT}:4`],
      ["mlp.ts:5", openSourceUri(5, 13), `Open ${SCRIPT}:5`],
      ["mlp.ts:4", openSourceUri(4, 13), `Open ${SCRIPT}:4`],
    ],
  );
  // Two lines inserted at the top of the script move line 4 to line 6: the tooltip says so, and
  // the link, which carries the run's line, opens line 6 (next test).
  stub.docChanges.fire({
    document: { uri: Uri.file(SCRIPT) },
    contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: "\n\n" }],
  });
  const moved = stub.linkProviders[0]!.provideDocumentLinks(doc);
  assert.deepEqual([moved[0]!.target?.toString(), moved[0]!.tooltip], [openSourceUri(4, 13), `Open ${SCRIPT}:6`]);
});

/** The sample report with its fuse pass printed as the runtime prints IR: two equations of line
 *  4 and one of a file the run does not know, a kernel header, and a footer. */
function reportWithIr(): Report {
  const r = sampleReport();
  r.compilations[0]!.passes.find((p) => p.name === "fuse")!.text = [
    "{ lambda a:f32[8] .",
    "    # kernel k0 fused_tanh_mul: elementwise chain of 2 ops",
    "  let b:f32[8] = tanh a           # mlp.ts:4",
    "      c:f32[8] = mul b 2.0        # helper.ts:3",
    "      d:f32[8] = add c 1.0        # mlp.ts:4",
    "  in ( d ) }",
    "# peak 64 B: 2",
  ].join("\n");
  return r;
}

test("in the IR after a pass each equation's 'mlp.ts:N' links to line N of the script; a file the run does not know, kernel headers and footers do not link", async () => {
  const stub = await extensionWithReport(reportWithIr());
  const doc = { uri: new Uri("jitscope", "/ir/c0/fuse/step after fuse.jaxpr") };
  const text = virtualDocContent(reportWithIr(), { kind: "ir", compilation: "c0", pass: "fuse" })!.split("\n");
  const links = stub.linkProviders[0]!.provideDocumentLinks(doc);
  assert.deepEqual(
    links.map((l) => [
      l.range.start.line,
      text[l.range.start.line]!.slice(l.range.start.character, l.range.end.character),
      l.target?.toString(),
      l.tooltip,
    ]),
    // Lines 3 and 5 of the document: the header line, then the IR's third and fifth lines.
    [
      [3, "mlp.ts:4", openSourceUri(4, 1), `Open ${SCRIPT}:4`],
      [5, "mlp.ts:4", openSourceUri(4, 1), `Open ${SCRIPT}:4`],
    ],
  );
  stub.docChanges.fire({
    document: { uri: Uri.file(SCRIPT) },
    contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: "\n" }],
  });
  assert.equal(stub.linkProviders[0]!.provideDocumentLinks(doc)[0]!.tooltip, `Open ${SCRIPT}:5`);
  // A pass the report does not have: no document, no links.
  assert.deepEqual(
    stub.linkProviders[0]!.provideDocumentLinks({ uri: new Uri("jitscope", "/ir/c0/nosuchpass/x.jaxpr") }),
    [],
  );
});

test("a line's hover links to the IR after fuse at the equations that line made, which open selected", async () => {
  const index = indexReport(reportWithIr());
  const at4 = `command:jitscope.openPassIrAt?${encodeURIComponent(JSON.stringify(["c0", "fuse", SCRIPT, 4]))}`;
  assert.ok(lineHoverMarkdown(index, SCRIPT, 4)!.includes(`[IR after fuse at this line's 2 equations](${at4})`));
  // Line 5's ops made no equation of this IR: no such link.
  assert.ok(!lineHoverMarkdown(index, SCRIPT, 5)!.includes("IR after fuse at"));

  const stub = await extensionWithReport(reportWithIr());
  const open = stub.commands.get("jitscope.openPassIrAt")!;
  assert.equal(await open("c0", "fuse", SCRIPT, 4), true);
  assert.equal(await open("c0", "fuse", SCRIPT, "4"), true);
  assert.equal(await open("c0", "nosuchpass", SCRIPT, 4), false);
  const uri = "jitscope:/ir/c0/fuse/step after fuse.jaxpr";
  assert.deepEqual(stub.shown, [
    {
      uri,
      languageId: "plaintext",
      viewColumn: -2,
      selected: [
        [3, 3],
        [5, 5],
      ],
    },
    { uri, languageId: "plaintext", viewColumn: -2 },
  ]);
});

test("following a WGSL link opens the script in the group already showing it, at the line it has now; other files and malformed arguments open nothing", async () => {
  const stub = await extensionWithReport(mappedReport());
  const open = stub.commands.get("jitscope.openSourceAt")!;
  // No editor visible: the first group.
  assert.equal(await open(SCRIPT, 4, 13), true);
  // Two lines inserted at the top of the script; then the script shows in the third group, the
  // WGSL in the second: line 4 of the run opens as line 6, in the third group.
  stub.docChanges.fire({
    document: { uri: Uri.file(SCRIPT) },
    contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: "\n\n" }],
  });
  stub.visibleTextEditors.push(
    {
      document: { uri: new Uri("jitscope", "/wgsl/k0/fused_tanh_mul_sub_0.wgsl") },
      viewColumn: 2,
      setDecorations() {},
    },
    { document: { uri: Uri.file(SCRIPT) }, viewColumn: 3, setDecorations() {} },
  );
  assert.equal(await open(SCRIPT, 4, 13), true);
  assert.equal(await open("/etc/passwd", 1, 1), false);
  assert.ok(stub.log.includes("A source link asked to open /etc/passwd, which the report does not mention; ignored."));
  assert.equal(await open(SCRIPT, "4", 13), false);
  assert.equal(await open(SCRIPT, 0, 13), false);
  assert.equal(await open(42, 4, 13), false);
  const uri = `file:${SCRIPT}`;
  assert.deepEqual(stub.shown, [
    { uri, languageId: "plaintext", viewColumn: 1, selected: [[3, 3]] },
    { uri, languageId: "plaintext", viewColumn: 3, selected: [[5, 5]] },
  ]);
});
