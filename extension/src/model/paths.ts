// Comparing file paths from the report (written by the child process) with editor paths.

import * as path from "node:path";

/**
 * Normalised form used as a map key; case-folded on case-insensitive platforms. On Windows the
 * report (written by the child) and the editor may spell one file "C:\\x\\a.ts", "c:/x/a.ts"
 * or "C:/x/../x/a.ts": all give one key.
 */
export function fileKey(file: string, platform: NodeJS.Platform = process.platform): string {
  const normal = platform === "win32" ? path.win32.resolve(file) : path.posix.resolve(file);
  return platform === "win32" || platform === "darwin" ? normal.toLowerCase() : normal;
}

export function sameFile(a: string, b: string, platform: NodeJS.Platform = process.platform): boolean {
  return fileKey(a, platform) === fileKey(b, platform);
}
