// The format strings of debug.print, as Python's str.format reads them: `{}` (the next argument),
// `{0}`, `{name}` (a field of the options object), each with an optional `:spec` for numbers
// (`.3f`, `.2e`, `.4g`, `d`, `%`, a width and alignment), and `{{` / `}}` for braces.

import { JitScopeError } from "../ir/errors.js";

export type Piece =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "field"; readonly arg: number | string; readonly spec: string };

/** The pieces of `fmt`; automatic `{}` fields are numbered in order (Python forbids mixing them
 *  with `{0}`, and so does this). */
export function parseFormat(fmt: string): Piece[] {
  const pieces: Piece[] = [];
  let text = "";
  let auto = 0;
  let numbering: "auto" | "manual" | null = null;
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!;
    if ((c === "{" || c === "}") && fmt[i + 1] === c) {
      text += c;
      i++;
      continue;
    }
    if (c === "}") throw formatError(fmt, `a single "}" (write "}}" for a brace)`);
    if (c !== "{") {
      text += c;
      continue;
    }
    const end = fmt.indexOf("}", i);
    if (end < 0) throw formatError(fmt, `a "{" with no closing "}"`);
    const body = fmt.slice(i + 1, end);
    const colon = body.indexOf(":");
    const name = colon < 0 ? body : body.slice(0, colon);
    const spec = colon < 0 ? "" : body.slice(colon + 1);
    if (name.includes("!") || name.includes(".") || name.includes("["))
      throw formatError(fmt, `the field {${body}}: conversions (!r), attributes and indexing are not supported`);
    let arg: number | string;
    if (name === "") {
      if (numbering === "manual") throw formatError(fmt, "both {} and numbered fields");
      numbering = "auto";
      arg = auto++;
    } else if (/^\d+$/.test(name)) {
      if (numbering === "auto") throw formatError(fmt, "both {} and numbered fields");
      numbering = "manual";
      arg = Number(name);
    } else arg = name;
    checkSpec(fmt, spec);
    if (text) pieces.push({ kind: "text", text });
    text = "";
    pieces.push({ kind: "field", arg, spec });
    i = end;
  }
  if (text) pieces.push({ kind: "text", text });
  return pieces;
}

const SPEC = /^(?:(?<fill>.)?(?<align>[<>^]))?(?<sign>[+ -])?(?<width>\d+)?(?:\.(?<prec>\d+))?(?<type>[fFeEgGd%])?$/;

function checkSpec(fmt: string, spec: string): void {
  if (spec !== "" && !SPEC.test(spec))
    throw formatError(fmt, `the format spec ":${spec}" (supported: width, alignment, sign, .precision and f e g d %)`);
}

/** One number formatted by a spec (`.3f`, `>8.2e`, …); "" formats as NumPy's str() of a
 *  float32 or int32 scalar (`0.1`, `3.0`, `3`). */
export function formatNumber(v: number, spec: string, integer: boolean): string {
  const m = SPEC.exec(spec)?.groups ?? {};
  const prec = m.prec === undefined ? null : Number(m.prec);
  const type = m.type ?? "";
  let s: string;
  if (!Number.isFinite(v)) s = Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
  else if (type === "f" || type === "F") s = v.toFixed(prec ?? 6);
  else if (type === "e" || type === "E") s = pythonExponent(v.toExponential(prec ?? 6));
  else if (type === "g" || type === "G") s = general(v, prec === 0 ? 1 : (prec ?? 6));
  else if (type === "%") s = `${(v * 100).toFixed(prec ?? 6)}%`;
  else if (type === "d") s = String(Math.trunc(v));
  else if (prec !== null) s = String(Number(v.toPrecision(Math.max(1, prec))));
  else s = integer ? String(v) : float32Str(v);
  if (type === "E" || type === "G" || type === "F") s = s.toUpperCase();
  if (m.sign === "+" && v >= 0) s = `+${s}`;
  else if (m.sign === " " && v >= 0) s = ` ${s}`;
  const width = m.width === undefined ? 0 : Number(m.width);
  if (s.length >= width) return s;
  const fill = (m.fill ?? " ").repeat(width - s.length);
  const align = m.align ?? ">";
  if (align === "<") return s + fill;
  if (align === "^") return fill.slice(0, fill.length >> 1) + s + fill.slice(fill.length >> 1);
  return fill + s;
}

/** Python's "g": `p` significant digits, in e-notation when the exponent is below -4 or not
 *  below `p`, trailing zeros dropped. */
function general(v: number, p: number): string {
  if (v === 0) return "0";
  const exp = Number(v.toExponential(p - 1).split("e")[1]);
  const trim = (t: string) => (t.includes(".") ? t.replace(/\.?0+$/, "") : t);
  if (exp < -4 || exp >= p) {
    const [m, e] = v.toExponential(p - 1).split("e");
    return pythonExponent(`${trim(m!)}e${e}`);
  }
  return trim(v.toFixed(Math.max(0, p - 1 - exp)));
}

/** Python writes e-notation with at least two exponent digits: 1.5e-07. */
function pythonExponent(s: string): string {
  return s.replace(/e([+-])(\d)$/, "e$10$2");
}

/** NumPy's str() of a float32: the shortest decimal that reads back as it (3.0, 0.1, 1e-07). */
function float32Str(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.0`;
  for (let p = 1; p <= 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === Math.fround(v)) return pythonExponent(String(Number(s)));
  }
  return pythonExponent(String(v));
}

function formatError(fmt: string, what: string): JitScopeError {
  return new JitScopeError("value", `debug.print: the format string ${JSON.stringify(fmt)} has ${what}`);
}
