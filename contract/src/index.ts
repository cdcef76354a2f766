// @jitscope/contract: what the runtime, the extension and the panel agree on. The report's types
// and version, its one validator, the panel's messages, the ids that link a report together and
// how each quantity is formatted. Depends on nothing: no DOM, no Node (see tsconfig.json).

export * from "./report.js";
export * from "./advice.js";
export * from "./validate.js";
export * from "./panelMessages.js";
export * from "./ids.js";
export * from "./format.js";
export * from "./numberFormat.js";
export * from "./chromeTrace.js";
export * from "./reportDiff.js";
export * from "./diffFormat.js";
export * from "./diffTables.js";
export * from "./roofFormat.js";
export * from "./autotuneFormat.js";
export * from "./boundaryTable.js";
export * from "./scopeTree.js";
export * from "./wgslSourceText.js";
