// CPU reference of the bit primitives: and / or / xor (int32 or bool), the int32 shifts, and
// bitcast_convert between float32 and int32. Shift counts outside [0, 32) follow XLA (JAX):
// shift_left gives 0, shift_right_arithmetic the sign fill, where JS would take the count mod 32.

import type { Aval } from "../ir/types.js";
import { allocate, type HostValue } from "./cpuValue.js";

export type BitwisePrim = "bitwise_and" | "bitwise_or" | "bitwise_xor" | "shift_left" | "shift_right_arithmetic";

const outOfRange = (n: number): boolean => n < 0 || n >= 32;

function bitwiseFn(prim: BitwisePrim): (a: number, b: number) => number {
  switch (prim) {
    case "bitwise_and":
      return (a, b) => a & b;
    case "bitwise_or":
      return (a, b) => a | b;
    case "bitwise_xor":
      return (a, b) => a ^ b;
    case "shift_left":
      return (a, b) => (outOfRange(b) ? 0 : a << b);
    case "shift_right_arithmetic":
      return (a, b) => a >> (outOfRange(b) ? 31 : b);
    default:
      return prim satisfies never;
  }
}

/** Rank-0 operands broadcast to the output shape, as the other elementwise references. */
export function cpuBitwise(prim: BitwisePrim, a: HostValue, b: HostValue, out: Aval): HostValue {
  const f = bitwiseFn(prim);
  const [da, db] = [a.data, b.data];
  const [sa, sb] = [a.shape.length === 0 ? 0 : 1, b.shape.length === 0 ? 0 : 1];
  const res = allocate(out);
  for (let i = 0; i < res.length; i++) res[i] = f(da[i * sa]!, db[i * sb]!);
  return { data: res, shape: out.shape, dtype: out.dtype };
}

/** The same 32 bits, read through the other typed array (NaN payloads and -0 kept exactly). */
export function cpuBitcast(x: HostValue, out: Aval): HostValue {
  const src = x.data;
  const data =
    out.dtype === "int32"
      ? new Int32Array(src.buffer, src.byteOffset, src.length).slice()
      : new Float32Array(src.buffer, src.byteOffset, src.length).slice();
  return { data, shape: out.shape, dtype: out.dtype };
}
