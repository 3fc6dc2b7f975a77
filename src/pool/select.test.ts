import { describe, expect, it } from "vitest";
import { AFFINITY_SLACK, selectKey, type SelectableKey } from "./select";

const key = (id: string, over: Partial<SelectableKey> = {}): SelectableKey => ({ id, cooldownUntil: 0, backoffUntil: 0, disabled: false, inFlight: 0, lastPicked: 0, ...over });
const none = new Set<string>();

describe("selectKey", () => {
  it("picks the key with the least in-flight load", () => {
    const keys = [key("a", { inFlight: 3 }), key("b", { inFlight: 1 }), key("c", { inFlight: 2 })];
    expect(selectKey(keys, 1000, none)).toEqual({ id: "b" });
  });

  it("breaks ties by the key picked longest ago", () => {
    const keys = [key("a", { lastPicked: 5 }), key("b", { lastPicked: 2 }), key("c", { lastPicked: 9 })];
    expect(selectKey(keys, 1000, none)).toEqual({ id: "b" });
  });

  it("skips cooling, disabled and already tried keys", () => {
    const keys = [key("a", { cooldownUntil: 2000 }), key("b", { disabled: true }), key("c", { inFlight: 9 }), key("d")];
    expect(selectKey(keys, 1000, new Set(["d"]))).toEqual({ id: "c" });
  });

  it("treats a cooldown that has ended as healthy", () => {
    expect(selectKey([key("a", { cooldownUntil: 1000 })], 1000, none)).toEqual({ id: "a" });
  });

  it("answers the wait until the soonest recovery when every usable key cools", () => {
    const keys = [key("a", { cooldownUntil: 31_000 }), key("b", { cooldownUntil: 6_000 }), key("c", { disabled: true })];
    expect(selectKey(keys, 1000, none)).toEqual({ waitMs: 5_000 });
  });

  it("prefers a healthy key to one backing off after failures, even a busier one", () => {
    const keys = [key("a", { backoffUntil: 6_000 }), key("b", { inFlight: 5 })];
    expect(selectKey(keys, 1000, none)).toEqual({ id: "b" });
    expect(selectKey(keys, 1000, none, "conversation")).toEqual({ id: "b" });
  });

  it("tries the key whose back-off ends first (half-open) rather than refusing, when no key is healthy", () => {
    const keys = [key("a", { disabled: true }), key("b", { cooldownUntil: 31_000 }), key("c", { backoffUntil: 9_000 }), key("d", { backoffUntil: 4_000, inFlight: 3 })];
    expect(selectKey(keys, 1000, none)).toEqual({ id: "d" });
    expect(selectKey(keys, 1000, new Set(["d"]))).toEqual({ id: "c" });
    // Only rate limits (a known recovery time) and disabled keys leave nothing to try.
    expect(selectKey(keys, 1000, new Set(["c", "d"]))).toEqual({ waitMs: 30_000 });
  });

  it("answers none when every key is disabled or tried, or there are none", () => {
    expect(selectKey([key("a", { disabled: true }), key("b")], 1000, new Set(["b"]))).toEqual({ none: true });
    expect(selectKey([], 1000, none)).toEqual({ none: true });
  });

  describe("with a conversation affinity", () => {
    const pick = (keys: SelectableKey[], affinity: string) => (selectKey(keys, 1000, none, affinity) as { id: string }).id;

    it("keeps a conversation on one key whatever the round-robin order", () => {
      const first = pick([key("a"), key("b"), key("c")], "chat-1");
      for (const order of [[5, 1, 3], [1, 5, 3], [3, 1, 5]]) {
        const keys = ["a", "b", "c"].map((id, i) => key(id, { lastPicked: order[i]! }));
        expect(pick(keys, "chat-1")).toBe(first);
      }
    });

    it("spreads different conversations over the keys", () => {
      const used = new Set(Array.from({ length: 30 }, (_, n) => pick([key("a"), key("b"), key("c")], `chat-${n}`)));
      expect(used).toEqual(new Set(["a", "b", "c"]));
    });

    it("moves to another usable key while its own key cools, is disabled or was tried", () => {
      const own = pick([key("a"), key("b")], "chat-1");
      const other = own === "a" ? "b" : "a";
      expect(pick([key(own, { cooldownUntil: 5000 }), key(other)], "chat-1")).toBe(other);
      expect(pick([key(own, { disabled: true }), key(other)], "chat-1")).toBe(other);
      expect(selectKey([key("a"), key("b")], 1000, new Set([own]), "chat-1")).toEqual({ id: other });
    });

    it("gives way to load when its key is clearly busier than the least-loaded one", () => {
      const own = pick([key("a"), key("b")], "chat-1");
      const other = own === "a" ? "b" : "a";
      expect(pick([key(own, { inFlight: AFFINITY_SLACK }), key(other)], "chat-1")).toBe(own);
      expect(pick([key(own, { inFlight: AFFINITY_SLACK + 1 }), key(other)], "chat-1")).toBe(other);
    });
  });
});
