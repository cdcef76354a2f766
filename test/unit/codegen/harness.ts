// Test helpers: hand-built equations and groups, run on the WebGPU backend through the same
// path jit uses (lowerGroup → createExecutable), read back as plain numbers.

import { lowerGroup } from "../../../runtime/src/codegen/lowerGroup.js";
import { forceSoftwareAdapter, forceSubgroupSizes } from "../../../runtime/src/codegen/subgroupSupport.js";
import type { ExecutablePlan, FusionGroup, KernelKind, KernelSpec } from "../../../runtime/src/codegen/kernelPlan.js";
import type { Atom, Aval, DType, Eqn, Primitive, PrimParams, Var } from "../../../runtime/src/ir/types.js";
import type { WebGpuBackend } from "../../../runtime/src/backend/webgpu.js";

/** The backend, or skips the test loudly (fails instead under JITSCOPE_REQUIRE_WEBGPU=1). */
export { webgpuBackendOrSkip as gpuOrSkip } from "../ops/harness.js";

/** Builds programs by hand: vars, equations, groups. */
export class Builder {
  private nextVar = 100;
  private nextEqn = 0;
  readonly eqns: Eqn[] = [];

  input(shape: number[], dtype: DType = "float32"): Var {
    return { kind: "var", id: this.nextVar++, aval: { shape, dtype } };
  }

  lit(value: number, dtype: DType = "float32"): Atom {
    return { kind: "lit", value, aval: { shape: [], dtype } };
  }

  op<P extends Primitive>(prim: P, inputs: Atom[], params: PrimParams[P], out: Aval): Var {
    const v: Var = { kind: "var", id: this.nextVar++, aval: out };
    this.eqns.push({ id: this.nextEqn++, prim, params, inputs, outputs: [v], location: null, nameStack: [] });
    return v;
  }

  group(kind: KernelKind, inputs: Var[], outputs: Var[], eqns: readonly Eqn[] = this.eqns, id = "k0"): FusionGroup {
    return { id, kind, eqns: [...eqns], inputs, outputs, reason: "test" };
  }
}

export function planFor(group: FusionGroup, spec: KernelSpec = lowerGroup(group)): ExecutablePlan {
  return {
    compilationId: "test",
    program: { name: "test", inputs: group.inputs, eqns: group.eqns, outputs: group.outputs },
    kernels: [spec],
    memory: { slots: [], slotOf: new Map(), peakBytes: 0 },
    outputs: group.outputs,
  };
}

export type HostData = Float32Array | Int32Array | Uint8Array;

/** Runs one group with the given host inputs; returns every output as plain numbers. */
export async function runGroup(
  b: WebGpuBackend,
  group: FusionGroup,
  data: HostData[],
  spec?: KernelSpec,
): Promise<number[][]> {
  const ins = group.inputs.map((v, i) => b.fromHost(data[i]!, v.aval));
  const exe = b.createExecutable(planFor(group, spec));
  const outs = exe.run(ins);
  const res = await Promise.all(outs.map((o) => b.read(o)));
  for (const a of [...ins, ...outs]) b.free(a);
  return res.map((r) => Array.from(r));
}

/** Runs `f` lowering as for a CPU adapter (software) or a GPU, whichever is attached. */
export function asAdapter<T>(software: boolean, f: () => T): T {
  const was = forceSoftwareAdapter(software);
  try {
    return f();
  } finally {
    forceSoftwareAdapter(was);
  }
}

/** Runs `f` lowering for a CPU adapter whose subgroups are `min`..`max` lanes (0: none). */
export function asSoftwareWithSubgroups<T>(min: number, max: number, f: () => T): T {
  const was = forceSubgroupSizes({ min, max });
  try {
    return asAdapter(true, f);
  } finally {
    forceSubgroupSizes(was);
  }
}

export function f32(xs: number[]): Float32Array {
  return Float32Array.from(xs);
}

export function i32(xs: number[]): Int32Array {
  return Int32Array.from(xs);
}

export function range(n: number, f: (i: number) => number = (i) => i): number[] {
  return Array.from({ length: n }, (_, i) => f(i));
}

export function assertClose(actual: readonly number[], expected: readonly number[], tol = 1e-5, what = "values"): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length} ≠ ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!,
      e = expected[i]!;
    if (Number.isNaN(e) ? !Number.isNaN(a) : Math.abs(a - e) > tol * Math.max(1, Math.abs(e))) {
      throw new Error(`${what}[${i}]: got ${a}, expected ${e}`);
    }
  }
}

import { cpuApply } from "../../../runtime/src/ops/cpu.js";
import { litValue, type HostValue } from "../../../runtime/src/ops/cpuValue.js";

/** The CPU reference: the group's equations interpreted one by one (ops/cpu.ts). */
export function cpuRunGroup(group: FusionGroup, data: HostData[]): number[][] {
  const env = new Map<number, HostValue>();
  group.inputs.forEach((v, i) => env.set(v.id, { data: data[i]!, shape: v.aval.shape, dtype: v.aval.dtype }));
  for (const e of group.eqns) {
    const ins = e.inputs.map((a) => (a.kind === "lit" ? litValue(a) : env.get(a.id)!));
    const outs = cpuApply(
      e.prim,
      e.params,
      ins,
      e.outputs.map((o) => o.aval),
    );
    e.outputs.forEach((o, j) => env.set(o.id, outs[j]!));
  }
  return group.outputs.map((o) => Array.from(env.get(o.id)!.data));
}

/** Deterministic pseudo-random floats in [-2, 2). */
export function noise(n: number, seed = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 4 - 2;
  });
}
