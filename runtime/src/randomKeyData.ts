// jax.random's key_data / wrap_key_data. JAX's typed keys hold their bits out of sight and these
// convert between a key array and its uint32 words; here a key already is its words (int32[..., 2],
// the same 32 bits as JAX's uint32), so both check the array and return it: code written for
// typed keys runs unchanged.

import { JitScopeError } from "./ir/errors.js";
import { Tracer } from "./trace/core.js";

function keyWords(op: string, x: unknown, what: string): Tracer {
  if (!(x instanceof Tracer) || x.dtype !== "int32" || x.ndim < 1 || x.shape[x.ndim - 1] !== 2) {
    const got = x instanceof Tracer ? `${x.dtype}[${x.shape}]` : typeof x;
    throw new JitScopeError(
      "value",
      `random.${op}: expected ${what} (int32[..., 2]: two 32-bit words a key), got ${got}`,
    );
  }
  return x;
}

/** `random.key_data(keys)`: the words of a key or a key array (int32[..., 2]). */
export const key_data = (keys: Tracer): Tracer => keyWords("key_data", keys, "a key or a key array");

/** `random.wrap_key_data(data)`: keys from their words (int32[..., 2], as key_data gives). */
export const wrap_key_data = (data: Tracer): Tracer => keyWords("wrap_key_data", data, "key words");
