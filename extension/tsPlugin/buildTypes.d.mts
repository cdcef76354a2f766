/**
 * Writes the runtime's declarations (runtime/src/index.ts and what it reaches) into outDir unless
 * they are newer than every runtime source (`force` redoes them); returns whether it emitted.
 */
export function emitRuntimeTypes(outDir?: string, options?: { force?: boolean }): boolean;
