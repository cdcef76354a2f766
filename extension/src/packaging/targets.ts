// The platforms JIT Scope ships a .vsix for, and which native files each one carries: the CLI
// child needs Dawn (npm `webgpu`, one dawn.node per platform) and esbuild's binary (one npm
// package per platform). Everything else in the package is the same JavaScript on every target.

export const VSIX_TARGETS = ["linux-x64", "linux-arm64", "darwin-arm64", "darwin-x64", "win32-x64"] as const;
export type VsixTarget = (typeof VSIX_TARGETS)[number];

export interface TargetNatives {
  /** Folder under node_modules/webgpu/dist/ holding this platform's dawn.node (and its DLLs). */
  dawnDir: string;
  /** The esbuild platform package, e.g. "@esbuild/darwin-arm64". */
  esbuildPackage: string;
  /** Its binary, relative to that package's folder. */
  esbuildBinary: string;
}

export function targetNatives(target: VsixTarget): TargetNatives {
  const platform = target.split("-")[0];
  return {
    // Dawn ships one universal binary for macOS.
    dawnDir: platform === "darwin" ? "darwin-universal" : target,
    esbuildPackage: `@esbuild/${target}`,
    esbuildBinary: platform === "win32" ? "esbuild.exe" : "bin/esbuild",
  };
}

export function isVsixTarget(s: string): s is VsixTarget {
  return (VSIX_TARGETS as readonly string[]).includes(s);
}
