// `jitscope` command line (dist/cli.mjs, package.json `bin`). Also the child process entry:
// `cli.mjs __child <bundle>` runs a user's bundled script under the recorder.

import { parseArgs, USAGE, UsageError } from "./args.js";
import { runChild } from "./childEntry.js";
import { checkCommand } from "./checkCommand.js";
import { diffCommand } from "./diffCommand.js";
import { EXIT, profileCommand } from "./profileCommand.js";

async function main(argv: readonly string[]): Promise<number> {
  let cmd;
  try {
    cmd = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`jitscope: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  switch (cmd.kind) {
    case "help":
      process.stdout.write(USAGE);
      return EXIT.ok;
    case "child":
      await runChild(cmd.bundle);
      return -1;
    case "diff":
      return diffCommand(cmd.options, { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });
    case "check": {
      const abort = new AbortController();
      process.on("SIGINT", () => abort.abort());
      process.on("SIGTERM", () => abort.abort());
      return checkCommand(cmd.options, { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }, abort.signal);
    }
    case "profile": {
      const abort = new AbortController();
      process.on("SIGINT", () => abort.abort());
      process.on("SIGTERM", () => abort.abort());
      return profileCommand(cmd.options, { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }, abort.signal);
    }
  }
}

const code = await main(process.argv.slice(2));
// The child lets the user's script decide when the process ends (timers, pending work).
if (code >= 0) process.exitCode = code;
