// Results follow edits: the report's line numbers are for the file as it was run. Each edit
// shifts the lines below it; a line whose own text was touched becomes stale and is dropped, so
// an annotation is never shown on the wrong line.

/** One text change in 0-based editor coordinates (as VS Code reports it, before the change). */
export interface TextEdit {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
  /** The inserted text. */
  text: string;
}

type LineFate = "stays" | "moves" | "stale";

/**
 * What an edit does to the original (0-based) line `zero`:
 * - before the edit: stays; after the edit's last line: moves by the line delta;
 * - the edit's last line moves intact when the edit ends at its column 0 and the new text ends
 *   with a newline (lines inserted or deleted above it) or deletes whole lines from a column 0;
 * - the edit's first line stays intact when the edit is Enter typed after some of its text
 *   (an empty range at column > 0 whose text starts with a newline);
 * - any other line in the edited range is stale.
 */
function fateOf(edit: TextEdit, zero: number): LineFate {
  if (zero < edit.startLine) return "stays";
  if (zero > edit.endLine) return "moves";
  const endIntact =
    zero === edit.endLine &&
    edit.endCharacter === 0 &&
    (edit.text === "" ? edit.startCharacter === 0 && edit.endLine > edit.startLine : edit.text.endsWith("\n"));
  if (endIntact) return "moves";
  const emptyRange = edit.startLine === edit.endLine && edit.startCharacter === edit.endCharacter;
  if (zero === edit.startLine && emptyRange && edit.startCharacter > 0 && edit.text.startsWith("\n")) return "stays";
  return "stale";
}

export class LineTracker {
  /** Report line (1-based) → current line (1-based); stale lines are removed. */
  private readonly current = new Map<number, number>();
  private editedFlag = false;

  constructor(reportLines: Iterable<number>) {
    for (const line of reportLines) this.current.set(line, line);
  }

  /** Whether any edit happened since the run (hovers then say results may be out of date). */
  get edited(): boolean {
    return this.editedFlag;
  }

  /** Applies the changes of one document change event (all relative to the text before it). */
  applyEdits(edits: readonly TextEdit[]): void {
    if (edits.length === 0) return;
    this.editedFlag = true;
    // Later edits first, so each edit's coordinates are still those of the text before it.
    const ordered = [...edits].sort((a, b) => b.startLine - a.startLine || b.startCharacter - a.startCharacter);
    for (const edit of ordered) {
      const delta = edit.text.split("\n").length - 1 - (edit.endLine - edit.startLine);
      for (const [reportLine, line] of [...this.current]) {
        const fate = fateOf(edit, line - 1);
        if (fate === "moves") this.current.set(reportLine, line + delta);
        else if (fate === "stale") this.current.delete(reportLine);
      }
    }
  }

  /** Where a report line is now, or null when it went stale. */
  currentLine(reportLine: number): number | null {
    return this.current.get(reportLine) ?? null;
  }

  /** Which report line is now shown at `line`, or null. */
  reportLineAt(line: number): number | null {
    for (const [reportLine, now] of this.current) if (now === line) return reportLine;
    return null;
  }
}
