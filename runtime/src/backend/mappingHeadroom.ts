// Bind groups made while JavaScript never yields are never freed: Dawn's Node bindings release a
// collected bind group from a task of the event loop, and Dawn reuses its descriptor set only
// after a later submit has completed and the device has ticked, also from the event loop. A loop
// of eager ops, or of jitted calls whose arguments are new arrays every time, makes one or more
// per step; lavapipe backs every descriptor set with its own memory mapping, and past Linux's
// vm.max_map_count (65,530) the next mapping fails and the process dies inside the driver
// (SIGSEGV, no message: an eager loop of 8 ops died after about 7,000 steps). So the backend
// counts what it makes in one turn of the event loop, checks the process's mappings now and
// then, and, with a few thousand left and still growing, refuses the next op with an error that
// says what to do. Dawn never gives a descriptor pool's mappings back, it reuses a freed set for
// a new bind group of the same layout: once the loop has yielded (and V8 has collected the old
// bind groups, which the backend asks for when mappings run low), the loop's bind groups reuse
// them and the count stops growing, so a loop that yields now and then goes on.

import { readFileSync } from "node:fs";

/** The process's memory mappings and the most it may have. */
export interface Mappings {
  readonly used: number;
  readonly limit: number;
}

/** Mappings to keep free: the checks' spacing, a descriptor pool's 512 sets, and the buffers,
 *  staging copies and pipelines a few more ops may map. */
export const RESERVE_MAPPINGS = 12_000;
/** Bind groups made between two checks. */
export const CHECK_EVERY = 2048;
/** New mappings between two checks that count as growing (the rest reused freed sets). */
export const GROWING = CHECK_EVERY / 4;

let maxMapCount: number | null | undefined;

/** Linux's count of this process's mappings and vm.max_map_count; null where there is no /proc. */
export function linuxMappings(): Mappings | null {
  try {
    maxMapCount ??= Number(readFileSync("/proc/sys/vm/max_map_count", "utf8").trim()) || null;
    if (maxMapCount === null) return null;
    const maps = readFileSync("/proc/self/maps");
    let used = 0;
    for (let i = 0; i < maps.length; i++) if (maps[i] === 10) used++;
    return { used, limit: maxMapCount };
  } catch {
    maxMapCount = null;
    return null;
  }
}

export class MappingHeadroom {
  /** Bind groups made since JavaScript last yielded to the event loop. */
  private madeThisTurn = 0;
  /** Why the next op must not run, until the event loop turns. */
  exhausted: string | null = null;

  /** Mappings at the last check. */
  private lastUsed: number | null = null;

  constructor(
    private readonly read: () => Mappings | null = linuxMappings,
    /** Asks V8 to collect (at the next array made), so the bind groups nobody holds can be freed
     *  at the next turn. */
    private readonly relieve: () => void = () => {},
  ) {}

  /** One more bind group was made. */
  noteMade(): void {
    if (this.madeThisTurn++ === 0) setImmediate(() => this.endTurn()).unref();
    if (this.madeThisTurn % CHECK_EVERY !== 0 || this.exhausted) return;
    const m = this.read();
    if (!m) return;
    const growing = this.lastUsed === null || m.used >= this.lastUsed + GROWING;
    this.lastUsed = m.used;
    const left = m.limit - m.used;
    if (left > 2 * RESERVE_MAPPINGS || !growing) return;
    this.relieve();
    if (left > RESERVE_MAPPINGS) return;
    this.exhausted =
      `the program made ${this.madeThisTurn.toLocaleString("en-US")} GPU bind groups without yielding to the event loop, ` +
      `and the process has ${m.used.toLocaleString("en-US")} of its ${m.limit.toLocaleString("en-US")} memory mappings in use ` +
      `(Linux's vm.max_map_count; on lavapipe every bind group holds one). Dawn frees bind groups only when JavaScript yields, ` +
      `so one more op could crash the process. Let the loop wait now and then, e.g. \`await loss.item()\` or ` +
      `\`await x.blockUntilReady()\` every few hundred steps (an \`await\` of a plain value does not yield); ` +
      `a jitted step that returns new parameters for old ones makes none once it donates them ` +
      `(\`jit(step, { donate_argnums: 0 })\`), and an eager loop makes far fewer under \`jit\``;
  }

  private endTurn(): void {
    this.madeThisTurn = 0;
    this.exhausted = null;
  }
}
