// The CPU reference backend: every op through ops/cpu.ts on typed arrays. It is the tests'
// oracle and the fallback when no WebGPU adapter exists. Work is synchronous, so `read` and
// `ready` resolve at once; `createExecutable` interprets the compiled program op by op.

import { JitScopeError } from "../ir/errors.js";
import { avalToString, bytesPerElement, sizeOf, type Atom, type Aval, type Eqn, type Lit } from "../ir/types.js";
import { cpuApply } from "../ops/cpu.js";
import { allocateDtype, litValue, toDtype, type HostValue } from "../ops/cpuValue.js";
import type { ExecutablePlan } from "../codegen/kernelPlan.js";
import type { Recorder } from "../profile/recorderApi.js";
import { recordEagerOp } from "./cpuProfile.js";
import type { Backend, BackendStats, CompiledProgram, DeviceArray, HostArray } from "./backend.js";

/** A CPU array's storage; `data` is null once freed. */
export class CpuDeviceArray implements DeviceArray {
  readonly backend = "cpu" as const;
  constructor(
    readonly aval: Aval,
    public data: HostArray | null,
  ) {}
}

export interface CpuBackend extends Backend {
  stats(): BackendStats;
  /** The host data of a CPU array, without copying (for a synchronous move to another backend). */
  hostData(a: DeviceArray): HostArray;
}

/** Equation id → the report id of the plan's kernel that holds it (as jit registers them). */
function kernelOfEqn(plan: ExecutablePlan): Map<number, string> {
  const m = new Map<number, string>();
  for (const k of plan.kernels) {
    for (const op of k.opIds) m.set(Number(op.replace(/^op/, "")), `${plan.compilationId}/${k.id}`);
  }
  return m;
}

export function isCpuBackend(b: Backend): b is CpuBackend {
  return b.name === "cpu" && typeof (b as Partial<CpuBackend>).hostData === "function";
}

const HOST_TYPE = { float32: Float32Array, int32: Int32Array, bool: Uint8Array } as const;

/** `recorder`: when given and enabled, eager ops are reported as host-timed kernels. */
export function createCpuBackend(recorder: Recorder | null = null): CpuBackend {
  let liveArrays = 0;
  let liveBytes = 0;

  const wrap = (aval: Aval, data: HostArray): CpuDeviceArray => {
    liveArrays++;
    liveBytes += sizeOf(aval.shape) * bytesPerElement(aval.dtype);
    return new CpuDeviceArray(aval, data);
  };

  const storage = (a: DeviceArray, what: string): HostArray => {
    if (!(a instanceof CpuDeviceArray)) {
      throw new JitScopeError(
        "backend",
        `${what}: a ${a.backend} array (${avalToString(a.aval)}) was passed to the CPU backend`,
      );
    }
    if (!a.data) throw new JitScopeError("disposed", `${what}: array read after dispose() (${avalToString(a.aval)})`);
    return a.data;
  };

  const hostValue = (x: DeviceArray | Lit, what: string): HostValue =>
    "kind" in x && x.kind === "lit"
      ? litValue(x)
      : { data: storage(x as DeviceArray, what), shape: x.aval.shape, dtype: x.aval.dtype };

  const backend: CpuBackend = {
    name: "cpu",
    description: "CPU reference backend",

    fromHost(data, aval) {
      const n = sizeOf(aval.shape);
      if (data.length !== n) {
        throw new JitScopeError(
          "shape",
          `array: ${data.length} values do not fill ${avalToString(aval)} (${n} elements)`,
        );
      }
      // Copy (the caller may reuse its buffer) and convert to the dtype's storage type.
      let copy: HostArray;
      if (data instanceof HOST_TYPE[aval.dtype]) copy = data.slice();
      else {
        copy = allocateDtype(aval.dtype, n);
        for (let i = 0; i < n; i++) copy[i] = toDtype(data[i]!, aval.dtype);
      }
      return wrap(aval, copy);
    },

    executeOp(eqn: Eqn, inputs) {
      const ins = inputs.map((x) => hostValue(x, eqn.prim));
      const apply = () =>
        cpuApply(
          eqn.prim,
          eqn.params,
          ins,
          eqn.outputs.map((v) => v.aval),
        );
      const outs = recorder?.enabled ? recordEagerOp(recorder, eqn, apply) : apply();
      return outs.map((o, i) => wrap(eqn.outputs[i]!.aval, o.data));
    },

    read(a) {
      try {
        return Promise.resolve(storage(a, "read").slice());
      } catch (e) {
        return Promise.reject(e);
      }
    },

    ready(a) {
      try {
        storage(a, "blockUntilReady");
        return Promise.resolve();
      } catch (e) {
        return Promise.reject(e);
      }
    },

    free(a) {
      if (a instanceof CpuDeviceArray && a.data) {
        a.data = null;
        liveArrays--;
        liveBytes -= sizeOf(a.aval.shape) * bytesPerElement(a.aval.dtype);
      }
    },

    createExecutable(plan: ExecutablePlan): CompiledProgram {
      const kernelOf = recorder ? kernelOfEqn(plan) : new Map<number, string>();
      return { dispatchesPerCall: 0, run: (inputs, callId) => interpret(plan, inputs, kernelOf, callId) };
    },

    stats() {
      return { liveArrays, liveBytes, pooledBuffers: 0, pooledBytes: 0 };
    },

    hostData(a) {
      return storage(a, "hostData");
    },
  };

  /** Runs `plan.program` equation by equation on host values. When profiling, each kernel of
   *  the plan gets one dispatch per call timed on the host (the sum of its equations). */
  function interpret(
    plan: ExecutablePlan,
    inputs: readonly DeviceArray[],
    kernelOf: ReadonlyMap<number, string>,
    callId?: number,
  ): DeviceArray[] {
    const { program } = plan;
    if (inputs.length !== program.inputs.length) {
      throw new JitScopeError(
        "value",
        `${program.name}: expected ${program.inputs.length} inputs, got ${inputs.length}`,
      );
    }
    const env = new Map<number, HostValue>();
    program.inputs.forEach((v, i) => env.set(v.id, hostValue(inputs[i]!, program.name)));
    const atom = (a: Atom): HostValue => {
      if (a.kind === "lit") return litValue(a);
      const v = env.get(a.id);
      if (!v) throw new Error(`internal: ${program.name} reads v${a.id} before it is defined`);
      return v;
    };
    const timing = recorder?.enabled ? new Map<string, { start: number; ms: number }>() : null;
    for (const eqn of program.eqns) {
      const start = timing ? recorder!.now() : 0;
      const outs = cpuApply(
        eqn.prim,
        eqn.params,
        eqn.inputs.map(atom),
        eqn.outputs.map((v) => v.aval),
      );
      eqn.outputs.forEach((v, i) => env.set(v.id, outs[i]!));
      const kernel = timing ? kernelOf.get(eqn.id) : undefined;
      if (kernel) {
        const t = timing!.get(kernel) ?? { start, ms: 0 };
        t.ms += recorder!.now() - start;
        timing!.set(kernel, t);
      }
    }
    if (timing)
      for (const [kernel, t] of timing) recorder!.recordDispatch(kernel, Math.round(t.ms * 1e6), t.start, callId);
    // Every output gets its own storage (an output may be an input, or the same value twice).
    return plan.outputs.map((a) => wrap(a.aval, atom(a).data.slice()));
  }

  return backend;
}
