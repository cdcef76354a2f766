// A concatenate of many arrays as a tree of concatenates of at most STORAGE_BUFFER_LIMIT - 1
// inputs each, so no kernel binds more storage buffers than a shader stage may (8 on lavapipe,
// the WebGPU default; Dawn rejects a pipeline past its limit). Under jit, fuse merges the tree
// back into as few kernels as the limit allows and records "buffer-limit" as the reason for each
// boundary it keeps; eager runs one kernel per node.

import { STORAGE_BUFFER_LIMIT } from "../passes/fuse.js";
import { bind1, type Tracer } from "./core.js";

export function concatenateTree(xs: readonly Tracer[], axis: number): Tracer {
  const fan = STORAGE_BUFFER_LIMIT - 1; // inputs plus the one output
  let level = [...xs];
  while (level.length > fan) {
    const next: Tracer[] = [];
    for (let i = 0; i < level.length; i += fan) {
      const chunk = level.slice(i, i + fan);
      next.push(chunk.length === 1 ? chunk[0]! : bind1("concatenate", { axis }, chunk));
    }
    level = next;
  }
  return level.length === 1 ? level[0]! : bind1("concatenate", { axis }, level);
}
