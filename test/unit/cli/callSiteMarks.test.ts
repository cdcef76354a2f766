// The call-site marks a profile's bundle carries (cli/callSiteMarks.ts, ir/markedSites.ts): the
// edited bundle computes what the original did, and at every moment the mark names the innermost
// user call still running, the frame a stack capture would find. A probe module stands in for the
// runtime; the lines and columns below are the positions in SOURCE as V8 reports them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { bundleScript } from "../../../runtime/src/cli/bundle.js";
import { resetMarkedSites } from "../../../runtime/src/ir/markedSites.js";
import { seen, stackSeen } from "./markProbe/probe.js";

const PROBE = resolve(import.meta.dirname, "markProbe/probe.ts");

const SOURCE = `import { probe, callThenProbe, noArgs } from "jitscope";
const obj = { k: 2, m(this: { k: number }, x: number) { probe("m"); return this.k * x; } };
const nothing = undefined as undefined | { f(x: number): { g(y: number): number } };
export const out: unknown[] = [];
out.push(obj.m(probe("arg")));
out.push(probe("outer", probe("inner")));
out.push(nothing?.f(probe("skipped")).g(1));
out.push(noArgs());
out.push(probe("spread", ...[1, 2]));
out.push(callThenProbe("after", () => probe("callback")));
try {
  probe("throws", (() => { throw new Error("x"); })());
} catch {
  out.push("caught");
}
out.push(probe("next"));
export async function later() { await null; return probe("continuation"); }
const holder = { probe };
const maybe = probe as undefined | typeof probe;
out.push(holder?.probe("optionalMember"), maybe?.("optionalCall"), (0, holder.probe)("sequence"));
out.push(holder["probe"]("computed"), holder
  .probe("nextLine"));
`;

async function buildAndRun(mark: boolean): Promise<{ out: unknown[]; code: string; later: () => Promise<number> }> {
  const dir = mkdtempSync(join(tmpdir(), "jitscope-marks-"));
  const script = join(dir, "source.ts");
  writeFileSync(script, SOURCE);
  const bundle = join(dir, "bundle.mjs");
  const built = await bundleScript(script, bundle, PROBE, { markCallSites: mark });
  assert.ok(built.ok, built.ok ? "" : built.message);
  const mod = (await import(pathToFileURL(bundle).href)) as { out: unknown[]; later: () => Promise<number> };
  return { out: mod.out, code: readFileSync(bundle, "utf8"), later: mod.later };
}

test("a marked bundle computes what the unmarked one does: this, argument counts, spreads and optional chains", async () => {
  resetMarkedSites();
  seen.length = 0;
  const plain = await buildAndRun(false);
  const marked = await buildAndRun(true);
  assert.ok(!plain.code.includes("__jsm$"), "the plain bundle has no marks");
  assert.ok(marked.code.includes("__jsm$"), "the marked bundle has marks");
  assert.deepEqual(marked.out, plain.out);
  // obj.m kept its `this`, noArgs() still got no arguments, the optional chain short-circuited.
  assert.deepEqual(marked.out, [2, 2, undefined, 0, 3, 1, "caught", 1, 1, 1, 1, 1, 1]);
});

test("each probe sees the innermost user call still running, at the position the stack gives", async () => {
  resetMarkedSites();
  seen.length = 0;
  stackSeen.length = 0;
  const marked = await buildAndRun(true);
  assert.deepEqual(seen, stackSeen);
  assert.deepEqual(seen, [
    "arg@5:16", // probe("arg"), an argument evaluated before obj.m is entered
    "m@2:57", // inside obj.m: the method's own probe call
    "inner@6:25",
    "outer@6:10", // the outer call is marked after its last argument ran
    "noArgs@8:10", // a call with no arguments, marked without passing any
    "spread@9:10",
    "callback@10:39", // the callback's own call
    "after@10:10", // back in callThenProbe: the callback's mark was put back
    "next@16:10", // the call after a throw marks itself
    "optionalMember@20:18",
    "optionalCall@20:43",
    "sequence@20:79",
    "computed@21:24",
    "nextLine@22:4",
  ]);
  seen.length = 0;
  stackSeen.length = 0;
  assert.equal(await marked.later(), 1);
  assert.deepEqual(seen, ["continuation@17:52"]);
  assert.deepEqual(stackSeen, seen);
});

test("a program that already uses one of the marks' names is bundled unmarked, and runs as written", async () => {
  const dir = mkdtempSync(join(tmpdir(), "jitscope-marks-"));
  const script = join(dir, "source.ts");
  writeFileSync(
    script,
    `import { probe } from "jitscope";\nconst __jsm$ = 40;\nexport const out = probe("x", __jsm$);\n`,
  );
  const bundle = join(dir, "bundle.mjs");
  const built = await bundleScript(script, bundle, PROBE, { markCallSites: true });
  assert.ok(built.ok);
  const code = readFileSync(bundle, "utf8");
  assert.ok(!code.includes("__jitscopeSites"), "no marks' prologue");
  assert.match(code, /sourceMappingURL=data:application\/json;base64,/);
  const mod = (await import(pathToFileURL(bundle).href)) as { out: number };
  assert.equal(mod.out, 2);
});
