// `jitscope` command line (dist/cli.mjs, package.json `bin`). Also the child process entry:
// `cli.mjs __child <bundle>` runs a user's bundled script under the recorder.

// First import: installs the SIGTERM/SIGINT handlers before the rest of the CLI is evaluated.
import { cancelSignal, phase } from "./cancelSignal.js";
import { helpText, parseArgs, USAGE, UsageError } from "./args.js";
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
      process.stdout.write(helpText(cmd.topic));
      return EXIT.ok;
    case "child":
      await runChild(cmd.bundle);
      return -1;
    case "diff":
      return diffCommand(cmd.options, { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });
    case "check":
      return checkCommand(
        cmd.options,
        { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) },
        cancelSignal,
      );
    case "profile":
      // `jitscope tune` is a profile run with the autotuner searching (args.ts sets options.tune).
      await phase("start");
      return profileCommand(
        cmd.options,
        { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) },
        cancelSignal,
      );
  }
}

const code = await main(process.argv.slice(2));
// The child lets the user's script decide when the process ends (timers, pending work). The CLI
// itself exits explicitly: a natural exit closes the signal handles while Node tears down,
// restoring the default action, and a SIGTERM landing then killed the CLI after it had written
// its report (exit null instead of 130). process.exit keeps the handlers to the end; stdout and
// stderr are pipes or files here, written synchronously, so nothing is lost.
if (code >= 0) process.exit(code);
