// What V8 charges for finding a caller's line, the profiler's floor per eager op (an eager op
// needs its own line: one kernel per call site). Each variant runs from a user-like frame four
// calls above the capture (np.multiply -> binary -> bind1 -> bind), hot (back to back) and cold
// (16 MiB of memory touched between captures, as a loop that waits for lavapipe after every op
// leaves the caches). Figures in µs per capture, median of 5 runs.
// Run: node --import tsx bench/dev/stack_capture_cost.ts

let sink = 0;
const sitesOnly = (_e: Error, sites: NodeJS.CallSite[]) => sites;

/** Captures `limit` frames below `below`; reads the stack as call sites when `read`. */
function capture(limit: number, below: (...a: never[]) => unknown, read: boolean): void {
  const holder: { stack?: unknown } = {};
  const prev = Error.stackTraceLimit;
  Error.stackTraceLimit = limit;
  Error.captureStackTrace(holder, below);
  Error.stackTraceLimit = prev;
  if (!read) return;
  const prepare = Error.prepareStackTrace;
  Error.prepareStackTrace = sitesOnly;
  const sites = holder.stack as NodeJS.CallSite[];
  Error.prepareStackTrace = prepare;
  for (const s of sites) sink += s.getFileName()?.length ?? 0;
  const user = sites[sites.length - 1];
  if (user) sink += (user.getLineNumber() ?? 0) + (user.getColumnNumber() ?? 0);
}

let variant: () => void = () => {};
function bind(): void {
  variant();
}
function bind1(): void {
  bind();
}
function binary(): void {
  bind1();
}
function multiply(): void {
  binary();
}

const VARIANTS: Record<string, () => void> = {
  "no frames (the fixed cost)": () => capture(0, bind, false),
  "1 frame, not read": () => capture(1, bind, false),
  "4 frames, not read": () => capture(4, bind, false),
  "1 frame below np.multiply, read": () => capture(1, multiply, true),
  "4 frames, read (what a profiled eager op does)": () => capture(4, bind, true),
  "8 frames, read": () => capture(8, bind, true),
};

const thrash = new Float64Array(2 * 1024 * 1024);
function run(n: number, cold: boolean): number {
  let spent = 0;
  for (let i = 0; i < n; i++) {
    if (cold) for (let j = 0; j < thrash.length; j += 8) thrash[j]! += 1;
    const t0 = performance.now();
    multiply();
    spent += performance.now() - t0;
  }
  return (spent * 1000) / n;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
console.log("| capture | hot, µs | cold, µs |\n|---|---|---|");
for (const [name, f] of Object.entries(VARIANTS)) {
  variant = f;
  run(20_000, false);
  const hot = median(Array.from({ length: 5 }, () => run(100_000, false)));
  const cold = median(Array.from({ length: 5 }, () => run(400, true)));
  console.log(`| ${name} | ${hot.toFixed(2)} | ${cold.toFixed(2)} |`);
}
if (sink === 42) console.log("");
