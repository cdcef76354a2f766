// The `jitscope.*` settings, read through one function that checks each value, and the CLI
// arguments they turn into. No vscode import: the caller passes a getter.

import type { TimingMode } from "@jitscope/contract";
import type { BackendName } from "@jitscope/contract";

export interface JitScopeSettings {
  /** Times the script is run; samples are merged. */
  runs: number;
  timeoutSeconds: number;
  backend: BackendName | "auto";
  /** GPU timestamps on every dispatch, or sampled for short kernels (the runtime's default). */
  timing: TimingMode;
  /** Eager ops attributed to their source lines (from the call-site marks of the profile's bundle). */
  eagerCallSites: boolean;
  /** Sweep sizes (numbers of calls) for the comparison. */
  compareCalls: number[];
  showLineHeat: boolean;
  /** Node executable for the child; empty means VS Code's own (ELECTRON_RUN_AS_NODE). */
  nodePath: string;
}

export const DEFAULT_SETTINGS: JitScopeSettings = {
  runs: 1,
  timeoutSeconds: 120,
  backend: "auto",
  timing: "sampled",
  eagerCallSites: true,
  compareCalls: [1, 10, 100, 1000],
  showLineHeat: true,
  nodePath: "",
};

const intIn = (v: unknown, lo: number, hi: number, fallback: number) =>
  typeof v === "number" && Number.isInteger(v) && v >= lo && v <= hi ? v : fallback;

export function readSettings(get: (key: keyof JitScopeSettings) => unknown): JitScopeSettings {
  const backend = get("backend");
  const timing = get("timing");
  const calls = get("compareCalls");
  const nodePath = get("nodePath");
  const heat = get("showLineHeat");
  const sites = get("eagerCallSites");
  return {
    runs: intIn(get("runs"), 1, 1000, DEFAULT_SETTINGS.runs),
    timeoutSeconds: intIn(get("timeoutSeconds"), 1, 86400, DEFAULT_SETTINGS.timeoutSeconds),
    backend: backend === "webgpu" || backend === "cpu" || backend === "auto" ? backend : DEFAULT_SETTINGS.backend,
    timing: timing === "every" || timing === "sampled" ? timing : DEFAULT_SETTINGS.timing,
    eagerCallSites: typeof sites === "boolean" ? sites : DEFAULT_SETTINGS.eagerCallSites,
    compareCalls:
      Array.isArray(calls) && calls.length > 0 && calls.every((c) => Number.isInteger(c) && c >= 1 && c <= 1e6)
        ? [...(calls as number[])].sort((a, b) => a - b)
        : DEFAULT_SETTINGS.compareCalls,
    showLineHeat: typeof heat === "boolean" ? heat : DEFAULT_SETTINGS.showLineHeat,
    nodePath: typeof nodePath === "string" ? nodePath.trim() : "",
  };
}

export interface ProfileRequest {
  cliPath: string;
  script: string;
  reportPath: string;
  compare: boolean;
  /** Also write a Chrome trace here. */
  tracePath?: string;
}

/** Runs of each mode a comparison gets at least (the CLI's default for --compare). */
export const COMPARE_MIN_RUNS = 3;

/**
 * Argument vector for `node dist/cli.mjs profile …` (never a shell string). Timeout is enforced
 * by the CLI and, as a backstop, by the runner.
 */
export function cliArgs(settings: JitScopeSettings, req: ProfileRequest): string[] {
  // A comparison needs its noise: at least COMPARE_MIN_RUNS runs of each mode.
  const runs = req.compare ? Math.max(COMPARE_MIN_RUNS, settings.runs) : settings.runs;
  const args = [
    req.cliPath,
    "profile",
    req.script,
    "--json",
    req.reportPath,
    "--runs",
    String(runs),
    "--timeout",
    String(settings.timeoutSeconds),
  ];
  if (settings.backend !== "auto") args.push("--backend", settings.backend);
  if (settings.timing !== "sampled") args.push("--timing", settings.timing);
  if (!settings.eagerCallSites) args.push("--eager-sites", "off");
  if (req.compare) args.push("--compare");
  if (req.tracePath) args.push("--trace", req.tracePath);
  return args;
}

/**
 * Environment additions for the child. The sweep sizes travel as JITSCOPE_COMPARE_CALLS because
 * the CLI contract has no flag for them (yet); a CLI that ignores it runs its default sweep.
 */
export function cliEnv(settings: JitScopeSettings): Record<string, string> {
  return { JITSCOPE_COMPARE_CALLS: settings.compareCalls.join(",") };
}
