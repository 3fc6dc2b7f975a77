import { describe, expect, it } from "vitest";
import { startGateway, type Gateway } from "../helpers/gateway";
import { fakePdfBase64 } from "../../src/uploads/test-support";

/**
 * Multi-MB attachments through /v1/responses: the body reader decodes `input_file.file_data`
 * and `input_image.image_url` data URLs while the body streams in, as it does for chat
 * completions, so the simulator must store exactly the client's bytes and see file ids.
 */

const MODEL = "claude-sonnet-4-5";
const MB = 1024 * 1024;
const messagesCalls = (gw: Gateway) => gw.sim.received.filter((r) => r.method === "POST" && r.path === "/v1/messages");
const base64Of = (bytes: Uint8Array) => (bytes as unknown as { toBase64(): string }).toBase64();
const PDF = fakePdfBase64(3 * MB, 11);
const IMAGE = fakePdfBase64(Math.floor(1.5 * MB), 12); // the simulator checks type and size, not pixels

function responsesWith(input: unknown, extra: Record<string, unknown> = {}) {
  return { model: MODEL, max_output_tokens: 200, ...extra, input };
}

async function post(gw: Gateway, body: unknown): Promise<Response> {
  return gw.fetch("/v1/responses", { method: "POST", headers: gw.auth(), body: JSON.stringify(body) });
}

describe("/v1/responses with multi-MB attachments", () => {
  it("uploads a PDF and an image with their exact bytes and sends file ids upstream", async () => {
    const gw = startGateway();
    const res = await post(
      gw,
      responsesWith([
        {
          role: "user",
          content: [
            { type: "input_file", filename: "report.pdf", file_data: `data:application/pdf;base64,${PDF}` },
            { type: "input_image", image_url: `data:image/png;base64,${IMAGE}` },
            { type: "input_text", text: "compare these" },
          ],
        },
      ]),
    );
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe("completed");
    const [doc, image, text] = messagesCalls(gw)[0]!.body.messages[0].content;
    expect(doc.source.type).toBe("file");
    expect(image.source.type).toBe("file");
    expect(text).toMatchObject({ type: "text", text: "compare these" });
    const pdfFile = gw.sim.files.get(doc.source.file_id)!;
    const imageFile = gw.sim.files.get(image.source.file_id)!;
    expect(pdfFile.mime_type).toBe("application/pdf");
    expect(base64Of(pdfFile.bytes) === PDF).toBe(true);
    expect(base64Of(imageFile.bytes) === IMAGE).toBe(true);
  });

  it("puts a large data URL back as text where it is not an attachment (a function call's output)", async () => {
    const gw = startGateway({ UPLOAD_THRESHOLD_BYTES: "1024" });
    const small = fakePdfBase64(4096, 13);
    const output = `data:application/pdf;base64,${small}`;
    const res = await post(
      gw,
      responsesWith(
        [
          { role: "user", content: "call the tool" },
          { type: "function_call", call_id: "call_1", name: "fetch_doc", arguments: "{}" },
          { type: "function_call_output", call_id: "call_1", output },
        ],
        { tools: [{ type: "function", name: "fetch_doc", parameters: { type: "object", properties: {} } }] },
      ),
    );
    expect(res.status, (await res.clone().text()).slice(0, 300)).toBe(200);
    expect(gw.sim.files.size).toBe(0);
    const sent = JSON.stringify(messagesCalls(gw)[0]!.body.messages);
    expect(sent.includes(small)).toBe(true);
  });
});
