// Report hints → information diagnostics in the Problems panel ("JIT Scope hints").

import * as vscode from "vscode";
import { reportHintProblems } from "../model/hints.js";
import type { ResultsStore } from "../model/results.js";
import { ReportDiagnostics } from "./reportDiagnostics.js";

export const HINTS_COLLECTION = "JIT Scope hints";

export class HintDiagnostics extends ReportDiagnostics {
  constructor(store: ResultsStore) {
    super(store, HINTS_COLLECTION, reportHintProblems, vscode.DiagnosticSeverity.Information);
  }
}
