// Every jitted function's compilation cache, so that clear_caches() can empty them all (JAX's
// jax.clear_caches). Each jit registers its cache with how to reset it; the registry holds the
// caches weakly, so a jitted function nobody references is still collected with its cache.

const caches = new Set<WeakRef<object>>();
const resets = new WeakMap<object, () => void>();
let sweepAt = 64;

/** Called by jit for its cache: `reset` empties it and forgets the last call's signature. */
export function registerJitCache(cache: object, reset: () => void): void {
  caches.add(new WeakRef(cache));
  resets.set(cache, reset);
  if (caches.size >= sweepAt) {
    for (const r of caches) if (!r.deref()) caches.delete(r);
    sweepAt = Math.max(64, 2 * caches.size);
  }
}

/** Empties every live jit cache: each jitted function traces and compiles again on its next
 *  call. Returns how many caches were emptied. */
export function clearJitCaches(): number {
  let n = 0;
  for (const r of caches) {
    const c = r.deref();
    if (!c) {
      caches.delete(r);
      continue;
    }
    resets.get(c)?.();
    n++;
  }
  return n;
}
