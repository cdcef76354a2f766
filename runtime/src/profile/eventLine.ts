// One recorder event as its journal line: exactly what JSON.stringify writes, built by hand for
// the events written once per dispatch or call (dispatch, dispatches, sample, span, call, inputs,
// live), which a profiled loop of tiny ops writes by the thousand; the rest go through
// JSON.stringify.

import type { RecorderEvent } from "./events.js";
import type { SourceLocation } from "@jitscope/contract";

/** Quoted strings, cached: kernel ids, span names and files repeat for the whole run. */
const quoted = new Map<string, string>();
const QUOTED_LIMIT = 4096;

function str(s: string): string {
  let q = quoted.get(s);
  if (q === undefined) {
    q = JSON.stringify(s);
    if (quoted.size < QUOTED_LIMIT) quoted.set(s, q);
  }
  return q;
}

const PAD = ["", "0", "00", "000", "0000", "00000"];

/**
 * As JSON.stringify writes a number: non-finite ones become null. The recorder's times are
 * whole nanoseconds in ms (performance.now() is, and durations are snapped to them: see
 * recorder.ts `nsGrid`); for those the shortest decimal that reads back as the same double is
 * the value's 6-decimal form without its trailing zeros (two values 1 ns apart differ by far
 * more than their doubles' spacing below 2^33 ms), which integer formatting writes in a third
 * of the time of V8's shortest-decimal search. A profiled loop of tiny ops writes dozens a step.
 */
function num(n: number): string {
  if (n >= 1e-6 && n < 8e9 && n !== Math.floor(n)) {
    const ns = Math.round(n * 1e6);
    if (ns / 1e6 === n) {
      const frac = ns % 1e6;
      let f = String(frac);
      f = PAD[6 - f.length]! + f;
      let end = 6;
      while (f.charCodeAt(end - 1) === 48) end--;
      return `${(ns - frac) / 1e6}.${end === 6 ? f : f.slice(0, end)}`;
    }
  }
  return Number.isFinite(n) ? String(n) : "null";
}

/** An array of numbers as JSON.stringify writes its elements (holes too: as null). */
function numbers(xs: readonly number[]): string {
  let s = "";
  for (let i = 0; i < xs.length; i++) s += (i ? "," : "") + num(xs[i]!);
  return s;
}

/** An array of strings as JSON.stringify writes its elements (holes as null). */
function strings(xs: readonly string[]): string {
  let s = "";
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    s += (i ? "," : "") + (typeof x === "string" ? str(x) : JSON.stringify(x ?? null));
  }
  return s;
}

function location(l: SourceLocation | null): string {
  return l === null ? "null" : `{"file":${str(l.file)},"line":${num(l.line)},"column":${num(l.column)}}`;
}

// Every line starts with a head that repeats: a call's (its name, location and compilation), a
// span's (its name and category), a dispatch's (its kernel). Each is formatted once and cached.
// In a profiled loop of tiny ops the call and span lines were the dearest to format, about 3 of
// the worst case's 9 points of overhead (bench/dev/recorder_host.ts with them cut). The caches
// format those lines a quarter to a third faster in a tight loop; in the worst case the gain was
// within the noise (0.8 points on average over 9 pairs of processes). A call's head is cached by
// its location object (one per call site, never changed once made: ir/location.ts,
// ir/markedSites.ts), then by name and compilation.
const NO_LOCATION = {};
const callHeads = new WeakMap<object, Map<string, Map<string | null, string>>>();
let cachedHeads = 0;
const HEADS_LIMIT = 4096;

function callHead(name: string, loc: SourceLocation | null, compilation: string | null): string {
  const byName = callHeads.get(loc ?? NO_LOCATION);
  const head = byName?.get(name)?.get(compilation);
  if (head !== undefined) return head;
  const made = `{"e":"call","name":${str(name)},"location":${location(loc)},"compilation":${compilation === null ? "null" : str(compilation)},"wallMs":`;
  if (cachedHeads < HEADS_LIMIT) {
    cachedHeads++;
    let names = byName;
    if (!names) callHeads.set(loc ?? NO_LOCATION, (names = new Map()));
    let byCompilation = names.get(name);
    if (!byCompilation) names.set(name, (byCompilation = new Map()));
    byCompilation.set(compilation, made);
  }
  return made;
}

const dispatchHeads = new Map<string, string>();

function dispatchHead(kernel: string): string {
  let head = dispatchHeads.get(kernel);
  if (head === undefined) {
    head = `{"e":"dispatch","kernel":${str(kernel)},"gpuNs":`;
    if (cachedHeads < HEADS_LIMIT) {
      cachedHeads++;
      dispatchHeads.set(kernel, head);
    }
  }
  return head;
}

const spanHeads = new Map<string, Map<string, string>>();

function spanHead(name: string, cat: string): string {
  let byName = spanHeads.get(cat);
  let head = byName?.get(name);
  if (head !== undefined) return head;
  head = `{"e":"span","span":{"name":${str(name)},"cat":${str(cat)},"start":`;
  if (cachedHeads < HEADS_LIMIT) {
    cachedHeads++;
    if (!byName) spanHeads.set(cat, (byName = new Map()));
    byName.set(name, head);
  }
  return head;
}

export function eventLine(ev: RecorderEvent): string {
  switch (ev.e) {
    case "dispatch":
      if (Object.keys(ev).length !== (ev.callId === undefined ? 4 : 5)) break;
      return `${dispatchHead(ev.kernel)}${ev.gpuNs === null ? "null" : num(ev.gpuNs)},"start":${num(ev.start)}${ev.callId === undefined ? "" : `,"callId":${num(ev.callId)}`}}`;
    case "dispatches":
      if (Object.keys(ev).length !== (ev.callId === undefined ? 3 : 4)) break;
      if (!Array.isArray(ev.kernels) || !Array.isArray(ev.starts)) break;
      return `{"e":"dispatches","kernels":[${strings(ev.kernels)}],"starts":[${numbers(ev.starts)}]${ev.callId === undefined ? "" : `,"callId":${num(ev.callId)}`}}`;
    case "sample":
      if (Object.keys(ev).length !== (ev.gpuT === undefined ? 4 : 5)) break;
      return `{"e":"sample","kernel":${str(ev.kernel)},"gpuNs":${num(ev.gpuNs)},"start":${num(ev.start)}${ev.gpuT === undefined ? "" : `,"gpuT":${num(ev.gpuT)}`}}`;
    case "driverCompile":
      if (Object.keys(ev).length !== (ev.gpuT === undefined ? 4 : 5)) break;
      return `{"e":"driverCompile","kernel":${str(ev.kernel)},"gpuNs":${num(ev.gpuNs)},"start":${num(ev.start)}${ev.gpuT === undefined ? "" : `,"gpuT":${num(ev.gpuT)}`}}`;
    case "span": {
      const s = ev.span;
      if (Object.keys(ev).length !== 2 || Object.keys(s).length !== (s.callId === undefined ? 4 : 5)) break;
      return `${spanHead(s.name, s.cat)}${num(s.start)},"dur":${num(s.dur)}${s.callId === undefined ? "" : `,"callId":${num(s.callId)}`}}}`;
    }
    case "call": {
      // recorder.jitCall's shape: the six fields, then start, callId, inputs, the encode span
      // (both of its fields, then its bind groups' part) and fedBack where present.
      const encoded = ev.encodeStart !== undefined;
      const extra =
        (ev.start === undefined ? 0 : 1) +
        (ev.callId === undefined ? 0 : 1) +
        (ev.inputs === undefined ? 0 : 1) +
        (encoded ? 2 : 0) +
        (ev.bindGroupMs === undefined ? 0 : 1) +
        (ev.fedBack === undefined ? 0 : 1);
      if (Object.keys(ev).length !== 6 + extra || (ev.location !== null && Object.keys(ev.location).length !== 3))
        break;
      if (extra > 0 && (ev.start === undefined || (ev.inputs !== undefined && !Array.isArray(ev.inputs)))) break;
      if (encoded !== (ev.encodeMs !== undefined) || (ev.bindGroupMs !== undefined && !encoded)) break;
      if (ev.fedBack !== undefined && !Array.isArray(ev.fedBack)) break;
      const head = `${callHead(ev.name, ev.location, ev.compilation)}${num(ev.wallMs)},"kernelsPerCall":${num(ev.kernelsPerCall)}`;
      if (extra === 0) return head + "}";
      const encode = encoded
        ? `,"encodeStart":${num(ev.encodeStart!)},"encodeMs":${num(ev.encodeMs!)}${ev.bindGroupMs === undefined ? "" : `,"bindGroupMs":${num(ev.bindGroupMs)}`}`
        : "";
      return `${head},"start":${num(ev.start!)}${ev.callId === undefined ? "" : `,"callId":${num(ev.callId)}`}${ev.inputs === undefined ? "" : `,"inputs":[${numbers(ev.inputs)}]`}${encode}${ev.fedBack === undefined ? "" : `,"fedBack":[${numbers(ev.fedBack)}]`}}`;
    }
    case "live":
      if (Object.keys(ev).length !== 3) break;
      return `{"e":"live","t":${num(ev.t)},"bytes":${num(ev.bytes)}}`;
    case "inputs": {
      const c = ev.call;
      if (Object.keys(ev).length !== 2 || Object.keys(c).length !== 3 || !Array.isArray(c.inputs)) break;
      return `{"e":"inputs","call":{"compilation":${str(c.compilation)},"inputs":[${numbers(c.inputs)}],"start":${num(c.start)}}}`;
    }
    case "kernel":
    case "kernelUpdate":
    case "compilation":
    case "device":
    case "sweep":
    case "console":
    case "error":
    case "sync":
      break;
    default:
      ev satisfies never;
  }
  return JSON.stringify(ev);
}
