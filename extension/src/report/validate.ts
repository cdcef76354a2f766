// The one place the extension validates a report (from the child or from disk: untrusted input).
// It delegates to the runtime's pure `validateReport`, which names the first bad field.

import type { Report } from "../../../runtime/src/profile/report.js";
import { validateReport } from "../../../runtime/src/profile/reportSchema.js";

export function validateReportJson(json: unknown): Report {
  return validateReport(json);
}
