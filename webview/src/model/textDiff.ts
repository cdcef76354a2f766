// A line diff of two pass IRs for the standalone page's Diff button (in VS Code the editor's own
// diff view is used). Longest common subsequence over lines; past 4 million cells (2,000 × 2,000
// lines) it compares the changed middle only after trimming the common head and tail, which is
// what passes change anyway. DOM-free.

export interface DiffLine {
  kind: "same" | "added" | "removed";
  text: string;
}

export function diffLines(before: string, after: string): DiffLine[] {
  const a = before.split("\n");
  const b = after.split("\n");
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const am = a.slice(head, a.length - tail);
  const bm = b.slice(head, b.length - tail);
  const out: DiffLine[] = a.slice(0, head).map((text) => ({ kind: "same", text }));
  if (am.length * bm.length > 4_000_000) {
    out.push(
      ...am.map((text) => ({ kind: "removed" as const, text })),
      ...bm.map((text) => ({ kind: "added" as const, text })),
    );
  } else {
    // lcs[i][j]: length of the LCS of am[i:] and bm[j:].
    const w = bm.length + 1;
    const lcs = new Uint32Array((am.length + 1) * w);
    for (let i = am.length - 1; i >= 0; i--) {
      for (let j = bm.length - 1; j >= 0; j--) {
        lcs[i * w + j] =
          am[i] === bm[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < am.length || j < bm.length) {
      if (i < am.length && j < bm.length && am[i] === bm[j]) {
        out.push({ kind: "same", text: am[i]! });
        i++;
        j++;
      }
      // Removals before additions, as a unified diff reads.
      else if (i < am.length && (j >= bm.length || lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!))
        out.push({ kind: "removed", text: am[i++]! });
      else out.push({ kind: "added", text: bm[j++]! });
    }
  }
  out.push(...a.slice(a.length - tail).map((text) => ({ kind: "same" as const, text })));
  return out;
}

/** Unified text: "  " same, "- " removed, "+ " added. */
export function unifiedText(lines: readonly DiffLine[]): string {
  return lines.map((l) => `${l.kind === "same" ? " " : l.kind === "added" ? "+" : "-"} ${l.text}`).join("\n");
}
