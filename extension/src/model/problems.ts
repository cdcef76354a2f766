// Report errors → problems to show in the Problems panel, on the line the runtime mapped them to.

import type { Report, ReportError } from "@jitscope/contract";

export interface Problem {
  file: string;
  /** 0-based, as editors count. */
  line: number;
  column: number;
  message: string;
  kind: ReportError["kind"];
}

/**
 * Errors with a location go there; the rest go to the script's first line. A Cancel is not a
 * problem in the code, and neither is a timeout nobody can place: those stay out of the panel.
 */
export function reportProblems(report: Report): Problem[] {
  const inCode = (e: ReportError) => e.kind !== "cancelled" && !(e.kind === "timeout" && !e.location);
  return report.errors.filter(inCode).map((e) => {
    const loc = e.location;
    return {
      file: loc?.file ?? report.script,
      line: Math.max(0, (loc?.line ?? 1) - 1),
      column: Math.max(0, (loc?.column ?? 1) - 1),
      message: `${e.kind} error: ${e.message}`,
      kind: e.kind,
    };
  });
}
