import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

// The Worker entry itself, as `wrangler dev` runs it (vitest binds UPSTREAM=simulator
// and no keys, like `npm start` on a fresh clone).
describe("the Worker entry in simulator mode", () => {
  it("answers health without auth and says it runs on the simulator", async () => {
    const res = await SELF.fetch("http://worker.test/health");
    expect(await res.json()).toMatchObject({ status: "ok", upstream: "simulator" });
  });

  it("answers a chat offline with no configuration, and says so in a header", async () => {
    const res = await SELF.fetch("http://worker.test/v1/chat/completions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "claude-sonnet-4-5", messages: [{ role: "user", content: "Are you there?" }] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-claude2api-upstream")).toBe("simulator");
    const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]!.message.content).toContain("Are you there?");
  });
});

describe("the Worker entry across requests", () => {
  // Deps live for the isolate; Durable Object stubs must not (they belong to one request).
  it("uses the upload tracker Durable Object from more than one request", async () => {
    for (let i = 0; i < 3; i++) {
      const form = new FormData();
      form.set("purpose", "user_data");
      form.set("file", new File([`note ${i}`], `note-${i}.txt`, { type: "text/plain" }));
      const res = await SELF.fetch("http://worker.test/v1/files", { method: "POST", body: form });
      expect(res.status, await res.clone().text()).toBe(200);
    }
    const list = await SELF.fetch("http://worker.test/v1/files");
    expect(((await list.json()) as { data: unknown[] }).data.length).toBeGreaterThanOrEqual(3);
  });
});
