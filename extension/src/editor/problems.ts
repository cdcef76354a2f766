// Script errors from the report → the Problems panel, on the line the runtime mapped them to.

import * as vscode from "vscode";
import { reportProblems } from "../model/problems.js";
import type { ResultsStore } from "../model/results.js";
import { ReportDiagnostics } from "./reportDiagnostics.js";

export class ScriptProblems extends ReportDiagnostics {
  constructor(store: ResultsStore) {
    super(store, "jitscope", reportProblems, vscode.DiagnosticSeverity.Error);
  }
}
