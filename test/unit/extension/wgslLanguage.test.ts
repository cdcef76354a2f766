// WGSL highlighting: the manifest contributes the `wgsl` language and its TextMate grammar, the
// grammar ships in every .vsix, and kernel WGSL documents open as `wgsl`, IR ones untouched.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildExtensionBundle, loadExtension } from "../../fixtures/ext/loadExtension.js";
import { makeVscodeStub } from "../../fixtures/ext/vscodeStub.js";
import { sampleReport } from "../../fixtures/ext/sampleReport.js";
import { requiredFiles } from "../../../extension/src/packaging/vsixContents.js";

interface Manifest {
  contributes: {
    languages?: { id: string; extensions?: string[] }[];
    grammars?: { language: string; scopeName: string; path: string }[];
  };
}
interface Rule {
  name?: string;
  match?: string;
  begin?: string;
  end?: string;
  captures?: Record<string, { name: string }>;
  patterns?: Rule[];
  include?: string;
}
interface Grammar {
  scopeName: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
}

const GRAMMAR = "media/syntaxes/wgsl.tmLanguage.json";

test("the manifest contributes the wgsl language for .wgsl files and its grammar at media/syntaxes", async () => {
  const pkg = JSON.parse(await readFile("package.json", "utf8")) as Manifest;
  assert.deepEqual(pkg.contributes.languages?.find((l) => l.id === "wgsl")?.extensions, [".wgsl"]);
  assert.deepEqual(
    pkg.contributes.grammars?.find((g) => g.language === "wgsl"),
    {
      language: "wgsl",
      scopeName: "source.wgsl",
      path: `./${GRAMMAR}`,
    },
  );
  for (const t of ["linux-x64", "win32-x64", "darwin-arm64"] as const) {
    assert.ok(requiredFiles(t).includes(`extension/${GRAMMAR}`), `${t} package must hold the grammar`);
  }
});

/** The scope names the grammar gives each token of `line` (first match wins, left to right). */
function scopesOf(g: Grammar, line: string): [string, string][] {
  const flatten = (rules: Rule[]): Rule[] =>
    rules.flatMap((r) =>
      r.include
        ? flatten(g.repository[r.include.slice(1)]!.patterns ?? [g.repository[r.include.slice(1)]!])
        : r.patterns
          ? flatten(r.patterns)
          : [r],
    );
  const rules = flatten(g.patterns).filter((r) => r.match ?? r.begin);
  const out: [string, string][] = [];
  let at = 0;
  while (at < line.length) {
    let best: { index: number; text: string; name: string } | null = null;
    for (const r of rules) {
      const re = new RegExp(r.match ?? r.begin!, "gm");
      re.lastIndex = at;
      const m = re.exec(line);
      if (!m || m[0].length === 0) continue;
      const name = r.name ?? r.captures?.["2"]?.name ?? "";
      if (!best || m.index < best.index) best = { index: m.index, text: m[0], name };
    }
    if (!best) break;
    if (best.name) out.push([best.text.trim(), best.name]);
    at = best.index + best.text.length;
  }
  return out;
}

test("the grammar parses as JSON and scopes keywords, types, attributes, builtins, numbers and comments", async () => {
  const g = JSON.parse(await readFile(GRAMMAR, "utf8")) as Grammar;
  assert.equal(g.scopeName, "source.wgsl");
  for (const key of ["comments", "attributes", "numbers", "keywords", "types", "builtins"]) {
    assert.ok(
      g.patterns.some((p) => p.include === `#${key}`),
      `top level includes #${key}`,
    );
  }
  const scope = (line: string) => new Map(scopesOf(g, line));
  const binding = scope("@group(0) @binding(1) var<storage, read> a: array<vec4<f32>>;");
  assert.equal(binding.get("@group"), "entity.name.tag.attribute.wgsl");
  assert.equal(binding.get("@binding"), "entity.name.tag.attribute.wgsl");
  assert.equal(binding.get("var"), "storage.type.declaration.wgsl");
  assert.equal(binding.get("storage"), "storage.modifier.wgsl");
  assert.equal(binding.get("array"), "storage.type.wgsl");
  assert.equal(binding.get("vec4"), "storage.type.wgsl");
  assert.equal(binding.get("f32"), "storage.type.wgsl");
  assert.equal(binding.get("0"), "constant.numeric.integer.wgsl");
  const entry = scope("@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {");
  assert.equal(entry.get("@compute"), "entity.name.tag.attribute.wgsl");
  assert.equal(entry.get("@workgroup_size"), "entity.name.tag.attribute.wgsl");
  assert.equal(entry.get("fn main"), "entity.name.function.wgsl");
  assert.equal(entry.get("global_invocation_id"), "variable.language.builtin-value.wgsl");
  const body = scope("let y = tanh(x) * 0.5f + 1e-3; // half");
  assert.equal(body.get("let"), "storage.type.declaration.wgsl");
  assert.equal(body.get("tanh"), "support.function.builtin.wgsl");
  assert.equal(body.get("0.5f"), "constant.numeric.float.wgsl");
  assert.equal(body.get("1e-3"), "constant.numeric.float.wgsl");
  assert.equal(body.get("// half"), "comment.line.double-slash.wgsl");
  assert.equal(scope("/* fused */ if (i < n) { return; }").get("/*"), "comment.block.wgsl");
  assert.equal(scope("if (i < n) { return; }").get("return"), "keyword.control.wgsl");
});

let bundlePath = "";
before(async () => {
  bundlePath = (await buildExtensionBundle()).path;
});

test("opening a kernel's WGSL shows a wgsl document; an IR document keeps its own language", async () => {
  const stub = makeVscodeStub({ trusted: true });
  loadExtension(bundlePath, stub).activate(stub.extensionContext);
  const file = join(await mkdtemp(join(tmpdir(), "jitscope-ext-")), "report.json");
  await writeFile(file, JSON.stringify(sampleReport()));
  await stub.commands.get("jitscope.openReport")!(file);
  assert.equal(await stub.commands.get("jitscope.openKernelWgslAt")!("k0"), true);
  assert.equal(await stub.commands.get("jitscope.openPassIrAt")!("c0", "fuse"), true);
  assert.deepEqual(stub.shown, [
    { uri: "jitscope:/wgsl/k0/fused_tanh_mul_sub_0.wgsl", languageId: "wgsl", viewColumn: -2 },
    { uri: "jitscope:/ir/c0/fuse/step after fuse.jaxpr", languageId: "plaintext", viewColumn: -2 },
  ]);
});
