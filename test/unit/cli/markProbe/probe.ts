// Stands in for the runtime in callSiteMarks.test.ts: the marks' functions, and a probe that
// records which call the mark names whenever it is called.
import { markedSite } from "../../../../runtime/src/ir/markedSites.js";

export * from "../../../../runtime/src/bundleMarks.js";

export const seen: string[] = [];
/** What the stack says for the same calls: the first frame in the test's source file (the test
 *  runs with --enable-source-maps, so frames read in the source's own lines and columns). */
export const stackSeen: string[] = [];

/** Records `tag@line:column` of the marked call (or `tag@none`), and the same from the stack;
 *  returns how many arguments it got. */
export function probe(tag: string, ...rest: unknown[]): number {
  const s = markedSite();
  seen.push(`${tag}@${s ? `${s.line}:${s.column}` : "none"}`);
  const frame = new Error().stack!.split("\n").find((l) => l.includes("source.ts:"));
  const at = frame ? /source\.ts:(\d+:\d+)/.exec(frame)![1] : "none";
  stackSeen.push(`${tag}@${at}`);
  return 1 + rest.length;
}

/** Calls `f` and then probes: what runtime code that calls back into user code sees after. */
export function callThenProbe(tag: string, f: () => unknown): unknown {
  const r = f();
  probe(tag);
  return r;
}

export function noArgs(): number {
  probe("noArgs");
  return arguments.length;
}
