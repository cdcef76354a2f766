// jit(f): trace once per input signature, compile through the pass pipeline, run the compiled
// program on the backend (one submit per call on WebGPU), and tell the recorder everything.
//
// The cache key is built from the arguments' avals, static arguments and pytree structure only,
// so a cached call does not touch the IR. A retrace records why, in words. With
// config({ disableJit: true }) or JITSCOPE_DISABLE_JIT=1 the wrapper runs f eagerly (as JAX's
// disable_jit) but still names the call and reports it, so eager and jit can be compared.
// Inside another transformation (grad, vmap, an outer jit) f is inlined into that trace.

import { captureDebugPrints, debugOutputLabels, printDebugOutputs } from "./debugPrint.js";
import type { PrintItem } from "./debugLines.js";
import { eagerOpCount, Tracer, withName } from "./core.js";
import { inputPaths, labelGraphEnds, leafPaths } from "./argNames.js";
import { flatten, unflatten, type TreeDef } from "./pytree.js";
import { NeedsInline, traceToProgram } from "./jitTrace.js";
import { ConcreteArray } from "../array.js";
import { config as setConfig, getConfig } from "../config.js";
import { currentBackend } from "../backend/select.js";
import { storageOn } from "../backend/placement.js";
import type { Backend, CompiledProgram, DeviceArray } from "../backend/backend.js";
import { JitScopeError } from "../ir/errors.js";
import { captureUserLocation } from "../ir/location.js";
import { eagerSiteMs } from "../ir/eagerCallSite.js";
import { jitNameAt } from "./jitName.js";
import { avalToString, sizeOf } from "../ir/types.js";
import { PASS_NAMES, runPipeline } from "../passes/pipeline.js";
import type { CompileState } from "../passes/pass.js";
import { recorder } from "../profile/recorder.js";
import type { JitCall } from "../profile/recorderApi.js";
import { kernelId } from "@jitscope/contract";
import { describeRetrace, logCompile, signatureKey, type CallSignature } from "./jitSignature.js";
import { pendingSearches, runPendingSearches, tuneEpoch } from "../codegen/tune/tuner.js";
import { retune } from "./jitTuning.js";
import { recordCompilation } from "./jitRecord.js";
import { checkOptions } from "../apiOptions.js";
import { checkDonatedInRange, donate, FeedBack } from "./jitDonation.js";
import { jitArgnums } from "./jitArgnums.js";
import type { AnyFn, Jitted, JitOptions, JitStats, Lowered } from "./jitTypes.js";
import { registerJitCache } from "./jitCaches.js";
import { invalidOutputs, rerunFoundNothing } from "../debugNans.js";
export type { Jitted, JitOptions, JitStats, Lowered } from "./jitTypes.js";

interface CacheEntry {
  readonly sig: CallSignature;
  readonly lowered: Lowered;
  /** Replaced when an autotune search lands (codegen/tune/relower.ts). */
  plan: CompileState;
  /** The tuner's epoch this plan's kernels were lowered at. */
  tuneEpoch: number;
  readonly consts: readonly ConcreteArray[];
  readonly outTree: TreeDef;
  /** debug.print calls traced: their values follow the function's own outputs. */
  readonly debug: { readonly userOutputs: number; readonly prints: readonly PrintItem[] } | null;
  readonly backend: Backend;
  /** Kernels a call runs: those with a non-empty output (the backend skips the others). */
  readonly kernelCount: number;
  exe: CompiledProgram | null;
}

let compilationCount = 0;
/** > 0 while some jit is tracing: a jit called then is inlined into the outer program. */
let activeTraces = 0;

/** One jit call for the profiler: one event where the recorder takes it whole (recorder.jitCall),
 *  else its encode span, span, call record and (compiled) inputs. */
function recordCall(c: JitCall): void {
  if (recorder.jitCall) {
    recorder.jitCall(c);
    return;
  }
  const { name, location, compilation, start, wallMs, kernelsPerCall, callId, inputs, profilerMs, encode } = c;
  if (encode) recorder.span("encode", "encode", encode.start, encode.dur, callId);
  if (compilation !== null && inputs !== undefined) recorder.callInputs?.({ compilation, inputs, start });
  recorder.span(`call:${name}`, "call", start, wallMs, callId);
  recorder.functionCall(name, location, compilation, wallMs, kernelsPerCall, profilerMs);
}

/** The options objects of libraryJit's calls. */
const libraryOptions = new WeakSet<JitOptions>();

/** A function the library compiles for an eager call (linalg's qr, svd, eigh): a jit whose
 *  compilations say so in the report (Compilation.library), as eager work per input shape. */
export function libraryJit<F extends AnyFn>(f: F, name: string): Jitted<F> {
  const opts: JitOptions = { name };
  libraryOptions.add(opts);
  return jit(f, opts);
}

export function jit<F extends AnyFn>(f: F, opts: JitOptions = {}): Jitted<F> {
  checkOptions("jit", opts, ["static_argnums", "static_argnames", "donate_argnums", "donate_argnames", "name"], {
    staticArgnums: "static_argnums",
  });
  const jitLocation = captureUserLocation();
  const fname = opts.name ?? (f.name || jitNameAt(jitLocation) || "anonymous");
  const { statics, donated } = jitArgnums(fname, f, opts);
  const feedBack = new FeedBack(donated);
  const cache = new Map<string, CacheEntry>();
  let last: CallSignature | null = null;
  registerJitCache(cache, () => ((last = null), cache.clear()));
  const call = f as unknown as (...args: unknown[]) => unknown;
  const counters: JitStats = {
    compiles: 0,
    compiledCalls: 0,
    lastCallKernels: 0,
    lastCallDispatches: 0,
    lastCompileReason: null,
  };

  const compile = (
    args: readonly unknown[],
    sig: CallSignature,
    leaves: readonly Tracer[],
    backend: Backend,
  ): CacheEntry => {
    const id = `c${compilationCount++}`;
    const reason = last ? describeRetrace(last, sig) : "first call";
    counters.compiles++;
    counters.lastCompileReason = reason;
    // The compile's steps share the pipeline's clock, performance.now(), as the recorder does.
    const t0 = performance.now();
    let outTree: TreeDef = { kind: "none", value: undefined };
    let debug = null as CacheEntry["debug"];
    activeTraces++;
    let traced;
    try {
      traced = withName(fname, () =>
        traceToProgram(
          fname,
          leaves.map((x) => x.aval),
          (tracers) => {
            let k = 0;
            const callArgs = args.map((a, i) => {
              const s = sig.args[i]!;
              if (s.static) return a;
              // Numbers in arguments are compile-time constants (part of the key): keep them.
              return unflatten(
                s.treedef,
                s.numbers.map((num) => (num === null ? tracers[k++] : num)),
              );
            });
            const [out, capture] = captureDebugPrints(() => call(...callArgs));
            if (out instanceof Promise) {
              throw new JitScopeError(
                "trace",
                `jit(${fname}): the function returned a Promise; traced functions must be synchronous (values cannot be read inside jit)`,
              );
            }
            let flat;
            try {
              flat = flatten(out, "the result");
            } catch (e) {
              if (!(e instanceof TypeError)) throw e;
              throw new JitScopeError("trace", `jit(${fname}): ${e.message.replace(/^jit: /, "")}`);
            }
            outTree = flat.treedef;
            // debug.print's values ride as extra outputs, printed at each call (debugPrint.ts).
            if (capture.prints.length > 0) debug = { userOutputs: flat.leaves.length, prints: capture.prints };
            return [...flat.leaves, ...capture.values];
          },
        ),
      );
    } finally {
      activeTraces--;
    }
    const traceEnd = performance.now();
    const traceMs = traceEnd - t0;
    if (recorder.enabled) recorder.span(`trace:${fname}`, "trace", t0, traceMs);

    const perPass: Record<string, number> = { trace: traceMs };
    let pipeline;
    try {
      pipeline = runPipeline(traced.program, traced.consts.length, {
        traceMs,
        startMs: traceEnd,
        idPrefix: `${id}/`,
        onPass: (name, start, ms) => {
          perPass[name] = ms;
          if (recorder.enabled) recorder.span(`pass:${name}`, "compile", start, ms);
        },
        // The IR after each pass, for the report: one-time work of the call (profile/setupTime.ts).
        onSnapshot: (name, start, ms) => {
          if (recorder.enabled) recorder.span(`ir:${name}`, "compile", start, ms);
        },
        // The IR type check after each pass (JITSCOPE_CHECK_IR, as the tests run): one-time work too.
        onCheck: (name, start, ms) => {
          if (recorder.enabled) recorder.span(`check:${name}`, "compile", start, ms);
        },
      });
    } catch (e) {
      // A compiler bug still reaches the user as a JitScopeError at their call, naming the pass.
      if (e instanceof JitScopeError) throw e;
      const done = Object.keys(perPass);
      const pass = PASS_NAMES[done.length] ?? "compile";
      throw new JitScopeError(
        "trace",
        `jit(${fname}): internal compiler error in the ${pass} pass (a bug in JIT Scope, not in your program): ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    const { state, snapshots } = pipeline;
    // What follows (labelling the graphs' ends, then the report's record of this compilation) is
    // one-time work of the call too: its span starts where the pipeline's last step ended, so no
    // part of the compile is left out of every span (profile/setupTime.ts).
    const tFinish = pipeline.endMs;
    const argPaths = inputPaths(f as never, sig);
    labelGraphEnds(
      snapshots.map((sn) => sn.graph),
      argPaths,
      [...leafPaths(outTree, "result"), ...debugOutputLabels(debug?.prints ?? [])],
    );
    const total = performance.now() - t0;
    const { planned, fusion, signature, peakBytes } = recordCompilation({
      id,
      fname,
      location: jitLocation,
      reason,
      inputs: leaves.map((x) => x.aval),
      state,
      snapshots,
      argPaths,
      compileMs: { total, perPass },
      scopeSites: traced.scopeSites,
      library: libraryOptions.has(opts),
    });
    const lowered: Lowered = {
      compilationId: id,
      name: fname,
      signature,
      reason,
      program: state.program,
      passes: snapshots,
      fusion,
      kernels: planned.map(({ kernel: k }) => ({ ...k, id: kernelId(id, k.id) })),
      peakBytes,
      memory: state.memory!,
      schedule: state.schedule!,
      scopeSites: traced.scopeSites,
      constants: traced.consts,
      text(passName?: string) {
        const s = passName === undefined ? snapshots[snapshots.length - 1] : snapshots.find((p) => p.name === passName);
        if (!s)
          throw new Error(
            `jit(${fname}).lower(): no pass named ${JSON.stringify(passName)}; passes: ${snapshots.map((p) => p.name).join(", ")}`,
          );
        return s.text;
      },
    };
    last = sig;
    // Matmul shapes the autotuner has no result for (mode "search"): search them in the
    // background; calls after a search lands run its winner.
    if (pendingSearches() > 0) void runPendingSearches();
    if (recorder.enabled) recorder.span(`finish:${fname}`, "compile", tFinish, recorder.now() - tFinish);
    const kernelCount = planned.filter(({ kernel: k }) => k.outputs.some((o) => sizeOf(o.aval.shape) > 0)).length;
    if (getConfig().logCompiles) logCompile(fname, jitLocation, reason, total, kernelCount, leaves);
    return {
      sig,
      lowered,
      plan: state,
      tuneEpoch: tuneEpoch(),
      consts: traced.consts,
      outTree,
      debug,
      backend,
      kernelCount,
      exe: null,
    };
  };

  /** The cache entry for these arguments (tracing and compiling on a miss). */
  const lookup = (args: readonly unknown[], backend: Backend): { entry: CacheEntry; leaves: Tracer[] } | null => {
    const sig = signatureKey(args, statics, backend.name);
    const leaves = sig.leaves;
    if (leaves.some((x) => !(x instanceof ConcreteArray))) return null; // inside grad/vmap: inline
    let entry = cache.get(sig.key);
    if (!entry) {
      try {
        entry = compile(args, sig, leaves, backend);
      } catch (e) {
        if (e instanceof NeedsInline) return null;
        throw e;
      }
      cache.set(sig.key, entry);
    }
    return { entry, leaves };
  };

  /** jax_debug_nans: the call's outputs hold a NaN (inf), so f runs again op by op, without
   *  jit, where the first op to make one throws at its line (debugNans.ts); if none does, the
   *  error is the call's. Donated arguments are gone by now, so that rerun is not possible. */
  const rerunOpByOp = (found: "nan" | "inf", args: unknown[]): never => {
    if (donated.length > 0)
      throw rerunFoundNothing(
        fname,
        found,
        "Its arguments were donated, so it cannot be run again op by op to find the op",
      );
    const prev = setConfig({ disableJit: true });
    try {
      withName(fname, () => call(...args));
    } finally {
      setConfig({ disableJit: prev.disableJit });
    }
    throw rerunFoundNothing(fname, found, null);
  };

  const jitted = (...args: unknown[]): unknown => {
    if (donated.length > 0) checkDonatedInRange(fname, donated, args.length);
    const t0 = recorder.enabled ? recorder.now() : 0;
    const w0 = performance.now();
    if (getConfig().disableJit) {
      const ops0 = eagerOpCount();
      const sites0 = eagerSiteMs();
      const out = withName(fname, () => call(...args));
      if (recorder.enabled) {
        const wall = performance.now() - w0;
        // Eager runs one kernel per op (none on the CPU reference backend).
        const dispatches = currentBackend().name === "cpu" ? 0 : eagerOpCount() - ops0;
        // Finding each op's line is the profiler's work, not the program's (ir/eagerCallSite.ts).
        recordCall({
          name: fname,
          location: jitLocation,
          compilation: null,
          start: t0,
          wallMs: wall,
          kernelsPerCall: dispatches,
          profilerMs: eagerSiteMs() - sites0,
        });
      }
      return out;
    }
    if (activeTraces > 0) return withName(fname, () => call(...args));
    const backend = currentBackend();
    const found = lookup(args, backend);
    if (!found) return withName(fname, () => call(...args));
    const { entry, leaves } = found;
    if (entry.tuneEpoch !== tuneEpoch()) retune(entry);
    const callId = recorder.enabled ? recorder.nextCallId() : undefined;
    if (!entry.exe) {
      // Its pipelines are created here: one-time work, as the compile (profile/setupTime.ts).
      const tExe = recorder.now();
      entry.exe = backend.createExecutable({
        compilationId: entry.lowered.compilationId,
        program: entry.plan.program,
        kernels: entry.plan.kernels ?? [],
        memory: entry.plan.memory!,
        outputs: entry.plan.program.outputs,
        ...(entry.plan.loops ? { loops: entry.plan.loops } : {}),
      });
      if (recorder.enabled) recorder.span(`executable:${fname}`, "compile", tExe, recorder.now() - tExe);
    }
    const exe = entry.exe;
    const moved: DeviceArray[] = [];
    const inputs = [...leaves, ...entry.consts].map((x) => place(x as ConcreteArray, backend, moved, fname));
    let outs: DeviceArray[];
    // The encode span rides on this call's event (recorder.jitCall): one journal line fewer per
    // call (formatting the journal's lines is about half of what profiling costs a loop of tiny
    // calls: README, "What is left, item by item").
    let encode: { start: number; dur: number; bindGroupMs: number } | undefined;
    try {
      outs = exe.run(
        inputs,
        callId,
        recorder.enabled ? (start, dur, bindGroupMs) => (encode = { start, dur, bindGroupMs }) : undefined,
      );
    } finally {
      for (const d of moved) backend.free(d);
    }
    if (donated.length > 0) donate(fname, donated, entry.sig.args, leaves);
    counters.compiledCalls++;
    counters.lastCallKernels = entry.kernelCount;
    counters.lastCallDispatches = exe.dispatchesPerCall;
    const invalid = invalidOutputs(backend, outs);
    if (invalid) rerunOpByOp(invalid, args);
    const arrays = printDebugOutputs(
      entry.debug,
      outs.map((d) => new ConcreteArray(d, backend)),
    );
    const result = unflatten(entry.outTree, arrays);
    if (recorder.enabled) {
      const wall = performance.now() - w0;
      const fedBack = feedBack.next(entry.sig.args, leaves, arrays);
      recordCall({
        name: fname,
        location: jitLocation,
        compilation: entry.lowered.compilationId,
        start: t0,
        wallMs: wall,
        kernelsPerCall: exe.dispatchesPerCall,
        callId,
        inputs: leaves.map((x) => arrayId(x as ConcreteArray)),
        encode,
        ...(fedBack.length > 0 ? { fedBack } : {}),
      });
    }
    return result;
  };

  const lower = async (...args: unknown[]): Promise<Lowered> => {
    const backend = currentBackend();
    const found = lookup(args, backend);
    if (!found) {
      throw new JitScopeError(
        "trace",
        `jit(${fname}).lower() needs concrete arrays as arguments, not tracers of another transformation`,
      );
    }
    return found.entry.lowered;
  };

  Object.defineProperty(jitted, "cacheSize", { get: () => cache.size });
  Object.defineProperty(jitted, "compileCount", { get: () => counters.compiles });
  Object.defineProperty(jitted, "lastCallKernels", { get: () => counters.lastCallKernels });
  Object.defineProperty(jitted, "name", { value: fname }); // stack traces and nested jit name stacks
  const stats = (): JitStats => ({ ...counters });
  return Object.assign(jitted, { lower, stats, fnName: fname }) as unknown as Jitted<F>;
}

/** An argument's storage on `backend` (CPU arrays are copied over; others must be moved). */
function place(x: ConcreteArray, backend: Backend, moved: DeviceArray[], fname: string): DeviceArray {
  return storageOn(
    x,
    backend,
    moved,
    (from) =>
      `jit(${fname}): an argument (${avalToString(x.aval)}) lives on the ${from.name} backend but the function runs on ${backend.name}; ` +
      `move it first with \`await x.to("${backend.name}")\``,
  );
}

/** An id per array object for the recorder: the same array read by two calls has the same id. */
const arrayIds = new WeakMap<object, number>();
let nextArrayId = 0;
function arrayId(x: object): number {
  let id = arrayIds.get(x);
  if (id === undefined) arrayIds.set(x, (id = ++nextArrayId));
  return id;
}
