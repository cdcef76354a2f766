// The one place the extension validates a report (from the child or from disk: untrusted input).
// It delegates to the runtime's pure `validateReport`, which names the first bad field.

import type { Report } from "@jitscope/contract";
import { validateReport } from "@jitscope/contract";

export function validateReportJson(json: unknown): Report {
  return validateReport(json);
}
