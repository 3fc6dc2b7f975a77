import { describe, expect, it } from "vitest";
import { postChat, startGateway, UPSTREAM_KEYS, type Gateway } from "../helpers/gateway";

/**
 * Issue 3, content shapes: what OpenAI clients send, as the upstream receives it.
 * Every test goes through POST /v1/chat/completions and reads the simulator's log.
 */

const MODEL = "claude-sonnet-4-5";
const messagesCalls = (gw: Gateway) => gw.sim.received.filter((r) => r.method === "POST" && r.path === "/v1/messages");
const b64 = (text: string) => btoa(text);
// Tiny but real-looking payloads; the simulator checks media types and sizes, not pixels.
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

async function sentUserBlocks(gw: Gateway, content: unknown[]): Promise<any[]> {
  const res = await postChat(gw, { model: MODEL, messages: [{ role: "user", content }] });
  expect(res.status, await (res as Response).clone().text()).toBe(200);
  const call = messagesCalls(gw).at(-1)!;
  return call.body.messages.at(-1).content;
}

describe("image_url parts", () => {
  it.each(["png", "jpeg", "gif", "webp"])("a data:image/%s URL becomes a base64 image block", async (kind) => {
    const gw = startGateway();
    const [image] = await sentUserBlocks(gw, [{ type: "image_url", image_url: { url: `data:image/${kind};base64,${PNG}`, detail: "high" } }, { type: "text", text: "what is this?" }]);
    expect(image).toMatchObject({ type: "image", source: { type: "base64", media_type: `image/${kind}`, data: PNG } });
    // `detail` has no Claude equivalent and must not leak into the block.
    expect(JSON.stringify(image)).not.toContain("detail");
  });

  it("an https URL becomes a url source, and the gateway never fetches it", async () => {
    const gw = startGateway();
    const seen: string[] = [];
    const original = gw.deps.upstream;
    gw.deps.upstream = (url, init) => {
      seen.push(new URL(url).host);
      return original(url, init);
    };
    const url = "https://images.example.com/cat.png";
    const [image] = await sentUserBlocks(gw, [{ type: "image_url", image_url: { url, detail: "low" } }, { type: "text", text: "describe" }]);
    expect(image).toEqual({ type: "image", source: { type: "url", url } });
    expect(seen.every((h) => h === "api.anthropic.com")).toBe(true);
  });

  it("accepts the bare-string image_url some clients send", async () => {
    const gw = startGateway();
    const [image] = await sentUserBlocks(gw, [{ type: "image_url", image_url: `data:image/png;base64,${PNG}` }]);
    expect(image.source).toMatchObject({ type: "base64", media_type: "image/png" });
  });
});

describe("file parts", () => {
  it("a PDF data URL becomes a base64 document titled with the filename", async () => {
    const gw = startGateway();
    const data = b64("%PDF-1.7 tiny");
    const [doc] = await sentUserBlocks(gw, [{ type: "file", file: { filename: "report.pdf", file_data: `data:application/pdf;base64,${data}` } }, { type: "text", text: "summarise" }]);
    expect(doc).toEqual({ type: "document", source: { type: "base64", media_type: "application/pdf", data }, title: "report.pdf" });
  });

  it.each([
    ["notes.txt", "text/plain", "plain words"],
    ["README.md", "text/markdown", "# Title\n\n*bold*"],
    ["table.csv", "text/csv", "a,b\n1,2"],
    ["data.json", "application/json", '{"x":1}'],
    ["main.py", "text/x-python", "print('hi')"],
  ])("%s (%s) becomes a plain-text document titled with the filename", async (filename, type, text) => {
    const gw = startGateway();
    const [doc] = await sentUserBlocks(gw, [{ type: "file", file: { filename, file_data: `data:${type};base64,${b64(text)}` } }, { type: "text", text: "read it" }]);
    expect(doc).toEqual({ type: "document", source: { type: "text", media_type: "text/plain", data: text }, title: filename });
  });

  it("a file_id from POST /v1/files is sent as a file source under the key that holds it", async () => {
    const gw = startGateway();
    const form = new FormData();
    form.append("file", new Blob(["%PDF-1.7 uploaded"], { type: "application/pdf" }), "spec.pdf");
    form.append("purpose", "user_data");
    const up = await gw.fetch("/v1/files", { method: "POST", headers: { authorization: gw.auth().authorization }, body: form });
    expect(up.status).toBe(200);
    const { id } = (await up.json()) as { id: string };
    const holder = gw.sim.files.get(id)!.apiKey;

    // Several requests: round-robin alone would send some of them to the other key,
    // where the file does not exist.
    for (let n = 0; n < 4; n++) {
      const res = await postChat(gw, { model: MODEL, messages: [{ role: "user", content: [{ type: "file", file: { file_id: id } }, { type: "text", text: `page count? ${n}` }] }] });
      expect(res.status, await (res as Response).clone().text()).toBe(200);
    }
    for (const call of messagesCalls(gw)) {
      expect(call.apiKey).toBe(holder);
      expect(call.headers.get("anthropic-beta")).toContain("files-api-2025-04-14");
      expect(call.body.messages[0].content[0]).toEqual({ type: "document", source: { type: "file", file_id: id } });
    }
  });

  it("an image uploaded through /v1/files and sent as a file part reaches Claude as an image block", async () => {
    const gw = startGateway();
    const form = new FormData();
    form.append("file", new Blob([Uint8Array.from(atob(PNG), (c) => c.charCodeAt(0))], { type: "image/png" }), "dot.png");
    const { id } = (await (await gw.fetch("/v1/files", { method: "POST", headers: { authorization: gw.auth().authorization }, body: form })).json()) as { id: string };
    const [block] = await sentUserBlocks(gw, [{ type: "file", file: { file_id: id, filename: "dot.png" } }, { type: "text", text: "what colour?" }]);
    expect(block).toEqual({ type: "image", source: { type: "file", file_id: id } });
  });
});

describe("tool messages", () => {
  it("text and images inside a tool message become tool_result content", async () => {
    const gw = startGateway();
    const res = await postChat(gw, {
      model: MODEL,
      tools: [{ type: "function", function: { name: "screenshot", parameters: { type: "object", properties: {} } } }],
      messages: [
        { role: "user", content: "take a screenshot" },
        { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "screenshot", arguments: "{}" } }] },
        {
          role: "tool",
          tool_call_id: "call_1",
          content: [
            { type: "text", text: "captured" },
            { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
          ],
        },
      ],
    });
    expect(res.status, await (res as Response).clone().text()).toBe(200);
    const last = messagesCalls(gw)[0]!.body.messages.at(-1);
    expect(last.role).toBe("user");
    expect(last.content[0]).toMatchObject({
      type: "tool_result",
      tool_use_id: "call_1",
      content: [
        { type: "text", text: "captured" },
        { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
      ],
    });
  });
});

describe("bad attachments are a 400 naming the part, and never reach the upstream", () => {
  const imagePart = (url: string) => [{ type: "text", text: "look" }, { type: "image_url", image_url: { url } }];
  const cases: Array<[string, unknown[], string]> = [
    ["a malformed data URL", imagePart("data:image/png;base64"), "messages[0].content[1].image_url.url"],
    ["base64 that is not base64", imagePart("data:image/png;base64,@@not base64@@"), "messages[0].content[1].image_url.url"],
    ["an unsupported image type", imagePart(`data:image/bmp;base64,${PNG}`), "messages[0].content[1].image_url.url"],
    ["an image above 5 MB", imagePart(`data:image/png;base64,${"A".repeat(5_242_884)}`), "messages[0].content[1].image_url.url"],
    ["a non-https image URL", imagePart("http://images.example.com/cat.png"), "messages[0].content[1].image_url.url"],
    ["an ftp image URL", imagePart("ftp://images.example.com/cat.png"), "messages[0].content[1].image_url.url"],
    [
      "an unsupported file type",
      [{ type: "file", file: { filename: "a.zip", file_data: `data:application/zip;base64,${PNG}` } }],
      "messages[0].content[0].file.file_data",
    ],
    ["an unknown file_id", [{ type: "file", file: { file_id: "file_011CNha8iCJcU1wXNR6q4V8w" } }], "file_id"],
  ];
  it.each(cases)("%s", async (_, content, param) => {
    const gw = startGateway();
    const res = await postChat(gw, { model: MODEL, messages: [{ role: "user", content }] });
    expect(res.status).toBe(400);
    const err = ((await res.json()) as { error: { type: string; param: string | null; message: string } }).error;
    expect(err.type).toBe("invalid_request_error");
    expect(err.param).toBe(param);
    expect(err.message).toContain(param === "file_id" ? "file_011CNha8iCJcU1wXNR6q4V8w" : param);
    expect(messagesCalls(gw)).toHaveLength(0);
    expect(gw.sim.received.filter((r) => r.path === "/v1/files")).toHaveLength(0);
  });

  it("an image of exactly 5 MB of base64 is still accepted", async () => {
    const gw = startGateway({ UPLOAD_THRESHOLD_BYTES: "100000000" });
    const res = await postChat(gw, { model: MODEL, messages: [{ role: "user", content: [{ type: "text", text: "look" }, { type: "image_url", image_url: { url: `data:image/png;base64,${"A".repeat(5_242_880)}` } }] }] });
    expect(res.status, await (res as Response).clone().text()).toBe(200);
    expect(UPSTREAM_KEYS).toContain(messagesCalls(gw)[0]!.apiKey);
  });
});
