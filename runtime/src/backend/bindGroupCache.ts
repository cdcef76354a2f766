// Bind groups cached by (layout, buffers). Creating one costs more host time than the rest of
// a small dispatch, and with pooled buffers the same combinations recur call after call (a
// jitted function's inputs stay put and its outputs cycle through a few pooled buffers).
// Bounded; an entry whose buffer was destroyed is simply never asked for again (new buffers get
// new ids). Every one it makes counts against the mapping headroom (mappingHeadroom.ts).

import { MappingHeadroom } from "./mappingHeadroom.js";

const MAX_ENTRIES = 512;

export class BindGroupCache {
  private readonly ids = new WeakMap<object, number>();
  private nextId = 1;
  private readonly groups = new Map<string, GPUBindGroup>();
  hits = 0;
  /** Host time spent making bind groups (cache misses), ms: a profiled compiled call reports
   *  its share (what donating its arguments would save: advice/donateArguments.ts). */
  madeMs = 0;

  constructor(
    private readonly device: GPUDevice,
    readonly headroom: MappingHeadroom,
  ) {}

  private idOf(o: object): number {
    let id = this.ids.get(o);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(o, id);
    }
    return id;
  }

  /** `sizes[i]`: binding i covers that many bytes from offset 0 (a dynamic-offset binding moves
   *  that window at setBindGroup); undefined: the whole buffer. */
  get(
    layout: GPUBindGroupLayout,
    buffers: readonly GPUBuffer[],
    sizes?: readonly (number | undefined)[],
  ): GPUBindGroup {
    let key = `${this.idOf(layout)}`;
    buffers.forEach((b, i) => {
      key += `,${this.idOf(b)}`;
      if (sizes?.[i] !== undefined) key += `:${sizes[i]}`;
    });
    const hit = this.groups.get(key);
    if (hit) {
      this.hits++;
      return hit;
    }
    const t0 = performance.now();
    const group = this.device.createBindGroup({
      layout,
      entries: buffers.map((buffer, binding) => {
        const size = sizes?.[binding];
        return { binding, resource: size === undefined ? { buffer } : { buffer, offset: 0, size } };
      }),
    });
    this.madeMs += performance.now() - t0;
    this.headroom.noteMade();
    if (this.groups.size >= MAX_ENTRIES) this.groups.delete(this.groups.keys().next().value!);
    this.groups.set(key, group);
    return group;
  }
}
