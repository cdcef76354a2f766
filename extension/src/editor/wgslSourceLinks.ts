// Links in a kernel's WGSL document: each `mlp.ts:25` that ends a line (the line of yours that
// WGSL line computes; contract's wgslSourceText.ts) opens your file there, at the line it has
// now if the file was edited since the run.

import * as vscode from "vscode";
import type { ResultsStore } from "../model/results.js";
import { parseVirtualDocPath, wgslDocument } from "../model/virtualDocuments.js";

export class WgslSourceLinks implements vscode.DocumentLinkProvider {
  constructor(private readonly store: ResultsStore) {}

  provideDocumentLinks(doc: vscode.TextDocument): vscode.DocumentLink[] {
    const report = this.store.current?.report;
    const parsed = parseVirtualDocPath(doc.uri.path);
    if (!report || parsed?.kind !== "wgsl") return [];
    return (wgslDocument(report, parsed.kernel)?.links ?? []).flatMap((l) => {
      const now = this.store.tracker(l.location.file)?.currentLine(l.location.line) ?? l.location.line;
      if (now === null) return [];
      const target = vscode.Uri.file(l.location.file).with({ fragment: `L${now},${l.location.column}` });
      const link = new vscode.DocumentLink(new vscode.Range(l.line, l.start, l.line, l.end), target);
      link.tooltip = `${l.location.file}:${now}`;
      return [link];
    });
  }
}
