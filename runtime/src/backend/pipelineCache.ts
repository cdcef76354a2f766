// Compute pipelines cached by WGSL text, with explicit bind group layouts (inputs read-only
// storage, then outputs read-write) so a binding the shader never reads is still valid. A loop
// body's kernel that binds a row of a stacked array gets a variant whose layout marks those
// bindings as having a dynamic offset (webgpuLoop.ts), keyed by which bindings they are.
// A compiled program's kernel may ask for its call-varying bindings (the call's inputs and
// outputs) in a second bind group (webgpuExecutable.ts): the first, over buffers that stay put,
// is then made once, and a call makes only the small second one (on lavapipe a bind group costs
// about 15 µs plus 4 µs a buffer, most of a compiled call's host time).
// Kernels whose WGSL differs only in value names and comments share one pipeline
// (codegen/shaderIdentity.ts): the kernels of an unrolled loop or of repeated layers compile once.

import type { KernelSpec } from "../codegen/kernelPlan.js";
import { shaderIdentity } from "../codegen/shaderIdentity.js";

export interface CachedPipeline {
  readonly pipeline: GPUComputePipeline;
  /** Group 0's layout: every binding, or those `split` left there, numbered from 0 in order. */
  readonly layout: GPUBindGroupLayout;
  /** Group 1's layout, when the bindings `split` marks moved there (numbered from 0 in order). */
  readonly ioLayout?: GPUBindGroupLayout;
}

const bits = (xs: readonly boolean[]): string => xs.map((x) => (x ? "1" : "0")).join("");

/** The cache key: the WGSL, prefixed by which bindings take a dynamic offset when any does and
 *  which moved to group 1 when any did. */
function keyOf(spec: KernelSpec, dynamic?: readonly boolean[], split?: readonly boolean[], wgsl = spec.wgsl): string {
  const key = dynamic?.some((d) => d) ? `${bits(dynamic)}|${wgsl}` : wgsl;
  return split?.some((s) => s) ? `s${bits(split)}|${key}` : key;
}

/** The key under which kernels the same up to naming share a pipeline: their layouts (binding
 *  counts, dynamic offsets, the split) and entry point must match too. */
const identityKey = (spec: KernelSpec, dynamic?: readonly boolean[], split?: readonly boolean[]): string =>
  `${spec.inputs.length}/${spec.outputs.length}/${spec.entryPoint}|${keyOf(spec, dynamic, split, shaderIdentity(spec.wgsl))}`;

/**
 * The module with binding i declared in group 1 where `split[i]`, each group's bindings
 * renumbered from 0 in order; null unless every binding is declared exactly once as the code
 * generator writes it (`@group(0) @binding(i) var`) and no other is, in which case the kernel
 * keeps one group.
 */
export function splitBindings(wgsl: string, split: readonly boolean[]): string | null {
  const seen = split.map(() => 0);
  const number = split.map((s, i) => split.slice(0, i).filter((t) => t === s).length);
  let unknown = false;
  const out = wgsl.replace(/@group\(0\) @binding\((\d+)\) var/g, (decl, b: string) => {
    const i = Number(b);
    if (i >= split.length) {
      unknown = true;
      return decl;
    }
    seen[i]!++;
    return `@group(${split[i] ? 1 : 0}) @binding(${number[i]}) var`;
  });
  return !unknown && seen.every((n) => n === 1) ? out : null;
}

export class PipelineCache {
  private readonly byWgsl = new Map<string, CachedPipeline>();
  /** The same pipelines by identityKey: a kernel whose own text misses may still find its shader. */
  private readonly byIdentity = new Map<string, CachedPipeline>();
  /** Group 1 layouts by their bindings' kinds: kernels whose call buffers are alike share one,
   *  so the bind group cache (keyed by layout) gives them one group where they bind the same
   *  buffers (a parameter read by its forward, backward and update kernels). */
  private readonly ioLayouts = new Map<string, GPUBindGroupLayout>();
  /** Pipelines compiled. */
  createdCount = 0;
  /** Bumped by clear(): a compiled program holding pipelines fetches them again when it changed. */
  generation = 0;

  constructor(private readonly device: GPUDevice) {}

  /** The pipeline if it exists (no allocation for the plain case: the per-op path asks this first). */
  peek(spec: KernelSpec, dynamic?: readonly boolean[], split?: readonly boolean[]): CachedPipeline | undefined {
    return this.byWgsl.get(keyOf(spec, dynamic, split));
  }

  /** `dynamic[i]`: binding i takes a dynamic offset at setBindGroup. `split[i]`: binding i goes
   *  in group 1 (not with dynamic offsets); the result has `ioLayout` only if the split was made. */
  get(
    spec: KernelSpec,
    dynamic?: readonly boolean[],
    split?: readonly boolean[],
  ): { cached: CachedPipeline; created: boolean } {
    const key = keyOf(spec, dynamic, split);
    const hit = this.byWgsl.get(key);
    if (hit) return { cached: hit, created: false };
    const identity = identityKey(spec, dynamic, split);
    const same = this.byIdentity.get(identity);
    if (same) {
      this.byWgsl.set(key, same);
      return { cached: same, created: false };
    }
    const nIn = spec.inputs.length;
    const moved = split?.some((s) => s) && !dynamic?.some((d) => d) ? splitBindings(spec.wgsl, split) : null;
    const groups: GPUBindGroupLayoutEntry[][] = [[], []];
    for (let i = 0; i < nIn + spec.outputs.length; i++) {
      const group = groups[moved && split![i] ? 1 : 0]!;
      group.push({
        binding: group.length,
        visibility: 4 /* COMPUTE */,
        buffer: { type: i < nIn ? "read-only-storage" : "storage", hasDynamicOffset: dynamic?.[i] === true },
      });
    }
    const layout = this.device.createBindGroupLayout({ entries: groups[0]!, label: spec.name });
    const ioLayout = moved ? this.sharedLayout(groups[1]!) : undefined;
    const module = this.device.createShaderModule({ code: moved ?? spec.wgsl, label: spec.name });
    const pipeline = this.device.createComputePipeline({
      label: spec.name,
      layout: this.device.createPipelineLayout({ bindGroupLayouts: ioLayout ? [layout, ioLayout] : [layout] }),
      compute: { module, entryPoint: spec.entryPoint },
    });
    const cached = ioLayout ? { pipeline, layout, ioLayout } : { pipeline, layout };
    this.byWgsl.set(key, cached);
    this.byIdentity.set(identity, cached);
    this.createdCount++;
    return { cached, created: true };
  }

  private sharedLayout(entries: GPUBindGroupLayoutEntry[]): GPUBindGroupLayout {
    const kinds = entries.map((e) => e.buffer!.type).join(",");
    let layout = this.ioLayouts.get(kinds);
    if (!layout)
      this.ioLayouts.set(
        kinds,
        (layout = this.device.createBindGroupLayout({ entries, label: `call buffers (${kinds})` })),
      );
    return layout;
  }

  /** Forgets every pipeline (they stay valid for work already encoded). */
  clear(): void {
    this.byWgsl.clear();
    this.byIdentity.clear();
    this.ioLayouts.clear();
    this.generation++;
  }

  /** Pipelines compiled (kernels sharing one count once). */
  get size(): number {
    return this.byIdentity.size;
  }
}
