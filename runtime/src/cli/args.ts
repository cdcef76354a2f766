// Command-line parsing for `jitscope profile <script> [options]`. Pure, so tests can check it.

import type { BackendName, TimingMode } from "@jitscope/contract";
import { DIFF_USAGE, parseCheckArgs, parseDiffArgs, type CheckOptions, type DiffOptions } from "./diffArgs.js";
import { UsageError } from "./usageError.js";
import { ABLATABLE_PASSES } from "../passes/ablation.js";

export interface ProfileOptions {
  script: string;
  compare: boolean;
  runs: number;
  json: string | null;
  trace: string | null;
  html: string | null;
  timeoutS: number;
  backend: BackendName | null;
  /** Null: the runtime's default (sampled). */
  timing: TimingMode | null;
  /** Profiled eager ops are attributed to their source lines (`--eager-sites off`: not). */
  eagerSites: boolean;
  /** Search kernel configurations the autotune cache lacks (`--tune`, and `jitscope tune`). */
  tune: boolean;
  /** Time budget of one autotune search, ms; null: the runtime's default. */
  tuneBudgetMs: number | null;
  /** Passes to turn off, each in a run of its own (`--ablate fuse`), in order given. */
  ablate: string[];
}

export const PROFILE_USAGE = `usage: jitscope profile <script.ts|.js|.mjs> [options]

  --compare            run the script with jit disabled (eager) and enabled, interleaved, --runs
                       times each (default 3), and compare the cost of a call, with its spread
  --runs N             run the script N times and merge the samples (default 1; 3 with --compare)
  --json FILE          write the report here (default ./jitscope-report.json)
  --trace FILE         also write a Chrome trace (open it in https://ui.perfetto.dev)
  --html FILE          also write a standalone HTML page of the report
  --timeout SECONDS    stop a script that runs longer (default 300)
  --backend webgpu|cpu run on this backend (default: WebGPU when an adapter exists)
  --ablate PASS        run the script again with a compiler pass turned off (${ABLATABLE_PASSES.join(", ")};
                       repeat for several) and report per jitted function what the pass was
                       worth: dispatches and cost per call with and without it
  --timing every|sampled
                       GPU-time every dispatch, or (default) time the kernels too short for a
                       timestamp to cost under 2.5% of their time on their first 3 dispatches,
                       then 1 in N
  --eager-sites on|off attribute each eager op to its source line (default on: the bundle marks
                       your calls for it, at a few ns a call); off lists eager kernels at no line
  --tune               autotune: search the matmul, conv, elementwise, reduction and row-kernel
                       configs the autotune cache lacks, once the script has run (without it,
                       cached results are used, none searched)
  --tune-budget MS     time budget of one search (one kernel shape), default 3000
`;

export const TUNE_USAGE = `usage: jitscope tune <script.ts|.js|.mjs> [options]

  Runs the script once, then the autotuner searches every matmul, conv, elementwise, reduction
  and row-kernel shape class it compiled (register block or tile shape, vector width, outputs
  per invocation, split-K, workgroup size, a reduction's threads per output, a thread or a
  subgroup per row, a softmax's max and sum in one loop or two), and saves the winners in the
  autotune cache (~/.cache/jitscope/autotune-<adapter>.json, or JITSCOPE_AUTOTUNE_CACHE), which later
  \`jitscope profile\` runs and the editor reuse. Takes profile's options (--json, --html, …).
  --tune-budget MS     time budget of one search, default 3000
`;

/** \`jitscope --help\`: every command; \`jitscope COMMAND --help\`: that command's page. */
export const USAGE = `jitscope: profile array programs written against the JIT Scope runtime

${PROFILE_USAGE}
${TUNE_USAGE}
${DIFF_USAGE}`;

export type HelpTopic = "all" | "profile" | "tune" | "diff" | "check";

/** The text \`--help\` prints for a topic. */
export function helpText(topic: HelpTopic): string {
  return topic === "all" ? USAGE : topic === "profile" ? PROFILE_USAGE : topic === "tune" ? TUNE_USAGE : DIFF_USAGE;
}

/** Runs of each mode --compare makes unless --runs says otherwise: enough for a spread. */
export const DEFAULT_COMPARE_RUNS = 3;

export { UsageError };

export type Command =
  | { kind: "profile"; options: ProfileOptions }
  | { kind: "diff"; options: DiffOptions }
  | { kind: "check"; options: CheckOptions }
  | { kind: "help"; topic: HelpTopic }
  | { kind: "child"; bundle: string };

export function parseArgs(argv: readonly string[]): Command {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === "help" || cmd === "--help" || cmd === "-h") return { kind: "help", topic: "all" };
  const asksHelp = rest.includes("--help") || rest.includes("-h");
  if (asksHelp && (cmd === "profile" || cmd === "tune" || cmd === "diff" || cmd === "check"))
    return { kind: "help", topic: cmd };
  if (cmd === "__child") {
    if (!rest[0]) throw new UsageError("__child needs a bundle path");
    return { kind: "child", bundle: rest[0] };
  }
  if (cmd === "diff") return { kind: "diff", options: parseDiffArgs(rest) };
  if (cmd === "check") return { kind: "check", options: parseCheckArgs(rest) };
  if (cmd !== "profile" && cmd !== "tune") throw new UsageError(`unknown command ${JSON.stringify(cmd)}`);

  const o: ProfileOptions = {
    script: "",
    compare: false,
    runs: 1,
    json: null,
    trace: null,
    html: null,
    timeoutS: 300,
    backend: null,
    timing: null,
    eagerSites: true,
    tune: cmd === "tune",
    tuneBudgetMs: null,
    ablate: [],
  };
  const value = (i: number, flag: string): string => {
    const v = rest[i + 1];
    if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    switch (a) {
      case "--compare":
        o.compare = true;
        break;
      case "--runs": {
        const n = Number(value(i++, a));
        if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UsageError("--runs must be an integer from 1 to 1000");
        o.runs = n;
        break;
      }
      case "--json":
        o.json = value(i++, a);
        break;
      case "--trace":
        o.trace = value(i++, a);
        break;
      case "--html":
        o.html = value(i++, a);
        break;
      case "--timeout": {
        const s = Number(value(i++, a));
        if (!(s > 0) || !Number.isFinite(s)) throw new UsageError("--timeout must be a number of seconds > 0");
        o.timeoutS = s;
        break;
      }
      case "--backend": {
        const b = value(i++, a);
        if (b !== "webgpu" && b !== "cpu")
          throw new UsageError(`--backend must be webgpu or cpu, got ${JSON.stringify(b)}`);
        o.backend = b;
        break;
      }
      case "--ablate": {
        const p = rest[i + 1];
        if (p === undefined || p.startsWith("--"))
          throw new UsageError(`--ablate needs a pass: one of ${ABLATABLE_PASSES.join(", ")}`);
        i++;
        if (!ABLATABLE_PASSES.includes(p))
          throw new UsageError(
            `--ablate: ${JSON.stringify(p)} is not a pass that can be turned off; one of ${ABLATABLE_PASSES.join(", ")}`,
          );
        if (!o.ablate.includes(p)) o.ablate.push(p);
        break;
      }
      case "--timing": {
        const t = value(i++, a);
        if (t !== "every" && t !== "sampled")
          throw new UsageError(`--timing must be every or sampled, got ${JSON.stringify(t)}`);
        o.timing = t;
        break;
      }
      case "--eager-sites": {
        const v = value(i++, a);
        if (v !== "on" && v !== "off")
          throw new UsageError(`--eager-sites must be on or off, got ${JSON.stringify(v)}`);
        o.eagerSites = v === "on";
        break;
      }
      case "--tune":
        o.tune = true;
        break;
      case "--tune-budget": {
        const ms = Number(value(i++, a));
        if (!(ms > 0) || !Number.isFinite(ms)) throw new UsageError("--tune-budget must be a number of ms > 0");
        o.tuneBudgetMs = ms;
        break;
      }
      default:
        if (a.startsWith("--")) throw new UsageError(`unknown option ${a}`);
        if (o.script) throw new UsageError(`one script at a time (got ${o.script} and ${a})`);
        o.script = a;
    }
  }
  if (!o.script) throw new UsageError(`which script? jitscope ${cmd} <script.ts>`);
  if (o.compare && !rest.includes("--runs")) o.runs = DEFAULT_COMPARE_RUNS;
  return { kind: "profile", options: o };
}
