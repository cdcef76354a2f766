// `jitscope profile`: bundle, run (twice with --compare, N times with --runs), assemble the report
// from the child's journal whatever happened, print the summary, write the report and exports.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { annotateLines, compareCallsFromEnv, comparisonOf, withComparedCosts } from "../profile/comparison.js";
import type { RecorderEvent } from "../profile/events.js";
import { renderHtmlReport } from "../profile/html.js";
import { ablationOf } from "../profile/ablation.js";
import { forEachJournalEvent } from "../profile/journal.js";
import { ReportBuilder } from "../profile/reportBuilder.js";
import { formatLocation, toChromeTrace, validateReport, type Report, type ReportError } from "@jitscope/contract";
import type { ProfileOptions } from "./args.js";
import { bundleScript } from "./bundle.js";
import { phase } from "./cancelSignal.js";
import { crashLocation } from "./crashLocation.js";
import { runChildScript, type ChildOutcome } from "./runScript.js";
import { formatSummary } from "./summary.js";

export const EXIT = { ok: 0, error: 1, crashed: 3, timeout: 124, cancelled: 130 } as const;

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

const here = () => dirname(fileURLToPath(import.meta.url));

/** dist/runtime.mjs next to dist/cli.mjs (or the repo's dist/ when run from source). */
export function locateRuntime(): string {
  const env = process.env.JITSCOPE_RUNTIME;
  if (env) return resolve(env);
  const candidates = [join(here(), "runtime.mjs"), join(here(), "../../../dist/runtime.mjs")];
  return candidates.find((c) => existsSync(c)) ?? candidates[0]!;
}

function locateCli(): string {
  const own = fileURLToPath(import.meta.url);
  return own.endsWith(".mjs") ? own : join(here(), "../../../dist/cli.mjs");
}

function locateWebview(): string | null {
  const candidates = [join(here(), "webview.js"), join(here(), "../../../dist/webview.js")];
  return candidates.find((c) => existsSync(c)) ?? null;
}

type Status = Report["status"];
const SEVERITY: Status[] = ["completed", "error", "timeout", "crashed", "cancelled"];
const worse = (a: Status, b: Status): Status => (SEVERITY.indexOf(b) > SEVERITY.indexOf(a) ? b : a);

interface RunResult {
  status: Status;
  wallMs: number;
}

function crashHint(signal: string | null, code: number | null, tail: string[]): string {
  const text = tail.join("\n");
  if (/heap out of memory|Allocation failed/i.test(text)) return "out of memory (V8 heap)";
  if (signal === "SIGABRT" || code === 134) return "aborted (an abort inside Dawn/WebGPU, or out of memory)";
  if (signal === "SIGSEGV" || code === 139) return "segmentation fault in native code (Dawn/WebGPU driver)";
  if (signal === "SIGKILL") return "killed by the system (out of memory?)";
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

/** The last kernel the child dispatched, to say where a native crash happened: fed the
 *  journal's events as they are read. */
export class LastKernel {
  private readonly kernels = new Map<string, { name: string; where: string }>();
  private last: string | null = null;

  see(ev: RecorderEvent): void {
    if (ev.e === "kernel") {
      const l = ev.info.locations[0];
      this.kernels.set(ev.info.id, { name: ev.info.name, where: formatLocation(l) });
    } else if (ev.e === "dispatch") this.last = ev.kernel;
  }

  /** "; the last kernel dispatched was …", or "" when none was. */
  where(): string {
    const k = this.last ? this.kernels.get(this.last) : undefined;
    return k ? `; the last kernel dispatched was ${k.name} from ${k.where}` : "";
  }
}

/**
 * What a child's end means. A crash is only a signal or a native abort while the script was
 * still running: a script that already failed (its error is in the journal) and then died in
 * native teardown during its exit (Dawn with GPU work in flight) ended with its own error, and
 * says so, never "segmentation fault".
 */
export function outcomeError(
  o: ChildOutcome,
  timeoutS: number,
  lastKernel: string,
  hadError: boolean,
  bundle: string,
): { status: Status; error: ReportError | null } {
  const crash = (): ReportError => {
    const location = crashLocation(o.stderrTail.join("\n"), bundle);
    const where = location ? ` at ${formatLocation(location)}` : "";
    return {
      kind: "crash",
      message: `the script's process crashed${where}: ${crashHint(o.signal, o.code, o.stderrTail)}${lastKernel}`,
      location,
      stack: o.stderrTail.join("\n"),
    };
  };
  switch (o.how) {
    case "timeout":
      return {
        status: "timeout",
        error: {
          kind: "timeout",
          message: `the script did not finish within ${timeoutS} s and was stopped (--timeout ${timeoutS}); the report holds what was recorded until then${lastKernel}`,
          location: null,
        },
      };
    case "cancelled":
      return {
        status: "cancelled",
        error: {
          kind: "cancelled",
          message: "the run was cancelled; the report holds what was recorded until then",
          location: null,
        },
      };
    case "signal":
      if (hadError) return { status: "error", error: null };
      return { status: "crashed", error: crash() };
    case "exited":
      if (o.code === 0) return { status: "completed", error: null };
      if (hadError) return { status: "error", error: null };
      if (o.code === 134 || o.code === 139 || /heap out of memory/i.test(o.stderrTail.join("\n"))) {
        return { status: "crashed", error: crash() };
      }
      return {
        status: "error",
        error: {
          kind: "runtime",
          message: `the script exited with code ${o.code}\n${o.stderrTail.slice(-8).join("\n")}`,
          location: null,
        },
      };
  }
}

export async function profileCommand(o: ProfileOptions, io: Io, signal?: AbortSignal): Promise<number> {
  const script = resolve(o.script);
  const jsonPath = resolve(o.json ?? "jitscope-report.json");
  const started = performance.now();
  const main = new ReportBuilder();
  let status: Status = "completed";
  let comparisonSource: {
    eager: ReportBuilder;
    wallMs: number;
    status: Status;
    eagerRuns: Report[];
    jitRuns: Report[];
  } | null = null;

  const ablated: { pass: string; report: Report }[] = [];

  const fail = (kind: ReportError["kind"], message: string, location: ReportError["location"]): void => {
    main.apply({ e: "error", error: { kind, message, location } });
    io.err(`jitscope: ${message}\n`);
    status = "error";
  };

  const temp = mkdtempSync(join(tmpdir(), "jitscope-"));
  try {
    const runtimePath = locateRuntime();
    if (!existsSync(script)) {
      fail("runtime", `script not found: ${script}`, null);
    } else if (!existsSync(runtimePath)) {
      fail("runtime", `the JIT Scope runtime is missing (${runtimePath}); build it with \`npm run build\``, null);
    } else {
      const bundle = join(temp, "script.jitscope-bundle.mjs");
      // Eager ops find their lines from marks in the bundle, not from stack captures
      // (callSiteMarks.ts); JITSCOPE_MARK_CALLS=0 leaves them to the stack (a measurement's knob).
      const markCallSites = o.eagerSites && process.env.JITSCOPE_MARK_CALLS !== "0";
      const [b] = await Promise.all([bundleScript(script, bundle, runtimePath, { markCallSites }), phase("bundling")]);
      await phase("bundled");
      if (!b.ok) {
        fail("syntax", b.message, b.location);
      } else {
        // JITSCOPE_SCRIPT: the child finds an import of a name the runtime lacks in it (missingExport.ts).
        const baseEnv: Record<string, string> = { JITSCOPE_REPORT_FILE: "", JITSCOPE_SCRIPT: resolve(script) };
        if (o.backend) baseEnv.JITSCOPE_BACKEND = o.backend;
        if (o.timing) baseEnv.JITSCOPE_TIMING = o.timing;
        if (!o.eagerSites) baseEnv.JITSCOPE_EAGER_SITES = "off";
        // The CLI reuses the autotune cache by default (tests and the library API leave it off).
        baseEnv.JITSCOPE_AUTOTUNE = o.tune ? "search" : process.env.JITSCOPE_AUTOTUNE || "cached";
        if (o.tuneBudgetMs !== null) baseEnv.JITSCOPE_AUTOTUNE_BUDGET_MS = String(o.tuneBudgetMs);
        let runNo = 0;
        const runOnce = async (builders: readonly ReportBuilder[], env: Record<string, string>): Promise<RunResult> => {
          const journal = join(temp, `events-${++runNo}.jsonl`);
          const [outcome] = await Promise.all([
            runChildScript({
              cliPath: locateCli(),
              bundle,
              journal,
              timeoutS: o.timeoutS,
              env: { ...baseEnv, ...env },
              echo: { stdout: io.out, stderr: io.err },
              ...(signal ? { signal } : {}),
            }),
            phase("child-running"),
          ]);
          // Streamed: a long run's journal can be larger than memory holds as one string.
          const errorsBefore = builders.map((b) => b.errorCount);
          const lastKernel = new LastKernel();
          forEachJournalEvent(journal, (ev) => {
            for (const builder of builders) builder.apply(ev);
            lastKernel.see(ev);
          });
          let result: RunResult = { status: "completed", wallMs: outcome.wallMs };
          builders.forEach((builder, i) => {
            for (const line of outcome.console) builder.apply({ e: "console", line });
            builder.countDroppedConsole(outcome.consoleDropped);
            const { status: s, error } = outcomeError(
              outcome,
              o.timeoutS,
              lastKernel.where(),
              builder.errorCount > errorsBefore[i]!,
              bundle,
            );
            if (error) {
              builder.apply({ e: "error", error });
              if (i === 0) io.err(`jitscope: ${error.message}\n`);
            }
            builder.timeOffsetMs += outcome.wallMs;
            result = { status: s, wallMs: outcome.wallMs };
          });
          return result;
        };

        if (o.compare) {
          // Each mode runs several times, interleaved (eager, jit, eager, jit, …), so a slow
          // stretch of a shared machine falls on both; the comparison reads the spread.
          const eager = new ReportBuilder();
          comparisonSource = { eager, wallMs: 0, status: "completed", eagerRuns: [], jitRuns: [] };
          const total = o.runs;
          for (let i = 0; i < total && status === "completed"; i++) {
            io.err(`jitscope: ── run ${i + 1} of ${total}: eager (jit disabled) ──\n`);
            const eagerRun = new ReportBuilder();
            const r = await runOnce([eager, eagerRun], { JITSCOPE_DISABLE_JIT: "1", JITSCOPE_SKIP_SWEEPS: "1" });
            comparisonSource.wallMs += r.wallMs;
            comparisonSource.status = worse(comparisonSource.status, r.status);
            comparisonSource.eagerRuns.push(eagerRun.build({ script, status: r.status, wallMs: r.wallMs }));
            status = worse(status, r.status);
            if (status !== "completed") break;
            io.err(`jitscope: ── run ${i + 1} of ${total}: jit ──\n`);
            const jitRun = new ReportBuilder();
            // Sweeps (profile.sweep) time both modes themselves: once is enough.
            const j = await runOnce([main, jitRun], i === 0 ? {} : { JITSCOPE_SKIP_SWEEPS: "1" });
            comparisonSource.jitRuns.push(jitRun.build({ script, status: j.status, wallMs: j.wallMs }));
            status = worse(status, j.status);
          }
        } else {
          for (let i = 0; i < o.runs && status === "completed"; i++) {
            if (o.runs > 1) io.err(`jitscope: ── run ${i + 1} of ${o.runs} ──\n`);
            status = worse(status, (await runOnce([main], {})).status);
          }
        }
        // --ablate: the script again per pass, compiled with that pass turned off, as many runs.
        for (const pass of o.ablate) {
          if (status !== "completed") break;
          const builder = new ReportBuilder();
          let s: Status = "completed";
          let wallMs = 0;
          for (let i = 0; i < o.runs && s === "completed"; i++) {
            io.err(`jitscope: ── run ${i + 1} of ${o.runs} with ${pass} turned off (--ablate ${pass}) ──\n`);
            const r = await runOnce([builder], { JITSCOPE_DISABLE_PASSES: pass, JITSCOPE_SKIP_SWEEPS: "1" });
            s = worse(s, r.status);
            wallMs += r.wallMs;
          }
          ablated.push({ pass, report: builder.build({ script, status: s, wallMs }) });
        }
      }
    }
    await phase("runs-done");
  } finally {
    if (!process.env.JITSCOPE_KEEP_TEMP) rmSync(temp, { recursive: true, force: true });
  }
  // A cancel that came while no child was running (bundling, between runs, after the last run)
  // still cancels: from here to the return everything is synchronous, so no later signal can be
  // observed, and the report and the exit code always agree.
  if (signal?.aborted && status !== "cancelled") {
    status = "cancelled";
    main.apply({
      e: "error",
      error: {
        kind: "cancelled",
        message: "the run was cancelled; the report holds what was recorded until then",
        location: null,
      },
    });
    io.err("jitscope: the run was cancelled\n");
  }

  const wallMs = performance.now() - started;
  let report = main.build({ script, status, wallMs });
  if (comparisonSource) {
    const eager = comparisonSource.eager.build({
      script,
      status: comparisonSource.status,
      wallMs: comparisonSource.wallMs,
    });
    const jitRuns = comparisonSource.jitRuns.length > 0 ? comparisonSource.jitRuns : [report];
    const eagerRuns = comparisonSource.eagerRuns.length > 0 ? comparisonSource.eagerRuns : [eager];
    const comparison = comparisonOf(
      eagerRuns,
      jitRuns,
      main.sweepResults,
      compareCallsFromEnv(process.env.JITSCOPE_COMPARE_CALLS),
    );
    const eagerErrors = eager.errors.map((e) => ({ ...e, message: `(eager run) ${e.message}` }));
    report = {
      ...report,
      comparison,
      functions: withComparedCosts(report.functions, comparison.functions),
      lines: annotateLines(eager, report, comparison.functions),
      errors: [...eagerErrors, ...report.errors],
    };
  }

  if (ablated.length > 0) {
    const errors = ablated.flatMap((a) =>
      a.report.errors.map((e) => ({ ...e, message: `(run with ${a.pass} turned off) ${e.message}` })),
    );
    report = {
      ...report,
      ablations: ablated.map((a) => ablationOf(a.pass, report, a.report)),
      errors: [...report.errors, ...errors],
    };
  }

  try {
    validateReport(report);
  } catch (e) {
    io.err(
      `jitscope: warning: the report does not pass its own schema (${e instanceof Error ? e.message : String(e)}); the runtime recorded something unexpected\n`,
    );
  }

  io.out(`\n${formatSummary(report)}\n`);
  const write = (path: string, text: string) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  };
  write(jsonPath, JSON.stringify(report));
  io.out(`\nreport: ${jsonPath}\n`);
  if (o.trace) {
    const p = resolve(o.trace);
    write(p, JSON.stringify(toChromeTrace(report)));
    io.out(`trace:  ${p} (open in https://ui.perfetto.dev)\n`);
  }
  if (o.html) {
    const p = resolve(o.html);
    const webview = locateWebview();
    write(p, renderHtmlReport(report, webview ? readFileSync(webview, "utf8") : null));
    io.out(`html:   ${p}\n`);
  }
  await phase("written");
  return status === "completed" ? EXIT.ok : EXIT[status];
}
