import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import Anthropic, { APIError, RateLimitError } from "@anthropic-ai/sdk";
import { type FakeAnthropic, reply, startFakeAnthropic } from "@hivematrix/lib/testing/fake-anthropic";

/** The fake speaks the protocol the official SDK parses: the SDK itself is the judge here. */
describe("the fake Messages API, read by the official SDK", () => {
  let fake: FakeAnthropic;
  let sdk: Anthropic;
  const base = { model: "claude-test", max_tokens: 100, messages: [{ role: "user" as const, content: "Hi" }] };

  beforeAll(async () => {
    fake = await startFakeAnthropic();
    sdk = new Anthropic({ apiKey: "sk-ant-test-key", baseURL: fake.url, maxRetries: 0 });
  });
  afterAll(() => fake.stop());

  test("streams text and a tool call that MessageStream assembles", async () => {
    fake.script({
      kind: "message",
      blocks: [{ text: "Let me look that up." }, { tool: "list_tickets", input: { company: "ACME-001", limit: 5 } }],
      stopReason: "tool_use",
      usage: { input_tokens: 321, cache_read_input_tokens: 200 },
    });
    const stream = sdk.messages.stream(base);
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    const message = await stream.finalMessage();
    expect(types[0]).toBe("message_start");
    expect(types).toContain("content_block_delta");
    expect(types.slice(-2)).toEqual(["message_delta", "message_stop"]);
    expect(message.content).toMatchObject([
      { type: "text", text: "Let me look that up." },
      { type: "tool_use", name: "list_tickets", input: { company: "ACME-001", limit: 5 } },
    ]);
    expect(message.stop_reason).toBe("tool_use");
    expect(message.usage).toMatchObject({ input_tokens: 321, cache_read_input_tokens: 200 });
    expect(fake.requests.at(-1)!.body.stream).toBe(true);
  });

  test("answers a request without stream as one message", async () => {
    fake.script(reply.text("Hello there!"));
    const message = await sdk.messages.create(base);
    expect(message.content).toMatchObject([{ type: "text", text: "Hello there!" }]);
    expect(message.stop_reason).toBe("end_turn");
  });

  test("errors in Anthropic's shape: 429 with retry-after, 529 overloaded, 500, mid-stream overloaded", async () => {
    fake.script(reply.rateLimited(7), reply.overloaded(), reply.serverError());
    const e429 = await sdk.messages.create(base).catch((error) => error);
    expect(e429).toBeInstanceOf(RateLimitError);
    expect([e429.status, e429.type, e429.headers.get("retry-after")]).toEqual([429, "rate_limit_error", "7"]);
    const e529 = await sdk.messages.create(base).catch((error) => error);
    expect([e529.status, e529.type]).toEqual([529, "overloaded_error"]);
    const e500 = await sdk.messages.create(base).catch((error) => error);
    expect([e500.status, e500.type]).toEqual([500, "api_error"]);
    fake.script({
      kind: "message",
      blocks: [{ text: "partial answer here" }],
      errorAfterEvents: { events: 4, type: "overloaded_error", message: "Overloaded" },
    });
    const broken = await (async () => {
      for await (const _ of await sdk.messages.create({ ...base, stream: true })) {
        // reading until it breaks
      }
    })().catch((error) => error);
    expect(broken).toBeInstanceOf(APIError);
    expect(broken.type).toBe("overloaded_error");
  });

  test("a stall holds the request until the client gives up, and the fake sees it hang up", async () => {
    fake.script(reply.stall());
    const started = Date.now();
    const error = await sdk.messages
      .create({ ...base, stream: true }, { signal: AbortSignal.timeout(300) })
      .catch((thrown) => thrown);
    expect(error).toBeInstanceOf(Error);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await Bun.sleep(50);
    expect(fake.requests.at(-1)!.aborted).toBe(true);
  });

  test("refuses a wrong key and a tool_use left without its tool_result, as the API does", async () => {
    const wrong = new Anthropic({ apiKey: "sk-ant-wrong", baseURL: fake.url, maxRetries: 0 });
    expect((await wrong.messages.create(base).catch((error) => error)).status).toBe(401);
    const unanswered = await sdk.messages
      .create({
        ...base,
        messages: [
          { role: "user", content: "Hi" },
          { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "x", input: {} }] },
          { role: "user", content: "and?" },
        ],
      })
      .catch((error) => error);
    expect([unanswered.status, unanswered.type]).toEqual([400, "invalid_request_error"]);
  });
});
