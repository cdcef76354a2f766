// `node --import tsx extension/src/packaging/packageVsix.ts [--all | --target T] [--out FILE]`:
// writes one platform-specific .vsix per target (`vsce package --target`). Each is packed from a
// staging folder that holds the built extension and only that platform's native files (Dawn's
// dawn.node, esbuild's binary), then its listing is checked. esbuild's binary for a platform other
// than this machine's is fetched once from the npm registry (`npm pack`) and cached.
// Needs `npm run build` first.

import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseZipinfo, vsixProblems } from "./vsixContents.js";
import { isVsixTarget, targetNatives, VSIX_TARGETS, type VsixTarget } from "./targets.js";

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), "../../..");
const NM = join(ROOT, "node_modules");
const CACHE = join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "jitscope-package");

interface PackageJson {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  [key: string]: unknown;
}

const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8")) as PackageJson;
const writeJson = (file: string, value: unknown) => writeFileSync(file, JSON.stringify(value, null, 2) + "\n");

function copy(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to, { recursive: true, dereference: true });
}

/** The folder of esbuild's platform package: node_modules when installed, else the npm cache. */
function esbuildPlatformPackage(target: VsixTarget): string {
  const { esbuildPackage } = targetNatives(target);
  const installed = join(NM, esbuildPackage);
  if (existsSync(join(installed, "package.json"))) return installed;
  const version = readJson(join(NM, "esbuild/package.json")).version;
  const cached = join(CACHE, `${esbuildPackage.replace("/", "+")}@${version}`);
  if (!existsSync(join(cached, "package", "package.json"))) {
    mkdirSync(cached, { recursive: true });
    const out = execFileSync(
      "npm",
      ["pack", `${esbuildPackage}@${version}`, "--silent", "--pack-destination", cached],
      { encoding: "utf8" },
    );
    const tarball = join(cached, out.trim().split("\n").pop()!);
    execFileSync("tar", ["-xzf", tarball, "-C", cached]);
    rmSync(tarball);
  }
  return join(cached, "package");
}

/** Lays out the staging folder of one target: the .vsix is exactly its contents. */
function stage(target: VsixTarget, dir: string): void {
  const n = targetNatives(target);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const pkg = readJson(join(ROOT, "package.json"));
  // Only the packages the CLI child loads at run time; no scripts (vsce would run prepublish).
  const dependencies = {
    webgpu: pkg.dependencies!.webgpu!,
    esbuild: pkg.dependencies!.esbuild!,
    "jitscope-ts-plugin": "0.1.0",
  };
  const { devDependencies: _dev, scripts: _scripts, ...manifest } = pkg;
  writeJson(join(dir, "package.json"), { ...manifest, dependencies });
  for (const f of [
    "README.md",
    "CHANGELOG.md",
    "LICENSE.txt",
    "media",
    "examples",
    "dist/extension.js",
    "dist/cli.mjs",
    "dist/runtime.mjs",
    "dist/webview.js",
    "dist/types",
  ]) {
    copy(join(ROOT, f), join(dir, f));
  }
  // Dawn: this platform's folder only. Its own dependencies are type packages and a debug
  // logger index.js never loads, so the staged manifest drops them (npm ls must stay clean).
  const webgpu = join(dir, "node_modules/webgpu");
  for (const f of ["index.js", "LICENSE.md", `dist/${n.dawnDir}`]) copy(join(NM, "webgpu", f), join(webgpu, f));
  const { dependencies: _wd, ...webgpuPkg } = readJson(join(NM, "webgpu/package.json"));
  writeJson(join(webgpu, "package.json"), webgpuPkg);
  // esbuild's JS API, which finds its binary through the platform package named after the host.
  const esbuild = join(dir, "node_modules/esbuild");
  for (const f of ["lib/main.js", "LICENSE.md"]) copy(join(NM, "esbuild", f), join(esbuild, f));
  const esbuildPkg = readJson(join(NM, "esbuild/package.json"));
  const { scripts: _es, ...esbuildManifest } = esbuildPkg;
  writeJson(join(esbuild, "package.json"), {
    ...esbuildManifest,
    optionalDependencies: { [n.esbuildPackage]: esbuildPkg.version },
  });
  const platform = esbuildPlatformPackage(target);
  for (const f of ["package.json", n.esbuildBinary])
    copy(join(platform, f), join(dir, "node_modules", n.esbuildPackage, f));
  const plugin = join(ROOT, "extension/tsPlugin");
  for (const f of ["package.json", "dist/index.js"])
    copy(join(plugin, f), join(dir, "node_modules/jitscope-ts-plugin", f));
  writeFileSync(join(dir, ".vscodeignore"), "**/*.map\n.vscodeignore\n");
}

function packageTarget(target: VsixTarget, out: string): void {
  const dir = join(ROOT, ".tmp-package", target);
  stage(target, dir);
  const vsce = join(NM, "@vscode/vsce/vsce");
  execFileSync(process.execPath, [vsce, "package", "--target", target, "--out", out], {
    cwd: dir,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const entries = parseZipinfo(execFileSync("zipinfo", [out], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }));
  const problems = vsixProblems(entries, target);
  if (problems.length) throw new Error(`${out}: ${problems.length} problem(s)\n  ${problems.join("\n  ")}`);
  rmSync(dir, { recursive: true, force: true });
  console.log(`${out}: ${target}, ${entries.length} files, contents as expected`);
}

function main(argv: readonly string[]): void {
  const flag = (name: string) => {
    const i = argv.lastIndexOf(name); // the last wins: `npm run package -- --out F` appends
    return i >= 0 ? argv[i + 1] : undefined;
  };
  if (argv.includes("--all")) {
    for (const t of VSIX_TARGETS) packageTarget(t, join(ROOT, `jitscope-${t}.vsix`));
  } else {
    const target = flag("--target") ?? `${process.platform}-${process.arch}`;
    if (!isVsixTarget(target)) throw new Error(`no package for ${target}; targets: ${VSIX_TARGETS.join(", ")}`);
    packageTarget(target, resolve(flag("--out") ?? join(ROOT, `jitscope-${target}.vsix`)));
  }
  rmSync(join(ROOT, ".tmp-package"), { recursive: true, force: true });
}

main(process.argv.slice(2));
