// Reading a report file: JSON parse, then validation. Errors come back as values (a bad file is
// an expected case, not an exception for the caller).

import { readFile } from "node:fs/promises";
import type { Report } from "@jitscope/contract";
import { validateReportJson } from "./validate.js";

export type LoadResult = { ok: true; report: Report } | { ok: false; error: string };

/** Reports above this are refused (a hostile file must not exhaust the extension host). */
export const MAX_REPORT_BYTES = 512 * 1024 * 1024;

export function parseReportText(text: string): LoadResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `invalid JSON: ${(e as Error).message}` };
  }
  try {
    return { ok: true, report: validateReportJson(json) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

export async function loadReportFile(path: string): Promise<LoadResult> {
  let text: string;
  try {
    const buf = await readFile(path);
    if (buf.byteLength > MAX_REPORT_BYTES) return { ok: false, error: `report too large (${buf.byteLength} bytes)` };
    text = buf.toString("utf8");
  } catch (e) {
    return { ok: false, error: `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  return parseReportText(text);
}
