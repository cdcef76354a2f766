// The child side of `jitscope profile`: dist/cli.mjs re-runs itself as `__child <bundle>` under
// `node --enable-source-maps`, imports the user's bundle, and turns an uncaught error into a
// report error with the user's file:line (stacks are already mapped to the .ts by Node).

import { pathToFileURL } from "node:url";
import { userFrameFromStack } from "../ir/location.js";
import { missingExportOf } from "./missingExport.js";
import { formatLocation, type ReportError, type SourceLocation } from "@jitscope/contract";

/** Frames of the CLI itself and of the bundle's unmapped code are not the user's. */
const NOT_USER = /[\\/]dist[\\/]cli\.mjs|[\\/]runtime[\\/]src[\\/]cli[\\/]|\.jitscope-bundle\.mjs/;

export function userLocationOf(err: unknown): SourceLocation | null {
  if (typeof err !== "object" || err === null) return null;
  const own = (err as { location?: unknown }).location;
  if (
    own &&
    typeof own === "object" &&
    typeof (own as SourceLocation).file === "string" &&
    typeof (own as SourceLocation).line === "number"
  ) {
    return own as SourceLocation;
  }
  const stack = (err as { stack?: unknown }).stack;
  if (typeof stack !== "string") return null;
  const lines = stack.split("\n");
  const kept = [lines[0] ?? "", ...lines.slice(1).filter((l) => !NOT_USER.test(l))];
  return userFrameFromStack(kept.join("\n"));
}

export function errorKindOf(err: unknown): ReportError["kind"] {
  const e = err as { kind?: unknown; name?: unknown } | null;
  if (e && (e.kind === "shape" || e.name === "ShapeError")) return "shape";
  if (e && (e.kind === "trace" || e.name === "TraceError")) return "trace";
  return "runtime";
}

/** The runtime's namespaces, as a script imports them from "jitscope". */
const NAMESPACES = /^(np|np\.linalg|nn|lax|random|scipy\.(special|stats|linalg)|optim|tree|tree_util|image|ops)$/;

/** For "np.foo is not a function" (a JavaScript caller of a name the runtime lacks; TypeScript
 *  flags it in the editor), what the name is missing from: the plain TypeError names no library. */
export function missingNameHint(err: unknown): string | null {
  if (!(err instanceof TypeError)) return null;
  const m = /^([\w.]+)\.(\w+) is not a function$/.exec(err.message);
  if (!m || !NAMESPACES.test(m[1]!)) return null;
  return `JIT Scope's \`${m[1]}\` has no \`${m[2]}\` (the README's API sections list what it has)`;
}

/** What to add to an error's message, and where it happened when its stack does not say. */
function explain(err: unknown): { hint: string | null; location: SourceLocation | null } {
  const missing = missingExportOf(err, process.env.JITSCOPE_SCRIPT || undefined);
  if (missing) return { hint: missing.hint, location: missing.location ?? userLocationOf(err) };
  return { hint: missingNameHint(err), location: userLocationOf(err) };
}

export function toReportError(err: unknown): ReportError {
  const { hint, location } = explain(err);
  const base = err instanceof Error ? `${err.name}: ${err.message}` : `uncaught value: ${String(err)}`;
  const message = hint ? `${base}: ${hint}` : base;
  const stack = err instanceof Error && typeof err.stack === "string" ? err.stack : undefined;
  return { kind: errorKindOf(err), message, location, ...(stack ? { stack } : {}) };
}

// Loaded lazily so the parent CLI process never creates a recorder of its own.
type RecorderModule = typeof import("../profile/recorder.js");
let recorderModule: RecorderModule | null = null;

/** How long a failed script gets to deliver GPU timings still in flight before it exits. */
const GRACE_MS = 300;
let failed = false;

function fatal(err: unknown): void {
  const re = toReportError(err);
  recorderModule?.recorder.recordError(re);
  const where = formatLocation(re.location);
  const { hint } = explain(err);
  process.stderr.write(
    `\n${re.stack ?? re.message}\n\njitscope: the script failed at ${where}${hint ? `: ${hint}` : ""}\n`,
  );
  process.exitCode = 1;
  if (failed) return;
  failed = true;
  // Timestamps of dispatches before the error resolve asynchronously: let them land (the timer
  // does not keep the process alive by itself), then end even if the script left work running.
  setTimeout(() => process.exit(1), GRACE_MS).unref();
}

/**
 * The script's own output is a natural checkpoint: write the pending journal batch before it, so
 * a crash right after a print still leaves everything recorded up to that print.
 */
function flushBeforeOutput(rec: { flush(): void }): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((...args: unknown[]) => {
      rec.flush();
      return write(...args);
    }) as typeof stream.write;
  }
}

/** The child runs in its own process group; if the CLI dies without killing it, it ends itself. */
function exitWithParent(): void {
  const parent = Number(process.env.JITSCOPE_PARENT_PID);
  if (!Number.isInteger(parent) || parent <= 1) return;
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      process.exit(1);
    }
  }, 1000).unref();
}

export async function runChild(bundle: string): Promise<void> {
  exitWithParent();
  process.on("uncaughtException", fatal);
  process.on("unhandledRejection", fatal);
  recorderModule = await import("../profile/recorder.js");
  flushBeforeOutput(recorderModule.recorder);
  try {
    // Autotune searches run after the script, alone on the device and the JS thread (tuner.ts
    // deferSearches), before the report is built, so their results reach it and the cache.
    const { deferSearches, runPendingSearches } = await import("../codegen/tune/tuner.js");
    deferSearches(true);
    await import(pathToFileURL(bundle).href);
    // debug.print lines still waiting for their values print before the report is written.
    const { effectsBarrier } = await import("../trace/debugPrint.js");
    await effectsBarrier();
    await runPendingSearches({ now: true });
  } catch (e) {
    fatal(e);
  }
}
