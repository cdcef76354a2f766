// The ids that link one part of a report to another, built in one place so the writer (the
// runtime) and the readers (the extension, the panel) agree on their spelling.

/** Graph node id of an equation: stable across passes for an op that survives them. */
export const opNodeId = (eqnId: number): string => `op${eqnId}`;
/** Graph node id of the program's i-th input. */
export const inputNodeId = (i: number): string => `in${i}`;
/** Graph node id of the i-th captured constant (the trailing program inputs). */
export const constNodeId = (i: number): string => `const${i}`;
/** Graph node id of the program's i-th output. */
export const outputNodeId = (i: number): string => `out${i}`;

/** A jit kernel's report id: its group id within the compilation, made unique across the run. */
export const kernelId = (compilationId: string, groupId: string): string => `${compilationId}/${groupId}`;

/** Key of `Report.lines`. */
export function lineKey(file: string, line: number): string {
  return `${file}:${line}`;
}
