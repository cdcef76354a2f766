// The lines a piece of code makes debug.print write: stdout and stderr captured until every
// print so far has printed (effects_barrier). Shared by the debug.print tests.
import { effectsBarrier } from "../../../runtime/src/trace/debugPrint.js";

/** The lines `fn` makes debug.print write (stdout) and warn (stderr), once all have printed. */
export async function printed(fn: () => unknown): Promise<{ out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const { log, warn } = console;
  console.log = (...a: unknown[]) => void out.push(a.join(" "));
  console.warn = (...a: unknown[]) => void err.push(a.join(" "));
  try {
    await fn();
    await effectsBarrier();
  } finally {
    console.log = log;
    console.warn = warn;
  }
  return { out, err };
}
