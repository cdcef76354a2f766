// The import rules CI holds the code to (`npm run check:imports`, run by .ci/run and the tests):
//   1. Boundaries: who may import what (README "Layout"). contract/ imports nothing outside
//      itself; runtime/ never imports vscode, extension/ or webview/; extension/ and webview/
//      reach the runtime only through @jitscope/contract; webview/ never imports Node or vscode.
//   2. No import cycles between files (type-only imports included: a cycle of types still ties
//      the files together), and none between the runtime's folders (ir, trace, passes, …).
// Imports are read with TypeScript's own pre-processor (static, dynamic and type imports alike).
// `node scripts/check-imports.mjs [root]` prints each violation and exits 1 if there are any.
import ts from "typescript";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";

const root = resolve(process.argv[2] ?? ".");
const SIDES = ["contract/src", "runtime/src", "extension/src", "webview/src"];
const CONTRACT = "@jitscope/contract";
const NODE = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

const sideOf = (file) => SIDES.find((s) => file.startsWith(`${s}/`));

function sources(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (/\.(ts|mts)$/.test(name) && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

/** A relative specifier ("./x.js") to the source file it names, or null when there is none. */
function resolveRelative(from, spec) {
  const base = resolve(dirname(from), spec);
  const stem = base.replace(/\.(m?js)$/, "");
  for (const c of [`${stem}.ts`, `${stem}.mts`, base, join(base, "index.ts")])
    if (existsSync(c) && statSync(c).isFile()) return c;
  return null;
}

/** Why `spec` imported by `file` (paths relative to the root) breaks a boundary, or null. */
function boundaryProblem(file, spec, target) {
  const side = sideOf(file);
  const targetSide = target ? sideOf(target) : undefined;
  if (target && targetSide !== side) {
    const into = targetSide ?? target;
    return `${side}/ reaches into ${into} by a relative path${targetSide === "contract/src" ? ` (import "${CONTRACT}")` : ""}`;
  }
  if (target) return null;
  const bare = spec.startsWith("node:") || NODE.has(spec.split("/")[0]);
  switch (side) {
    case "contract/src":
      return `contract/ imports nothing outside itself (got "${spec}")`;
    case "runtime/src":
      return spec === "vscode" ? `runtime/ never imports vscode` : null;
    case "extension/src":
      return null;
    case "webview/src":
      if (bare) return `webview/ is a page: no Node modules (got "${spec}")`;
      if (spec === "vscode") return `webview/ never imports vscode (it talks to the host by messages)`;
      return null;
    default:
      return null;
  }
}

/** Strongly connected components with more than one member (Tarjan), each sorted. */
function cycles(graph) {
  let index = 0;
  const idx = new Map(),
    low = new Map(),
    stack = [],
    on = new Set(),
    out = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? new Set()).has(v)) out.push(comp.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}

/** One shortest path from a to b in graph (a list of nodes), for a readable message. */
function path(graph, a, b) {
  const prev = new Map([[a, null]]);
  const queue = [a];
  while (queue.length) {
    const v = queue.shift();
    for (const w of graph.get(v) ?? []) {
      if (prev.has(w)) continue;
      prev.set(w, v);
      if (w === b) {
        const p = [b];
        for (let x = v; x !== null; x = prev.get(x)) p.unshift(x);
        return p;
      }
      queue.push(w);
    }
  }
  return [a, b];
}

export function checkImports(rootDir = root) {
  const rel = (abs) => relative(rootDir, abs).split(sep).join("/");
  const problems = [];
  const files = new Map(); // rel → set of rel
  const folders = new Map(); // runtime folder → set of runtime folders
  const runtimeFolder = (f) => (f.startsWith("runtime/src/") ? (f.split("/").slice(2, -1)[0] ?? "(top)") : null);
  for (const side of SIDES) {
    for (const abs of sources(join(rootDir, side))) {
      const file = rel(abs);
      const deps = new Set();
      const { importedFiles } = ts.preProcessFile(readFileSync(abs, "utf8"), true, true);
      for (const { fileName: spec } of importedFiles) {
        const target = spec.startsWith(".")
          ? resolveRelative(abs, spec)
          : spec === CONTRACT
            ? join(rootDir, "contract/src/index.ts")
            : null;
        const why = boundaryProblem(file, spec, spec === CONTRACT || !target ? null : rel(target));
        if (why) problems.push(`${file}: imports "${spec}": ${why}`);
        if (target) {
          const t = rel(target);
          deps.add(t);
          const a = runtimeFolder(file),
            b = runtimeFolder(t);
          if (a && b && a !== b && a !== "(top)" && b !== "(top)") {
            if (!folders.has(a)) folders.set(a, new Set());
            folders.get(a).add(b);
          }
        }
      }
      files.set(file, deps);
    }
  }
  for (const comp of cycles(files)) {
    const loop = path(files, comp[0], comp[0] === comp[1] ? comp[0] : comp[1]).concat(
      path(files, comp[1] ?? comp[0], comp[0]).slice(1),
    );
    problems.push(
      `import cycle among ${comp.length} files: ${loop.join(" → ")}${comp.length > 2 ? ` (with ${comp.filter((f) => !loop.includes(f)).join(", ") || "no others"})` : ""}`,
    );
  }
  for (const comp of cycles(folders)) {
    const loop = path(folders, comp[0], comp[1]).concat(path(folders, comp[1], comp[0]).slice(1));
    problems.push(`folder cycle in runtime/src: ${loop.join(" → ")} (${comp.join(", ")})`);
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = checkImports(root);
  for (const p of problems) console.error(p);
  if (problems.length) {
    console.error(`check-imports: ${problems.length} problem(s)`);
    process.exit(1);
  }
  console.log("check-imports: boundaries held, no import cycles");
}
