import { SELF } from "cloudflare:test";
import { expect, inject, it } from "vitest";

it("runs inside workerd with the recorded fixtures provided", async () => {
  const res = await SELF.fetch("http://x/");
  expect(await res.text()).toBe("ok");
  expect(navigator.userAgent).toBe("Cloudflare-Workers");
  expect(Object.keys(inject("recordedFixtures"))).toContain("anthropic-text.json");
});
