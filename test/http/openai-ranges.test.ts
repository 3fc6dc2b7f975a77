import { describe, expect, it } from "vitest";
import OpenAI from "openai";
import { CLIENT_KEY, startGateway, type Gateway } from "../helpers/gateway";

/**
 * Numbers out of OpenAI's range are refused as OpenAI's own API refuses them: a 400 with
 * OpenAI's wording, `param` and `code`, and nothing sent upstream. Valid values keep
 * working (temperature 1–2 is clamped to Claude's 1, as the README says).
 */

const MODEL = "claude-sonnet-4-5";
type Json = Record<string, unknown>;

interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

const upstreamCalls = (gw: Gateway) => gw.sim.received.filter((r) => r.path === "/v1/messages").length;

async function post(gw: Gateway, path: string, body: Json): Promise<Response> {
  return gw.fetch(path, { method: "POST", headers: gw.auth(), body: JSON.stringify(body) });
}

const chat = (extra: Json): Json => ({ model: MODEL, messages: [{ role: "user", content: "hi" }], ...extra });
const responses = (extra: Json): Json => ({ model: MODEL, input: "hi", ...extra });

type Case = [field: string, value: number, message: string, code: string];

const sampling: Case[] = [
  ["temperature", 5, "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 5 instead.", "decimal_above_max_value"],
  ["temperature", 1e308, "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 1e+308 instead.", "decimal_above_max_value"],
  ["temperature", -0.5, "Invalid 'temperature': decimal below minimum value. Expected a value >= 0, but got -0.5 instead.", "decimal_below_min_value"],
  ["top_p", 1.5, "Invalid 'top_p': decimal above maximum value. Expected a value <= 1, but got 1.5 instead.", "decimal_above_max_value"],
  ["top_p", -1, "Invalid 'top_p': decimal below minimum value. Expected a value >= 0, but got -1 instead.", "decimal_below_min_value"],
];

const chatOnly: Case[] = [
  ["presence_penalty", 3, "Invalid 'presence_penalty': decimal above maximum value. Expected a value <= 2, but got 3 instead.", "decimal_above_max_value"],
  ["presence_penalty", -2.5, "Invalid 'presence_penalty': decimal below minimum value. Expected a value >= -2, but got -2.5 instead.", "decimal_below_min_value"],
  ["frequency_penalty", 1e308, "Invalid 'frequency_penalty': decimal above maximum value. Expected a value <= 2, but got 1e+308 instead.", "decimal_above_max_value"],
  ["frequency_penalty", -3, "Invalid 'frequency_penalty': decimal below minimum value. Expected a value >= -2, but got -3 instead.", "decimal_below_min_value"],
  ["max_tokens", 0, "Invalid 'max_tokens': integer below minimum value. Expected a value >= 1, but got 0 instead.", "integer_below_min_value"],
  ["max_tokens", -15335, "Invalid 'max_tokens': integer below minimum value. Expected a value >= 1, but got -15335 instead.", "integer_below_min_value"],
  ["max_completion_tokens", 0, "Invalid 'max_completion_tokens': integer below minimum value. Expected a value >= 1, but got 0 instead.", "integer_below_min_value"],
];

const responsesOnly: Case[] = [
  ["max_output_tokens", 0, "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 1, but got 0 instead.", "integer_below_min_value"],
  ["max_output_tokens", -1, "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 1, but got -1 instead.", "integer_below_min_value"],
];

async function expectRangeError(gw: Gateway, res: Response, [field, , message, code]: Case, stream: boolean): Promise<void> {
  const text = await res.text();
  expect(res.status, text).toBe(400);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  expect(JSON.parse(text) as OpenAIErrorBody).toEqual({ error: { message, type: "invalid_request_error", param: field, code } });
  expect(upstreamCalls(gw), `stream: ${stream}`).toBe(0);
}

describe("POST /v1/chat/completions: numbers out of OpenAI's range", () => {
  it.each([...sampling, ...chatOnly])("%s = %s is OpenAI's 400", async (...c) => {
    for (const stream of [false, true]) {
      const gw = startGateway();
      await expectRangeError(gw, await post(gw, "/v1/chat/completions", chat({ [c[0]]: c[1], stream })), c, stream);
    }
  });

  it("the openai SDK sees OpenAI's BadRequestError with param and code", async () => {
    const gw = startGateway();
    const client = new OpenAI({ apiKey: CLIENT_KEY, baseURL: "http://gateway.test/v1", fetch: gw.fetch as typeof fetch, maxRetries: 0 });
    const err = await client.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "hi" }], temperature: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).param).toBe("temperature");
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).code).toBe("decimal_above_max_value");
    expect(upstreamCalls(gw)).toBe(0);
  });

  it.each<[Json, Json]>([
    // The edges are OpenAI-valid; temperature is clamped into Claude's 0–1.
    [{ temperature: 2 }, { temperature: 1 }],
    [{ temperature: 1.6 }, { temperature: 1 }],
    [{ temperature: 0 }, { temperature: 0 }],
    [{ top_p: 1 }, { top_p: 1 }],
    [{ top_p: 0 }, { top_p: 0 }],
    [{ presence_penalty: -2, frequency_penalty: 2 }, {}],
    [{ max_tokens: 1 }, { max_tokens: 1 }],
    [{ max_completion_tokens: 1 }, { max_tokens: 1 }],
  ])("%j is in range and reaches the upstream as %j", async (extra, sent) => {
    const gw = startGateway();
    const res = await post(gw, "/v1/chat/completions", chat(extra));
    expect(res.status, await res.clone().text()).toBe(200);
    const body = gw.sim.received.filter((r) => r.path === "/v1/messages").at(-1)?.body as Json;
    expect(body).toMatchObject(sent);
    expect(body).not.toHaveProperty("presence_penalty");
  });
});

describe("POST /v1/responses: numbers out of OpenAI's range", () => {
  it.each([...sampling, ...responsesOnly])("%s = %s is OpenAI's 400", async (...c) => {
    for (const stream of [false, true]) {
      const gw = startGateway();
      await expectRangeError(gw, await post(gw, "/v1/responses", responses({ [c[0]]: c[1], stream })), c, stream);
    }
  });

  it("temperature 2 and max_output_tokens 1 are in range", async () => {
    const gw = startGateway();
    const res = await post(gw, "/v1/responses", responses({ temperature: 2, max_output_tokens: 1 }));
    expect(res.status, await res.clone().text()).toBe(200);
    expect(gw.sim.received.filter((r) => r.path === "/v1/messages").at(-1)?.body).toMatchObject({ temperature: 1, max_tokens: 1 });
  });
});
