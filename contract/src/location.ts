// Where in the user's source: every part of the report points there. Its own file so the report
// and the advice layer can both name it without importing each other.

/** A place in the user's source, 1-based line and column, `file` an absolute path. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}
