
/**
 * The shared side of the key pool: what every isolate reports and reads back. Keys are
 * known here only by a SHA-256 hash (to match them up) and their last four characters
 * (for the operator), never in clear.
 */

/** What one isolate learned about a key since its last report. */
export interface KeyEvent {
  keyHash: string;
  hint: string;
  requests: number;
  failures: number;
  cooldownUntil?: number;
  disabled?: { reason: string; at: number };
  lastError?: { message: string; at: number };
}

export interface SharedKeyState {
  keyHash: string;
  hint: string;
  cooldownUntil: number;
  disabledReason: string | null;
  disabledAt: number | null;
  requests: number;
  failures: number;
  lastError: string | null;
  lastErrorAt: number | null;
  updatedAt: number;
}

export interface KeySnapshot {
  takenAt: number;
  keys: SharedKeyState[];
}

/** KeyPoolDO on Workers, MemoryKeyStateStore on Node / self-host. */
export interface KeyStateStore {
  report(events: KeyEvent[]): Promise<void>;
  snapshot(): Promise<KeySnapshot>;
  /** The operator's "this key works again": clears the disabled flag; false when the key was not known. */
  enable(keyHash: string): Promise<boolean>;
}

/**
 * Merges one report into the stored state. Order-insensitive where it can be
 * (counts add, cooldowns take the later end), so reports that arrive late or twice
 * from different isolates do not undo each other.
 */
export function mergeEvent(prev: SharedKeyState | undefined, e: KeyEvent, now: number): SharedKeyState {
  const base: SharedKeyState = prev ?? {
    keyHash: e.keyHash,
    hint: e.hint,
    cooldownUntil: 0,
    disabledReason: null,
    disabledAt: null,
    requests: 0,
    failures: 0,
    lastError: null,
    lastErrorAt: null,
    updatedAt: now,
  };
  const newerError = e.lastError && (base.lastErrorAt === null || e.lastError.at >= base.lastErrorAt);
  return {
    ...base,
    hint: e.hint,
    cooldownUntil: Math.max(base.cooldownUntil, e.cooldownUntil ?? 0),
    // The first rejection is the one the operator needs to see; later ones repeat it.
    disabledReason: base.disabledReason ?? e.disabled?.reason ?? null,
    disabledAt: base.disabledAt ?? e.disabled?.at ?? null,
    requests: base.requests + e.requests,
    failures: base.failures + e.failures,
    lastError: newerError ? e.lastError!.message : base.lastError,
    lastErrorAt: newerError ? e.lastError!.at : base.lastErrorAt,
    updatedAt: now,
  };
}

/** In-process store for Node and self-host: one process is one "isolate", so this is all the sharing there is. */
export class MemoryKeyStateStore implements KeyStateStore {
  private readonly states = new Map<string, SharedKeyState>();
  constructor(private readonly now: () => number = Date.now) {}

  async report(events: KeyEvent[]): Promise<void> {
    const now = this.now();
    for (const e of events) this.states.set(e.keyHash, mergeEvent(this.states.get(e.keyHash), e, now));
  }

  async snapshot(): Promise<KeySnapshot> {
    return { takenAt: this.now(), keys: [...this.states.values()].map((s) => ({ ...s })) };
  }

  async enable(keyHash: string): Promise<boolean> {
    const s = this.states.get(keyHash);
    if (!s) return false;
    this.states.set(keyHash, { ...s, disabledReason: null, disabledAt: null, updatedAt: this.now() });
    return true;
  }
}
