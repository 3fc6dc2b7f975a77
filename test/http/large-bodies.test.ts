import { describe, expect, it } from "vitest";
import { startGateway, type Gateway } from "../helpers/gateway";
import { fakePdfBase64 } from "../../src/uploads/test-support";
import { trackedBody } from "../helpers/tracked-body";

/**
 * Bodies up to MAX_REQUEST_BYTES (default 100,000,000: the Workers limit on the Free and
 * Pro plans) and beyond it, on the Workers path (a web Request, as workerd hands it over).
 * A 25 MB PDF sent inline (a ~34 MB JSON body, above Anthropic's own 32 MB request limit)
 * reaches the Files API offload. A body over the limit is answered 413 after the rest of
 * it has been read and thrown away (within bounds), not cancelled: cancelling is what
 * closed the connection under a client still sending (test/node/large-bodies.test.ts
 * shows the client side over a real socket).
 */

const MODEL = "claude-sonnet-4-5";
const MB = 1024 * 1024;
const uploads = (gw: Gateway) => gw.sim.received.filter((r) => r.method === "POST" && r.path === "/v1/files");
const messagesCalls = (gw: Gateway) => gw.sim.received.filter((r) => r.method === "POST" && r.path === "/v1/messages");
const base64Of = (bytes: Uint8Array) => (bytes as unknown as { toBase64(): string }).toBase64();

/**
 * The request reached the upstream with the PDF as a file reference. The simulator prices
 * a 25 MB PDF at some 650,000 prompt tokens, more than a context window, so its answer
 * is that 400 (as Anthropic's would be); what matters is that it is not the gateway's 413.
 */
function expectPastTheBodyLimit(text: string, status: number): void {
  if (status === 200) return;
  expect(status, text.slice(0, 300)).toBe(400);
  expect(JSON.parse(text)).toMatchObject({ error: { code: "context_length_exceeded" } });
}

describe("a 25 MB PDF inline (a ~34 MB JSON body)", () => {
  const pdf = fakePdfBase64(25 * MB, 11);

  it("POST /v1/chat/completions: accepted and offloaded to the Files API", async () => {
    const gw = startGateway();
    const body = JSON.stringify({
      model: MODEL,
      max_tokens: 32,
      messages: [{ role: "user", content: [{ type: "file", file: { filename: "big.pdf", file_data: `data:application/pdf;base64,${pdf}` } }, { type: "text", text: "summarise" }] }],
    });
    expect(body.length).toBeGreaterThan(34_000_000);
    const res = await gw.fetch("/v1/chat/completions", { method: "POST", headers: gw.auth(), body });
    expectPastTheBodyLimit(await res.text(), res.status);
    expect(uploads(gw)).toHaveLength(1);
    const [doc] = messagesCalls(gw)[0]!.body.messages[0].content;
    expect(doc.source).toEqual({ type: "file", file_id: expect.any(String) });
    expect(base64Of(gw.sim.files.get(doc.source.file_id)!.bytes) === pdf).toBe(true);
  });

  it("POST /v1/responses: accepted and offloaded to the Files API", async () => {
    const gw = startGateway();
    const body = JSON.stringify({
      model: MODEL,
      max_output_tokens: 32,
      input: [{ role: "user", content: [{ type: "input_file", filename: "big.pdf", file_data: `data:application/pdf;base64,${pdf}` }, { type: "input_text", text: "summarise" }] }],
    });
    const res = await gw.fetch("/v1/responses", { method: "POST", headers: gw.auth(), body });
    expectPastTheBodyLimit(await res.text(), res.status);
    expect(uploads(gw)).toHaveLength(1);
    expect(JSON.stringify(messagesCalls(gw)[0]!.body)).not.toContain(pdf.slice(0, 1000));
  });
});


const LIMIT = 2_000_000;
const CASES: [string, string, string, Record<string, string>][] = [
  ["/v1/chat/completions", `{"model":"${MODEL}","messages":[{"role":"user","content":"`, `"}]}`, { "content-type": "application/json" }],
  ["/v1/responses", `{"model":"${MODEL}","input":"`, `"}`, { "content-type": "application/json" }],
  ["/v1/messages", `{"model":"${MODEL}","max_tokens":16,"messages":[{"role":"user","content":"`, `"}]}`, { "content-type": "application/json" }],
  [
    "/v1/files",
    `--b\r\ncontent-disposition: form-data; name="purpose"\r\n\r\nuser_data\r\n--b\r\ncontent-disposition: form-data; name="file"; filename="x.pdf"\r\ncontent-type: application/pdf\r\n\r\n`,
    `\r\n--b--\r\n`,
    { "content-type": "multipart/form-data; boundary=b" },
  ],
];

async function send(gw: Gateway, path: string, body: ReadableStream<Uint8Array> | string, headers: Record<string, string>): Promise<Response> {
  const { "content-type": _, ...auth } = gw.auth();
  return gw.fetch(path, { method: "POST", headers: { ...auth, ...headers }, body, duplex: "half" } as RequestInit);
}

describe("a body over MAX_REQUEST_BYTES on the Workers path", () => {
  it.each(CASES)("%s: a 413 JSON error, after the rest of the body was read to its end (drained, not cancelled)", async (path, head, tail, headers) => {
    const gw = startGateway({ MAX_REQUEST_BYTES: String(LIMIT) });
    const { stream, state } = trackedBody(head, 3 * LIMIT, tail);
    const res = await send(gw, path, stream, headers);
    const text = await res.text();
    expect(res.status, text.slice(0, 300)).toBe(413);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(text).toContain(String(LIMIT));
    expect(state).toMatchObject({ ended: true, cancelled: false });
    expect(gw.sim.received.filter((r) => r.method === "POST")).toEqual([]);
  });

  it.each(CASES)("%s: the same body under the limit goes through", async (path, head, tail, headers) => {
    const gw = startGateway({ MAX_REQUEST_BYTES: String(LIMIT) });
    const { stream, state } = trackedBody(head, 1000, tail);
    const res = await send(gw, path, stream, headers);
    expect(res.status, (await res.text()).slice(0, 300)).toBe(200);
    expect(state.ended).toBe(true);
  });

  it("a declared content-length over the limit is refused before the body is parsed", async () => {
    const gw = startGateway({ MAX_REQUEST_BYTES: String(LIMIT) });
    const body = `{"model":"${MODEL}","messages":[{"role":"user","content":"${"x".repeat(3 * LIMIT)}"}]}`;
    const res = await send(gw, "/v1/chat/completions", body, { "content-type": "application/json", "content-length": String(body.length) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: "request_too_large", message: expect.stringContaining("content-length declares") } });
  });

  it("draining is bounded: a body declared far past what may be drained is cancelled, not read", async () => {
    const gw = startGateway({ MAX_REQUEST_BYTES: String(LIMIT) });
    const { stream, state } = trackedBody(CASES[0]![1], 3 * LIMIT, CASES[0]![2]);
    // 10 GB declared: draining it could not finish within bounds (src/http/discard-body.ts, tested there).
    const res = await send(gw, "/v1/chat/completions", stream, { "content-type": "application/json", "content-length": String(10 * 1024 ** 3) });
    expect(res.status).toBe(413);
    expect(state.ended).toBe(false);
  });

  it("the default limit is 100,000,000 bytes", async () => {
    const gw = startGateway();
    expect(gw.deps.config.MAX_REQUEST_BYTES).toBe(100_000_000);
  });
});
