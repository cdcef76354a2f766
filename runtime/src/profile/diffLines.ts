// Which line of the old run is which line of the new one. Reports carry no source text, so lines
// are aligned by what they carry: the distinct ops (and `jit(` sites) on each line, in file order.
// A longest common subsequence of those signatures anchors the unchanged lines, so inserted or
// deleted lines shift the rest without losing them; between two anchors, lines left over pair in
// order when both sides have as many (an edited line), else by the ops they share.

export type LineSignatures = Map<number, string[]>;

/** Above this many lines on a side the alignment falls back to equal line numbers. */
const MAX_ALIGNED_LINES = 4000;

/** old line → new line for one file. */
export function alignLines(old: LineSignatures, now: LineSignatures): Map<number, number> {
  const a = [...old.keys()].sort((x, y) => x - y);
  const b = [...now.keys()].sort((x, y) => x - y);
  const map = new Map<number, number>();
  if (a.length > MAX_ALIGNED_LINES || b.length > MAX_ALIGNED_LINES) {
    for (const l of a) if (now.has(l)) map.set(l, l);
    return map;
  }
  const sa = a.map((l) => old.get(l)!.join(","));
  const sb = b.map((l) => now.get(l)!.join(","));

  // LCS table from the ends, so the walk below goes forward.
  const n = a.length;
  const m = b.length;
  const dp = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--)
      dp[i]![j] = sa[i] === sb[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
  }
  const anchors: [number, number][] = [];
  for (let i = 0, j = 0; i < n && j < m;) {
    if (sa[i] === sb[j]) anchors.push([i++, j++]);
    else if (dp[i + 1]![j]! >= dp[i]![j + 1]!) i++;
    else j++;
  }

  let pi = 0;
  let pj = 0;
  for (const [i, j] of [...anchors, [n, m] as [number, number]]) {
    pairGap(a.slice(pi, i), b.slice(pj, j), old, now, map);
    if (i < n) map.set(a[i]!, b[j]!);
    pi = i + 1;
    pj = j + 1;
  }
  return map;
}

/** Lines between two anchors: in order when the counts agree, else by shared ops, in order. */
function pairGap(a: number[], b: number[], old: LineSignatures, now: LineSignatures, map: Map<number, number>): void {
  if (a.length === 0 || b.length === 0) return;
  if (a.length === b.length) {
    a.forEach((l, i) => map.set(l, b[i]!));
    return;
  }
  let from = 0;
  for (const l of a) {
    const ops = new Set(old.get(l)!);
    for (let j = from; j < b.length; j++) {
      if (now.get(b[j]!)!.some((op) => ops.has(op))) {
        map.set(l, b[j]!);
        from = j + 1;
        break;
      }
    }
  }
}
