import type { Logger, RequestScope } from "../deps";
import type { KeyEvent, KeySnapshot, KeyStateStore } from "./store";
import { MemoryKeyStateStore } from "./store";

/** A request scope whose waitUntil work can be awaited, as the runtime would after the response. */
export function testScope(signal: AbortSignal = new AbortController().signal): RequestScope & { drain(): Promise<void>; waited: number } {
  const pending: Promise<unknown>[] = [];
  return {
    signal,
    waited: 0,
    waitUntil(p) {
      this.waited++;
      pending.push(p);
    },
    async drain() {
      while (pending.length) await Promise.allSettled(pending.splice(0));
    },
  };
}

/** Captures every log line so tests can look for what must not be there. */
export function captureLog(): Logger & { lines: { level: string; event: string; fields?: Record<string, unknown> }[]; text(): string } {
  const lines: { level: string; event: string; fields?: Record<string, unknown> }[] = [];
  return {
    lines,
    info: (event, fields) => void lines.push({ level: "info", event, fields }),
    warn: (event, fields) => void lines.push({ level: "warn", event, fields }),
    error: (event, fields) => void lines.push({ level: "error", event, fields }),
    text: () => JSON.stringify(lines),
  };
}

/** A store that counts calls; `hang` makes every call wait forever, like a stuck Durable Object. */
export class CountingStore implements KeyStateStore {
  readonly inner: MemoryKeyStateStore;
  reports = 0;
  snapshots = 0;
  hang = false;
  constructor(now: () => number = Date.now) {
    this.inner = new MemoryKeyStateStore(now);
  }
  get calls(): number {
    return this.reports + this.snapshots;
  }
  report(events: KeyEvent[]): Promise<void> {
    this.reports++;
    return this.hang ? new Promise(() => {}) : this.inner.report(events);
  }
  snapshot(): Promise<KeySnapshot> {
    this.snapshots++;
    return this.hang ? new Promise(() => {}) : this.inner.snapshot();
  }
  enable(keyHash: string): Promise<boolean> {
    return this.inner.enable(keyHash);
  }
}

/** A clock the test moves by hand: no real waiting, no timed assertions. */
export function manualClock(start = 1_000_000): { now: () => number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}
