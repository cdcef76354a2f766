// Finding `jit(` call sites in source text, skipping comments and strings, so CodeLens sits over
// real calls only. A scanner (not a parser): it blanks comments and string literals, keeping
// offsets, then matches `jit(` not preceded by an identifier character or a dot-less member.

export interface JitSite {
  /** 1-based line and column of the `j` of `jit`. */
  line: number;
  column: number;
}

/** Replaces comments and string/template literal contents by spaces, keeping newlines. */
export function blankCommentsAndStrings(text: string): string {
  const out = text.split("");
  let i = 0;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to && k < out.length; k++) if (out[k] !== "\n") out[k] = " ";
  };
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === "/" && next === "/") {
      const end = text.indexOf("\n", i);
      const stop = end === -1 ? text.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === "/" && next === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end === -1 ? text.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === '"' || c === "'" || c === "`") {
      let k = i + 1;
      while (k < text.length && text[k] !== c) {
        if (text[k] === "\\") k++;
        else if (c !== "`" && text[k] === "\n") break; // unterminated: stop at the line end
        k++;
      }
      blank(i + 1, k);
      i = k + 1;
    } else {
      i++;
    }
  }
  return out.join("");
}

/** Every `jit(` call (also `jit (`, `jitscope.jit(`, `js.jit(`), but not `myjit(` or `jitter(`. */
export function findJitSites(text: string): JitSite[] {
  const code = blankCommentsAndStrings(text);
  const sites: JitSite[] = [];
  const pattern = /(?<![\w$])jit\s*\(/g;
  let lineStart = 0;
  let line = 1;
  let scanned = 0;
  for (let m = pattern.exec(code); m; m = pattern.exec(code)) {
    for (; scanned < m.index; scanned++) {
      if (code[scanned] === "\n") {
        line++;
        lineStart = scanned + 1;
      }
    }
    // `function jit(` is a definition, not a call.
    if (/\bfunction\s+$/.test(code.slice(Math.max(0, m.index - 20), m.index))) continue;
    sites.push({ line, column: m.index - lineStart + 1 });
  }
  return sites;
}
