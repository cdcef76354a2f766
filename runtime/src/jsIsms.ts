// What a JAX user types in JS that JS would silently get wrong, turned into errors that say what
// to write instead, and console.log of an array (issue 14):
//   x[0], x[-1]        → JS property lookups (undefined): point at np.take / x.at(i).get()
//   x.at[0].set(v)     → JAX's Python syntax: point at x.at(0).set(v)
//   [...x], for…of x   → arrays are not JS iterables: point at np.split / await x.toArray()
//                        (random.split's result is the exception: it destructures into its keys)
//   console.log(x)     → NumPy-style values when on the host, else how to read them
// `${x}`, x + 1 and x[idx] with an array index are caught by Tracer's Symbol.toPrimitive
// (trace/core.ts). Importing this module installs everything on Tracer.prototype.

import { ConcreteArray } from "./array.js";
import { isCpuBackend } from "./backend/cpu.js";
import { describeUnread, formatArray, formatComplexArray } from "./display.js";
import { JitScopeError } from "./ir/errors.js";
import { describeTrace, Tracer } from "./trace/core.js";
import { Complex } from "./trace/complexValue.js";

/** Index properties guarded on every array: x[0] … x[1023] and x[-1] … x[-16]. */
const GUARDED_INDICES = 1024;
const GUARDED_NEGATIVE = 16;

function indexError(i: number): JitScopeError {
  return new JitScopeError(
    "value",
    `x[${i}] does not index an array in JS (it reads a JS property and would be undefined): ` +
      `write x.at(${i}).get() or np.take(x, ${i}, 0) for element/row ${i}, np.slice(x, …) for a range, ` +
      `or read the values with \`await x.toArray()\` and index that`,
  );
}

for (let i = -GUARDED_NEGATIVE; i < GUARDED_INDICES; i++) {
  Object.defineProperty(Tracer.prototype, String(i), {
    get(): never {
      throw indexError(i);
    },
    configurable: true,
    enumerable: false,
  });
}

Object.defineProperty(Tracer.prototype, Symbol.iterator, {
  value(this: Tracer): never {
    // An int32[n, 2] here is most likely keys from random.split that went through jit or vmap.
    const keys =
      this.dtype === "int32" && this.ndim === 2 && this.shape[1] === 2
        ? `; for keys (int32[n, 2]) outside the random.split call that made them, take key i with np.take(keys, i, 0)`
        : "";
    throw new JitScopeError(
      "value",
      `an array (${this.dtype}[${this.shape.join(",")}]) is not a JS iterable (spread, for…of, destructuring): ` +
        `use np.split(x, n) for sub-arrays, or \`await x.toArray()\` for JS values${keys}`,
    );
  },
  configurable: true,
  writable: true,
  enumerable: false,
});

// ---------------------------------------------------------------------------------------------
// x.at[...]: JAX writes x.at[i].set(v); here `at` is a method, x.at(i).set(v).

const AT_WORDS = new Set(["set", "get", "add", "multiply", "mul", "divide", "power", "min", "max", "apply"]);

function atSyntaxError(key: string): JitScopeError {
  const idx = /^-?\d+$/.test(key) ? key : "i";
  const op = AT_WORDS.has(key) ? key : "set";
  return new JitScopeError(
    "value",
    `x.at[${AT_WORDS.has(key) ? "…" : key}] is JAX's Python syntax; in JS \`at\` is a method: write x.at(${idx}).${op}(${op === "get" ? "" : "v"}) ` +
      `(an index is a number, an int array, a slice spec or a tuple of those)`,
  );
}

function guardAt(at: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  return new Proxy(at, {
    get(target, key, receiver) {
      if (typeof key === "string" && (/^[-\d, ]+$/.test(key) || AT_WORDS.has(key))) throw atSyntaxError(key);
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

// np/methods.ts installs `at` (x.at(i).set(v)); wrap it so x.at[...] explains itself.
const existingAt = Object.getOwnPropertyDescriptor(Tracer.prototype, "at");
if (existingAt && typeof existingAt.value === "function") {
  Object.defineProperty(Tracer.prototype, "at", {
    ...existingAt,
    value: guardAt(existingAt.value as (...args: unknown[]) => unknown),
  });
}

// ---------------------------------------------------------------------------------------------
// console.log(x)

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

Object.defineProperty(Tracer.prototype, INSPECT, {
  value(this: Tracer): string {
    const { shape, dtype } = this;
    if (this instanceof ConcreteArray) {
      if (this.isDisposed) return describeUnread(shape, dtype, "(disposed)", "its storage was freed by dispose()");
      const backend = this.backend;
      if (isCpuBackend(backend)) return formatArray(backend.hostData(this.device), shape, dtype);
      return describeUnread(
        shape,
        dtype,
        `on ${backend.name}`,
        "values are on the device; print them with `console.log(await x.toArray())`",
      );
    }
    return describeUnread(
      shape,
      dtype,
      `(${describeTrace(this.ownTrace)} tracer)`,
      "values are not known while tracing; return the array from the traced function and print it outside",
    );
  },
  configurable: true,
  writable: true,
  enumerable: false,
});

// console.log(z) of a complex array: NumPy's `Array([1.+4.j, 2.-5.j], dtype=complex64)` when
// both parts are on the host, else how to read it.
Object.defineProperty(Complex.prototype, INSPECT, {
  value(this: Complex): string {
    const [re, im] = [this.re, this.im];
    if (re instanceof ConcreteArray && im instanceof ConcreteArray && !re.isDisposed && !im.isDisposed) {
      const [rb, ib] = [re.backend, im.backend];
      if (isCpuBackend(rb) && isCpuBackend(ib)) {
        const [rd, id] = [rb.hostData(re.device), ib.hostData(im.device)];
        return formatComplexArray(rd, id, this.shape);
      }
    }
    return describeUnread(
      this.shape,
      "complex64",
      re instanceof ConcreteArray ? `on ${re.backend.name}` : "(tracer)",
      "print its values with `console.log(await z.toArray())` ([re, im] pairs)",
    );
  },
  configurable: true,
  writable: true,
  enumerable: false,
});
