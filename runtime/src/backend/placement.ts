// Where an array's storage must be for an op or a compiled call to use it. CPU arrays are copied
// to the target backend synchronously (their data is on the host); arrays on another device
// must be moved explicitly by the user, since their data may still be in flight.

import { JitScopeError } from "../ir/errors.js";
import type { Aval } from "../ir/types.js";
import type { Backend, DeviceArray } from "./backend.js";
import { isCpuBackend } from "./cpu.js";

/** What placement reads of an array (a ConcreteArray; named here so backend/ needs no array.ts). */
export interface PlacedArray {
  readonly aval: Aval;
  readonly backend: Backend;
  readonly device: DeviceArray;
}

/** `x`'s storage on `backend`; copies made are pushed on `moved` (freed by the caller after use).
 *  `mismatch` words the error for an array on another device. */
export function storageOn(
  x: PlacedArray,
  backend: Backend,
  moved: DeviceArray[],
  mismatch: (from: Backend) => string,
): DeviceArray {
  if (x.backend === backend) return x.device;
  const from = x.backend;
  if (isCpuBackend(from)) {
    const d = backend.fromHost(from.hostData(x.device), x.aval);
    moved.push(d);
    return d;
  }
  throw new JitScopeError("backend", mismatch(from));
}
