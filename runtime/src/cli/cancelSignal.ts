// Cancel of `jitscope profile` (SIGTERM from the extension, Ctrl-C in a terminal). Imported first
// by main.ts so the handlers are installed before anything else of the CLI is evaluated: a
// signal's default action kills the process and loses the report, so from here to the CLI's own
// exit (process.exit, see main.ts) no SIGTERM/SIGINT may find the default disposition. Only the
// instant before Node runs this file's first line is outside our reach.
//
// The `__child` process (the user's script) keeps the defaults: the CLI stops it with SIGKILL.

import type { CliPhase } from "./cliPhases.js";

const isChild = process.argv[2] === "__child";
const controller = new AbortController();

/** Aborted by the first SIGTERM or SIGINT; later ones are absorbed. */
export const cancelSignal: AbortSignal = controller.signal;

if (!isChild) {
  const onSignal = () => controller.abort();
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}

/**
 * Test hook (`JITSCOPE_TEST_PAUSE_AT=<phase>`): at that phase the CLI writes
 * `jitscope-phase: <phase>` on stderr and waits until it is cancelled, so a test can deliver the
 * signal exactly there instead of at a moment chosen by the scheduler. Without the variable this
 * returns at once.
 */
export async function phase(name: CliPhase): Promise<void> {
  if (process.env.JITSCOPE_TEST_PAUSE_AT !== name) return;
  process.stderr.write(`jitscope-phase: ${name}\n`);
  if (cancelSignal.aborted) return;
  // Signal handles do not keep Node's loop alive; the timer does, for as long as the hold lasts.
  const keepAlive = setInterval(() => {}, 60_000);
  await new Promise<void>((resolve) => cancelSignal.addEventListener("abort", () => resolve(), { once: true }));
  clearInterval(keepAlive);
}
