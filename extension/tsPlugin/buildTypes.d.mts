/** Writes the runtime's declarations (runtime/src/index.ts and what it reaches) into outDir. */
export function emitRuntimeTypes(outDir?: string): void;
