// Compute pipelines cached by WGSL text, with explicit bind group layouts (inputs read-only
// storage, then outputs read-write) so a binding the shader never reads is still valid. A loop
// body's kernel that binds a row of a stacked array gets a variant whose layout marks those
// bindings as having a dynamic offset (webgpuLoop.ts), keyed by which bindings they are.

import type { KernelSpec } from "../codegen/kernelPlan.js";

export interface CachedPipeline {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
}

/** The cache key: the WGSL, prefixed by which bindings take a dynamic offset when any does. */
function keyOf(spec: KernelSpec, dynamic?: readonly boolean[]): string {
  return dynamic?.some((d) => d) ? `${dynamic.map((d) => (d ? "1" : "0")).join("")}|${spec.wgsl}` : spec.wgsl;
}

export class PipelineCache {
  private readonly byWgsl = new Map<string, CachedPipeline>();
  /** Milliseconds spent creating pipelines, for the profiler's "pipeline" spans. */
  createdCount = 0;
  /** Bumped by clear(): a compiled program holding pipelines fetches them again when it changed. */
  generation = 0;

  constructor(private readonly device: GPUDevice) {}

  /** The pipeline if it exists (no allocation for the plain case: the per-op path asks this first). */
  peek(spec: KernelSpec, dynamic?: readonly boolean[]): CachedPipeline | undefined {
    return this.byWgsl.get(keyOf(spec, dynamic));
  }

  /** `dynamic[i]`: binding i takes a dynamic offset at setBindGroup. */
  get(spec: KernelSpec, dynamic?: readonly boolean[]): { cached: CachedPipeline; created: boolean } {
    const key = keyOf(spec, dynamic);
    const hit = this.byWgsl.get(key);
    if (hit) return { cached: hit, created: false };
    const entries: GPUBindGroupLayoutEntry[] = [];
    const nIn = spec.inputs.length;
    for (let i = 0; i < nIn + spec.outputs.length; i++) {
      entries.push({
        binding: i,
        visibility: 4 /* COMPUTE */,
        buffer: { type: i < nIn ? "read-only-storage" : "storage", hasDynamicOffset: dynamic?.[i] === true },
      });
    }
    const layout = this.device.createBindGroupLayout({ entries, label: spec.name });
    const module = this.device.createShaderModule({ code: spec.wgsl, label: spec.name });
    const pipeline = this.device.createComputePipeline({
      label: spec.name,
      layout: this.device.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: spec.entryPoint },
    });
    const cached = { pipeline, layout };
    this.byWgsl.set(key, cached);
    this.createdCount++;
    return { cached, created: true };
  }

  /** Forgets every pipeline (they stay valid for work already encoded). */
  clear(): void {
    this.byWgsl.clear();
    this.generation++;
  }

  get size(): number {
    return this.byWgsl.size;
  }
}
