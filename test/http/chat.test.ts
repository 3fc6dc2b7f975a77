import { describe, expect, it } from "vitest";
import { postChat, readSse, startGateway, UPSTREAM_KEYS, CLIENT_KEY, type Gateway } from "../helpers/gateway";

type Chunk = { id: string; object: string; created: number; model: string; choices: Array<{ index: number; delta: Record<string, unknown>; finish_reason: string | null }>; usage?: Record<string, unknown> | null };
type Completion = { id: string; object: string; model: string; choices: Array<{ index: number; message: { role: string; content: string | null }; finish_reason: string }>; usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number; prompt_tokens_details?: { cached_tokens: number } } };

const messagesCalls = (gw: Gateway) => gw.sim.received.filter((r) => r.method === "POST" && r.path === "/v1/messages");
const hello = { model: "claude-sonnet-4-5", messages: [{ role: "user", content: "Hello there" }] };

describe("POST /v1/chat/completions, non-stream", () => {
  it("answers in OpenAI shape with the model as asked and usage that adds up", async () => {
    const gw = startGateway();
    const res = await postChat(gw, hello);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    const body = (await res.json()) as Completion;
    expect(body.id).toMatch(/^chatcmpl-/);
    expect(body.object).toBe("chat.completion");
    expect(body.model).toBe("claude-sonnet-4-5");
    expect(body.choices[0]!.message.role).toBe("assistant");
    expect(body.choices[0]!.message.content).toContain("Hello there");
    expect(body.choices[0]!.finish_reason).toBe("stop");
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
    expect(body.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it("sends the upstream a valid Messages request: version, system, max_tokens default, stop, user", async () => {
    const gw = startGateway();
    const res = await postChat(gw, {
      model: "claude-sonnet-4-5",
      messages: [
        { role: "system", content: "Be terse." },
        { role: "developer", content: [{ type: "text", text: "Answer in English." }] },
        { role: "user", content: "one" },
        { role: "user", content: [{ type: "text", text: "two" }] },
      ],
      stop: "END",
      user: "user-42",
      temperature: 1.7,
      min_p: 0.1,
      service_tier: "auto",
      prediction: { type: "content", content: "x" },
      seed: 3,
    });
    expect(res.status).toBe(200);
    const [call] = messagesCalls(gw);
    expect(call!.headers.get("anthropic-version")).toBe("2023-06-01");
    const sent = call!.body;
    expect(JSON.stringify(sent.system)).toContain("Be terse.");
    expect(JSON.stringify(sent.system)).toContain("Answer in English.");
    expect(sent.messages).toHaveLength(1); // consecutive user turns merged
    expect(JSON.stringify(sent.messages[0])).toContain("one");
    expect(JSON.stringify(sent.messages[0])).toContain("two");
    expect(sent.max_tokens).toBeGreaterThan(0);
    expect(sent.max_tokens).toBeLessThanOrEqual(64000);
    expect(sent.stop_sequences).toEqual(["END"]);
    expect(sent.metadata).toEqual({ user_id: "user-42" });
    expect(sent.temperature).toBeLessThanOrEqual(1);
    expect(sent.stream).toBeFalsy();
    for (const field of ["min_p", "service_tier", "prediction", "seed"]) expect(sent).not.toHaveProperty(field);
  });

  it("never asks for more output than the model allows", async () => {
    const gw = startGateway();
    expect((await postChat(gw, { ...hello, max_tokens: 1_000_000 })).status).toBe(200);
    expect((await postChat(gw, { ...hello, max_completion_tokens: 123 })).status).toBe(200);
    const [a, b] = messagesCalls(gw);
    expect(a!.body.max_tokens).toBe(64000);
    expect(b!.body.max_tokens).toBe(123);
  });

  it.each([
    ["end_turn", "stop"],
    ["stop_sequence", "stop"],
    ["max_tokens", "length"],
    ["model_context_window_exceeded", "length"],
    ["refusal", "content_filter"],
  ])("maps stop_reason %s to finish_reason %s", async (stop, finish) => {
    const gw = startGateway();
    gw.sim.script({ content: [{ type: "text", text: "ok" }], stop_reason: stop });
    const body = (await (await postChat(gw, hello)).json()) as Completion;
    expect(body.choices[0]!.finish_reason).toBe(finish);
  });

  it("counts cache reads and writes into prompt_tokens and reports cached_tokens", async () => {
    const gw = startGateway();
    gw.sim.script({ content: [{ type: "text", text: "ok" }], usage: { input_tokens: 10, cache_read_input_tokens: 1000, cache_creation_input_tokens: 200, output_tokens: 5 } });
    const body = (await (await postChat(gw, hello)).json()) as Completion;
    expect(body.usage.prompt_tokens).toBe(1210);
    expect(body.usage.completion_tokens).toBe(5);
    expect(body.usage.total_tokens).toBe(1215);
    expect(body.usage.prompt_tokens_details?.cached_tokens).toBe(1000);
  });
});

describe("POST /v1/chat/completions, stream", () => {
  it("follows the streaming contract: role first, one id, no event lines, finish, usage chunk, [DONE]", async () => {
    const gw = startGateway();
    const res = await postChat(gw, { ...hello, stream: true, stream_options: { include_usage: true } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const { events, raw } = await readSse(res);
    expect(raw).not.toMatch(/^event:/m);
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1) as Chunk[];
    expect(chunks[0]!.choices[0]!.delta).toEqual({ role: "assistant", content: "" });
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(chunks[0]!.id).toMatch(/^chatcmpl-/);
    for (const c of chunks) expect(c.model).toBe("claude-sonnet-4-5");
    const usageChunk = chunks.at(-1)!;
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) });
    const finish = chunks.at(-2)!;
    expect(finish.choices[0]!.finish_reason).toBe("stop");
    for (const c of chunks.slice(0, -1)) expect(c.usage ?? null).toBeNull();
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(text).toContain("Hello there");
    for (const c of chunks) {
      const kinds = Object.keys(c.choices[0]?.delta ?? {}).filter((k) => ["content", "reasoning_content", "tool_calls"].includes(k));
      expect(kinds.length).toBeLessThanOrEqual(1);
    }
    expect(messagesCalls(gw)[0]!.body.stream).toBe(true);
  });

  it("sends no usage chunk unless asked", async () => {
    const gw = startGateway();
    const { events } = await readSse(await postChat(gw, { ...hello, stream: true }));
    const chunks = events.slice(0, -1) as Chunk[];
    expect(chunks.every((c) => c.choices.length === 1)).toBe(true);
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe("stop");
  });

  it("reports an upstream error in the middle of a stream inside the stream, then ends it", async () => {
    const gw = startGateway();
    gw.sim.fault("*", { kind: "error-mid-stream", afterEvents: 4 });
    const res = await postChat(gw, { ...hello, stream: true });
    expect(res.status).toBe(200);
    const { events } = await readSse(res);
    const err = events.find((e) => typeof e === "object" && e !== null && "error" in e) as { error: { message: string } } | undefined;
    expect(err?.error.message).toMatch(/overloaded/i);
    expect(events.at(-1)).toBe("[DONE]");
  });

  it("ends the client's stream promptly when the upstream connection drops", async () => {
    const gw = startGateway();
    gw.sim.fault("*", { kind: "drop-mid-stream", afterEvents: 4 });
    const { events } = await readSse(await postChat(gw, { ...hello, stream: true }));
    const err = events.find((e) => typeof e === "object" && e !== null && "error" in e) as { error: { message: string } } | undefined;
    expect(err?.error.message).toBeTruthy();
    const finishes = (events.filter((e) => typeof e === "object" && e && "choices" in e) as Chunk[]).map((c) => c.choices[0]?.finish_reason).filter(Boolean);
    expect(finishes).not.toContain("stop");
  });

  it("aborts the upstream request when the client goes away", async () => {
    const signals: AbortSignal[] = [];
    const gw = startGateway({}, { streamDelayMs: 20 });
    const original = gw.deps.upstream;
    gw.deps.upstream = (url, init) => {
      signals.push(init.signal!);
      return original(url, init);
    };
    const client = new AbortController();
    const res = await gw.fetch("/v1/chat/completions", {
      method: "POST",
      headers: gw.auth(),
      body: JSON.stringify({ ...hello, stream: true }),
      signal: client.signal,
    });
    const reader = res.body!.getReader();
    await reader.read();
    client.abort();
    await reader.cancel().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    expect(signals.at(-1)?.aborted).toBe(true);
  });
});

describe("bad input never reaches the upstream", () => {
  const cases: Array<[string, unknown, string | null]> = [
    ["missing messages", { model: "claude-sonnet-4-5" }, "messages"],
    ["empty messages", { model: "claude-sonnet-4-5", messages: [] }, "messages"],
    ["an unknown role", { model: "claude-sonnet-4-5", messages: [{ role: "bot", content: "x" }] }, "messages[0].role"],
    ["an unknown content type", { model: "claude-sonnet-4-5", messages: [{ role: "user", content: [{ type: "video", video: "x" }] }] }, "messages[0].content[0].type"],
    ["a wrongly typed field", { model: "claude-sonnet-4-5", messages: [{ role: "user", content: "x" }], temperature: "hot" }, "temperature"],
    ["n > 1", { model: "claude-sonnet-4-5", messages: [{ role: "user", content: "x" }], n: 2 }, "n"],
    ["a missing model", { messages: [{ role: "user", content: "x" }] }, "model"],
  ];
  it.each(cases)("%s is a 400 naming the field", async (_, body, param) => {
    const gw = startGateway();
    const res = await postChat(gw, body);
    expect(res.status).toBe(400);
    const err = ((await res.json()) as { error: { message: string; type: string; param: string | null } }).error;
    expect(err.type).toBe("invalid_request_error");
    expect(err.param).toBe(param);
    expect(messagesCalls(gw)).toHaveLength(0);
  });

  it("invalid JSON is a 400", async () => {
    const gw = startGateway();
    const res = await gw.fetch("/v1/chat/completions", { method: "POST", headers: gw.auth(), body: "{not json" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/JSON/);
    expect(messagesCalls(gw)).toHaveLength(0);
  });

  it("an unknown model is a 404 model_not_found", async () => {
    const gw = startGateway();
    const res = await postChat(gw, { ...hello, model: "gpt-4o" });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("model_not_found");
    expect(messagesCalls(gw)).toHaveLength(0);
  });

  it("a bad streaming request is answered with a JSON error, not a stream", async () => {
    const gw = startGateway();
    const res = await postChat(gw, { model: "claude-sonnet-4-5", messages: [], stream: true });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/json");
  });
});

describe("upstream trouble keeps its truth", () => {
  it("a 400 from Anthropic stays a 400 with Anthropic's message", async () => {
    const gw = startGateway();
    gw.sim.script({ error: { status: 400, type: "invalid_request_error", message: "messages: text content blocks must be non-empty" } });
    const res = await postChat(gw, hello);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("text content blocks must be non-empty");
  });

  it("429 on every key stays 429 and keeps retry-after", async () => {
    const gw = startGateway();
    gw.sim.fault("*", { status: 429, retryAfterSeconds: 7 });
    const res = await postChat(gw, hello);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe("rate_limit_error");
  });

  it.each([
    [529, 503],
    [500, 502],
    [504, 504],
  ])("upstream %i becomes a retryable %i", async (upstreamStatus, status) => {
    const gw = startGateway({ MAX_UPSTREAM_ATTEMPTS: "1" });
    gw.sim.fault("*", { status: upstreamStatus as 529 });
    const res = await postChat(gw, hello);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toContain("application/json");
  });

  it("a refused gateway key is a 5xx that tells the operator, without the key", async () => {
    const gw = startGateway();
    gw.sim.fault("*", { status: 401 });
    const res = await postChat(gw, hello);
    expect(res.status).toBeGreaterThanOrEqual(500);
    const text = await res.text();
    expect(text).toMatch(/ANTHROPIC_API_KEYS/);
    for (const k of UPSTREAM_KEYS) expect(text).not.toContain(k);
  });

  it("a network failure is a clear 502", async () => {
    const gw = startGateway();
    gw.sim.fault("*", { kind: "network" });
    const res = await postChat(gw, hello);
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/reach/i);
  });

  it("an upstream that never answers is a 504 after UPSTREAM_TIMEOUT_MS", async () => {
    const gw = startGateway({ UPSTREAM_TIMEOUT_MS: "50", MAX_UPSTREAM_ATTEMPTS: "1" });
    gw.sim.fault("*", { kind: "delay", ms: 5000 });
    const res = await postChat(gw, hello);
    expect(res.status).toBe(504);
  });

  it("no key ever appears in responses, headers or log lines", async () => {
    const gw = startGateway();
    gw.sim.fault(UPSTREAM_KEYS[0]!, { status: 401 });
    gw.sim.fault(UPSTREAM_KEYS[1]!, { status: 429, retryAfterSeconds: 3 });
    const res = await postChat(gw, hello);
    const everything = [await res.text(), JSON.stringify([...res.headers]), JSON.stringify(gw.logs)].join("\n");
    await gw.settle();
    for (const k of [...UPSTREAM_KEYS, CLIENT_KEY]) expect(everything).not.toContain(k);
  });
});

describe("hostile bodies", () => {
  it("refuses a body declared above MAX_REQUEST_BYTES (100 MB) with a 413 before parsing it", async () => {
    const gw = startGateway();
    const res = await gw.fetch("/v1/chat/completions", {
      method: "POST",
      headers: gw.auth({ "content-length": String(101_000_000) }),
      body: "{}",
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("request_too_large");
    expect(messagesCalls(gw)).toHaveLength(0);
  });

  it.each([
    ["a JSON array", "[]"],
    ["a JSON string", '"hi"'],
    ["null", "null"],
    ["messages as an object", JSON.stringify({ model: "claude-sonnet-4-5", messages: { role: "user" } })],
    ["a message that is a number", JSON.stringify({ model: "claude-sonnet-4-5", messages: [42] })],
    ["__proto__ keys", '{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"x","__proto__":{"admin":true}}],"__proto__":{"n":5}}'],
  ])("answers %s with a 4xx JSON error, never a 500", async (_, body) => {
    const gw = startGateway();
    const res = await gw.fetch("/v1/chat/completions", { method: "POST", headers: gw.auth(), body });
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get("content-type")).toContain("application/json");
  });
});
