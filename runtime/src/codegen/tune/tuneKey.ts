// The autotuner's key for a matmul's shape class: what the search's result depends on (dtype,
// batch, sizes, operand layouts) and nothing it does not (the epilogue, names, ids), so every
// kernel of that shape on one adapter shares one search.

import type { MatmulShape } from "../matmulConfig.js";

export function matmulTuneKey(s: MatmulShape): string {
  return `matmul ${s.dtype} [${s.batch}×] ${s.m}×${s.k}@${s.k}×${s.n} ${s.aTransposed ? "Aᵀ" : "A"}·${s.bTransposed ? "Bᵀ" : "B"}`;
}
