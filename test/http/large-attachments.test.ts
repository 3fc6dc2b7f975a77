import { describe, expect, it } from "vitest";
import { postChat, readSse, startGateway, UPSTREAM_KEYS, type Gateway } from "../helpers/gateway";
import { fakePdfBase64 } from "../../src/uploads/test-support";

/**
 * Multi-MB attachments, which the body reader decodes while the body streams in (see
 * src/attachments/extract.ts): the simulator must store exactly the client's bytes and
 * see exactly the blocks it saw before that reader existed.
 */

const MODEL = "claude-sonnet-4-5";
const MB = 1024 * 1024;
const messagesCalls = (gw: Gateway) => gw.sim.received.filter((r) => r.method === "POST" && r.path === "/v1/messages");
const uploads = (gw: Gateway) => gw.sim.received.filter((r) => r.method === "POST" && r.path === "/v1/files");
// Compared as base64 text: a deep equality over megabytes of typed array takes vitest seconds.
const base64Of = (bytes: Uint8Array) => (bytes as unknown as { toBase64(): string }).toBase64();
const PDF = fakePdfBase64(3 * MB, 7);
const IMAGE = fakePdfBase64(Math.floor(1.5 * MB), 8); // the simulator checks type and size, not pixels

function chatWith(pdf: string, image: string, extra: Record<string, unknown> = {}) {
  return {
    model: MODEL,
    ...extra,
    messages: [
      {
        role: "user",
        content: [
          { type: "file", file: { filename: "report.pdf", file_data: `data:application/pdf;base64,${pdf}` } },
          { type: "image_url", image_url: { url: `data:image/png;base64,${image}` } },
          { type: "text", text: "compare these" },
        ],
      },
    ],
  };
}

const stored = (gw: Gateway, id: string) => gw.sim.files.get(id)!;

describe("a multi-MB PDF and image in one chat request", () => {
  it.each([false, true])("are uploaded with their exact bytes and referenced by file id (stream: %s)", async (stream) => {
    const gw = startGateway();
    const res = await postChat(gw, chatWith(PDF, IMAGE, { stream }));
    expect(res.status, await (res as Response).clone().text()).toBe(200);
    if (stream) expect((await readSse(res)).raw).toContain("[DONE]");
    const [doc, image, text] = messagesCalls(gw)[0]!.body.messages[0].content;
    expect(doc).toEqual({ type: "document", source: { type: "file", file_id: expect.any(String) }, title: "report.pdf" });
    expect(image).toEqual({ type: "image", source: { type: "file", file_id: expect.any(String) } });
    expect(text.text).toBe("compare these");
    expect(stored(gw, doc.source.file_id).mime_type).toBe("application/pdf");
    expect(base64Of(stored(gw, doc.source.file_id).bytes) === PDF).toBe(true);
    expect(stored(gw, image.source.file_id).mime_type).toBe("image/png");
    expect(base64Of(stored(gw, image.source.file_id).bytes) === IMAGE).toBe(true);
  });

  it("go inline, as the client's base64, when their upload fails", async () => {
    const gw = startGateway();
    const upstream = gw.deps.upstream;
    gw.deps.upstream = (url, init) => (new URL(url).pathname === "/v1/files" ? Promise.resolve(new Response("{}", { status: 500 })) : upstream(url, init));
    const res = await postChat(gw, chatWith(PDF, IMAGE));
    expect(res.status, await (res as Response).clone().text()).toBe(200);
    const [doc, image] = messagesCalls(gw)[0]!.body.messages[0].content;
    expect(doc.source).toMatchObject({ type: "base64", media_type: "application/pdf" });
    expect(doc.source.data === PDF).toBe(true);
    expect(image.source).toMatchObject({ type: "base64", media_type: "image/png" });
    expect(image.source.data === IMAGE).toBe(true);
  });

  it("are uploaded again, from the same bytes, into the workspace of the key a failover moves to", async () => {
    const gw = startGateway();
    const upstream = gw.deps.upstream;
    let failed = false;
    gw.deps.upstream = (url, init) => {
      if (!failed && new URL(url).pathname === "/v1/messages") {
        failed = true;
        return Promise.resolve(Response.json({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }, { status: 529 }));
      }
      return upstream(url, init);
    };
    const res = await postChat(gw, chatWith(PDF, IMAGE));
    expect(res.status, await (res as Response).clone().text()).toBe(200);
    expect(uploads(gw)).toHaveLength(4);
    const files = [...gw.sim.files.values()];
    expect(new Set(files.map((f) => f.apiKey))).toEqual(new Set(UPSTREAM_KEYS));
    for (const f of files) expect(base64Of(f.bytes) === (f.mime_type === "image/png" ? IMAGE : PDF)).toBe(true);
    const [doc] = messagesCalls(gw)[0]!.body.messages[0].content;
    expect(stored(gw, doc.source.file_id).apiKey).toBe(messagesCalls(gw)[0]!.apiKey);
  });

  it("are uploaded again when the Files API lost an upload the gateway had recorded", async () => {
    const gw = startGateway();
    const first = await postChat(gw, chatWith(PDF, IMAGE));
    expect(first.status, await (first as Response).clone().text()).toBe(200);
    expect(uploads(gw)).toHaveLength(2);
    // Deleted outside the gateway (the console, a workspace clean-up): the tracker still names them.
    gw.sim.files.clear();
    const again = await postChat(gw, chatWith(PDF, IMAGE));
    expect(again.status, await (again as Response).clone().text()).toBe(200);
    expect(uploads(gw)).toHaveLength(4);
    const [doc, image] = messagesCalls(gw).at(-1)!.body.messages[0].content;
    expect(base64Of(stored(gw, doc.source.file_id).bytes) === PDF).toBe(true);
    expect(base64Of(stored(gw, image.source.file_id).bytes) === IMAGE).toBe(true);
    // And the third turn reuses the new uploads.
    const third = await postChat(gw, chatWith(PDF, IMAGE));
    expect(third.status).toBe(200);
    expect(uploads(gw)).toHaveLength(4);
  });

  it("stay inline, untouched, under a client's own key (mirror mode never offloads)", async () => {
    const gw = startGateway({ PASSTHROUGH_KEYS: "true" });
    const res = await gw.fetch("/v1/chat/completions", {
      method: "POST",
      headers: { "x-api-key": "sk-ant-client-own-key-9999", "content-type": "application/json" },
      body: JSON.stringify(chatWith(PDF, IMAGE)),
    });
    expect(res.status, await (res as Response).clone().text()).toBe(200);
    expect(uploads(gw)).toHaveLength(0);
    expect(messagesCalls(gw)[0]!.body.messages[0].content[0].source.data === PDF).toBe(true);
  });

  it("an image above 5 MB is still a 400 naming the part, counted in base64 characters", async () => {
    const gw = startGateway();
    const big = fakePdfBase64(3_932_161);
    const res = await postChat(gw, chatWith(PDF, big));
    expect(res.status).toBe(400);
    const err = ((await res.json()) as { error: { message: string; param: string } }).error;
    expect(err.param).toBe("messages[0].content[1].image_url.url");
    expect(err.message).toContain("image exceeds 5 MB maximum: 5242884 base64 characters > 5242880");
    expect(messagesCalls(gw).length + uploads(gw).length).toBe(0);
  });

  it("malformed base64 and unsupported types are 400s naming the part, as before", async () => {
    const gw = startGateway();
    const broken = `${PDF.slice(0, 2 * MB)}!${PDF.slice(2 * MB)}`;
    const bad = await postChat(gw, chatWith(broken, IMAGE));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { param: string } }).error.param).toBe("messages[0].content[0].file.file_data");
    const bmp = await postChat(gw, { model: MODEL, messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: `data:image/bmp;base64,${IMAGE}` } }] }] });
    expect(bmp.status).toBe(400);
    expect(((await bmp.json()) as { error: { message: string } }).error.message).toContain('unsupported image type "image/bmp"');
    expect(messagesCalls(gw).length + uploads(gw).length).toBe(0);
  });

  it("a data URL pasted into a text part stays text", async () => {
    // A lower threshold: a multi-MB text would not fit the context window.
    const gw = startGateway({ UPLOAD_THRESHOLD_BYTES: "65536" });
    const pasted = `data:application/pdf;base64,${fakePdfBase64(200 * 1024)}`;
    const res = await postChat(gw, { model: MODEL, messages: [{ role: "user", content: [{ type: "text", text: pasted }, { type: "text", text: `"url":"${pasted}"` }] }] });
    expect(res.status, await (res as Response).clone().text()).toBe(200);
    expect(uploads(gw)).toHaveLength(0);
    const [first, second] = messagesCalls(gw)[0]!.body.messages[0].content;
    expect(first.text === pasted).toBe(true);
    expect(second.text === `"url":"${pasted}"`).toBe(true);
  });
});
