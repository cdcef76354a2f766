// Comparing file paths from the report (written by the child process) with editor paths.

import * as path from "node:path";

/** Normalised form used as a map key; case-folded on case-insensitive platforms. */
export function fileKey(file: string, platform: NodeJS.Platform = process.platform): string {
  const normal = path.resolve(file);
  return platform === "win32" || platform === "darwin" ? normal.toLowerCase() : normal;
}

export function sameFile(a: string, b: string): boolean {
  return fileKey(a) === fileKey(b);
}
