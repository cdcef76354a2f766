// Links from our virtual documents to the user's code: each `mlp.ts:25` that ends a line of a
// kernel's WGSL (`// exp · mlp.ts:25`, contract's wgslSourceText.ts) or of the IR after a pass
// (`# mlp.ts:25`, runtime's ir/printer.ts) opens that line, at the line it has now if the file
// was edited since the run, in the editor group already showing the file. A command link
// (commands/browse.ts openSourceAt) rather than a file link, which VS Code opens in the link's
// own group: the WGSL or IR would give way to a second copy of the script.

import * as vscode from "vscode";
import { CommandIds, commandUri } from "../model/commandIds.js";
import type { ResultsStore } from "../model/results.js";
import { parseVirtualDocPath, sourceDocLinks } from "../model/virtualDocuments.js";

export class SourceLinks implements vscode.DocumentLinkProvider {
  constructor(private readonly store: ResultsStore) {}

  provideDocumentLinks(doc: vscode.TextDocument): vscode.DocumentLink[] {
    const report = this.store.current?.report;
    const parsed = parseVirtualDocPath(doc.uri.path);
    if (!report || !parsed) return [];
    return sourceDocLinks(report, parsed).flatMap((l) => {
      const now = this.store.tracker(l.location.file)?.currentLine(l.location.line) ?? l.location.line;
      if (now === null) return [];
      // The run's line: openSourceAt follows it to where it is now, when the link is followed.
      const args = [l.location.file, l.location.line, l.location.column];
      const target = vscode.Uri.parse(commandUri(CommandIds.openSourceAt, args));
      const link = new vscode.DocumentLink(new vscode.Range(l.line, l.start, l.line, l.end), target);
      link.tooltip = `Open ${l.location.file}:${now}`;
      return [link];
    });
  }
}
