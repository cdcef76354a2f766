// Errors that point at the user's code. Every error the runtime throws because of the user's
// input names the op, what was wrong, and the user's file:line (not the runtime's).

import { formatLocation } from "@jitscope/contract";
import { captureUserLocation } from "./location.js";
import type { SourceLocation } from "./types.js";

export type JitScopeErrorKind = "shape" | "dtype" | "axis" | "value" | "trace" | "disposed" | "backend" | "floating";

export class JitScopeError extends Error {
  readonly kind: JitScopeErrorKind;
  readonly location: SourceLocation | null;

  constructor(kind: JitScopeErrorKind, message: string, location: SourceLocation | null = captureUserLocation()) {
    super(location ? `${message}\n    at ${formatLocation(location)}` : message);
    this.name =
      kind === "shape"
        ? "ShapeError"
        : kind === "trace"
          ? "TraceError"
          : kind === "floating"
            ? "FloatingPointError"
            : "JitScopeError";
    this.kind = kind;
    this.location = location;
  }
}

export const shapeError = (msg: string, loc?: SourceLocation | null) =>
  new JitScopeError("shape", msg, loc ?? captureUserLocation());
export const traceError = (msg: string, loc?: SourceLocation | null) =>
  new JitScopeError("trace", msg, loc ?? captureUserLocation());
