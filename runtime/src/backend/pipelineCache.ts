// Compute pipelines cached by WGSL text, with explicit bind group layouts (inputs read-only
// storage, then outputs read-write) so a binding the shader never reads is still valid.

import type { KernelSpec } from "../codegen/kernelPlan.js";

export interface CachedPipeline {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
}

export class PipelineCache {
  private readonly byWgsl = new Map<string, CachedPipeline>();
  /** Milliseconds spent creating pipelines, for the profiler's "pipeline" spans. */
  createdCount = 0;

  constructor(private readonly device: GPUDevice) {}

  /** The pipeline if it exists (no allocation: the per-op path asks this first). */
  peek(spec: KernelSpec): CachedPipeline | undefined {
    return this.byWgsl.get(spec.wgsl);
  }

  get(spec: KernelSpec): { cached: CachedPipeline; created: boolean } {
    const hit = this.byWgsl.get(spec.wgsl);
    if (hit) return { cached: hit, created: false };
    const entries: GPUBindGroupLayoutEntry[] = [];
    const nIn = spec.inputs.length;
    for (let i = 0; i < nIn + spec.outputs.length; i++) {
      entries.push({
        binding: i,
        visibility: 4 /* COMPUTE */,
        buffer: { type: i < nIn ? "read-only-storage" : "storage" },
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
    this.byWgsl.set(spec.wgsl, cached);
    this.createdCount++;
    return { cached, created: true };
  }

  get size(): number {
    return this.byWgsl.size;
  }
}
