import { errorBody, type FakeReply, messageJson, streamEvents } from "./fake-anthropic-replies.ts";

export { reply, type FakeBlock, type FakeReply } from "./fake-anthropic-replies.ts";

/** One request the fake received, as sent. */
export interface FakeRequest {
  body: {
    model: string;
    max_tokens: number;
    stream?: boolean;
    system?: unknown;
    tools?: { name: string; cache_control?: unknown }[];
    messages: { role: string; content: unknown }[];
  };
  headers: Record<string, string>;
  /** The client closed the connection before the answer was complete. */
  aborted: boolean;
  /** The raw body text, to search for what must not have been sent. */
  raw: string;
  /** performance.now() when it arrived, when the first byte of the answer went out, and when the answer ended. */
  receivedAt: number;
  firstByteAt: number | null;
  doneAt: number | null;
}

/** A script step: a fixed reply, or one computed from the request (e.g. from its tool results). */
export type FakeStep = FakeReply | ((request: FakeRequest) => FakeReply);

export interface FakeAnthropic {
  /** The base URL to give the SDK (ANTHROPIC_BASE_URL). */
  url: string;
  requests: FakeRequest[];
  /** Queues replies, one per request, in order; a request with none queued gets a 500 saying so. */
  script(...steps: FakeStep[]): void;
  /** Steps queued and not yet used. */
  pending(): number;
  reset(): void;
  stop(): Promise<void>;
}

const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** What the real API checks and our use could get wrong: the key, the fields, and tool_result pairing. */
function invalid(req: FakeRequest, key: string): { status: number; type: string; message: string } | null {
  // The SDK sends the key as a bearer token; older clients send x-api-key.
  const sent = req.headers["x-api-key"] ?? req.headers.authorization?.replace(/^Bearer /, "");
  if (sent !== key) return { status: 401, type: "authentication_error", message: "invalid x-api-key" };
  const body = req.body;
  if (!body.model || !Number.isInteger(body.max_tokens) || !Array.isArray(body.messages) || body.messages.length === 0)
    return { status: 400, type: "invalid_request_error", message: "model, max_tokens and messages are required" };
  if (body.messages[0]!.role !== "user")
    return {
      status: 400,
      type: "invalid_request_error",
      message: "messages: the first message must use the user role",
    };
  for (let index = 0; index < body.messages.length; index++) {
    const message = body.messages[index]!;
    const blocks = Array.isArray(message.content)
      ? (message.content as { type: string; id?: string; tool_use_id?: string }[])
      : [];
    const uses = blocks.filter((block) => block.type === "tool_use").map((block) => block.id);
    if (message.role === "assistant" && uses.length > 0) {
      const next = body.messages[index + 1];
      const results = Array.isArray(next?.content)
        ? (next.content as { type: string; tool_use_id?: string }[]).filter((block) => block.type === "tool_result")
        : [];
      const answered = new Set(results.map((result) => result.tool_use_id));
      const missing = uses.filter((id) => !answered.has(id));
      if (next?.role !== "user" || missing.length > 0)
        return {
          status: 400,
          type: "invalid_request_error",
          message:
            `messages.${index + 1}: tool_use ids were found without tool_result blocks immediately after: ` +
            missing.join(", "),
        };
    }
  }
  return null;
}

/**
 * A local stand-in for Anthropic's Messages API (POST /v1/messages), scripted per test: it
 * streams or answers as the real API does, fails with its error shapes (429 with retry-after,
 * 529 overloaded_error, 500 api_error, an error event mid-stream) or stalls, and records every
 * request it received, including whether the client hung up early.
 */
export async function startFakeAnthropic(options: { key?: string; model?: string } = {}): Promise<FakeAnthropic> {
  const key = options.key ?? "sk-ant-test-key";
  const requests: FakeRequest[] = [];
  let steps: FakeStep[] = [];
  const holds = new Set<() => void>();

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(http) {
      const url = new URL(http.url);
      if (http.method !== "POST" || url.pathname !== "/v1/messages")
        return Response.json(errorBody("not_found_error", `Not found: ${url.pathname}`), { status: 404 });
      const receivedAt = performance.now();
      const raw = await http.text();
      let body: FakeRequest["body"];
      try {
        body = JSON.parse(raw);
      } catch {
        return Response.json(errorBody("invalid_request_error", "the body is not JSON"), { status: 400 });
      }
      const req: FakeRequest = {
        body,
        headers: Object.fromEntries(http.headers),
        aborted: false,
        raw,
        receivedAt,
        firstByteAt: null,
        doneAt: null,
      };
      requests.push(req);
      http.signal.addEventListener("abort", () => {
        req.aborted = true;
      });
      const problem = invalid(req, key);
      if (problem) return Response.json(errorBody(problem.type, problem.message), { status: problem.status });
      const step = steps.shift();
      if (!step) return Response.json(errorBody("api_error", "the fake has no reply scripted"), { status: 500 });
      const reply = typeof step === "function" ? step(req) : step;
      const model = body.model ?? options.model ?? "claude-test";
      if (reply.kind === "stall") {
        await new Promise<void>((resolve) => {
          holds.add(resolve);
          http.signal.addEventListener("abort", () => resolve());
        });
        return new Response(null, { status: 499 });
      }
      if (reply.kind === "error") {
        const headers: Record<string, string> = { "request-id": "req_fake" };
        if (reply.retryAfterSeconds !== undefined) headers["retry-after"] = String(reply.retryAfterSeconds);
        return Response.json(errorBody(reply.type, reply.message), { status: reply.status, headers });
      }
      if (reply.delayMs) await Bun.sleep(reply.delayMs);
      if (!body.stream) return Response.json(messageJson(reply, model), { headers: { "request-id": "req_fake" } });
      const events = streamEvents(reply, model);
      const encoder = new TextEncoder();
      const stream = new ReadableStream({
        async pull(controller) {
          for (let index = 0; index < events.length; index++) {
            if (req.aborted) return;
            if (reply.errorAfterEvents && index === reply.errorAfterEvents.events) {
              const { type, message } = reply.errorAfterEvents;
              controller.enqueue(encoder.encode(sse("error", errorBody(type, message))));
              controller.close();
              return;
            }
            if (reply.stallAfterEvents !== undefined && index === reply.stallAfterEvents) {
              await new Promise<void>((resolve) => {
                holds.add(resolve);
                http.signal.addEventListener("abort", () => resolve());
              });
              return;
            }
            const [name, data] = events[index]!;
            controller.enqueue(encoder.encode(sse(name, data)));
            req.firstByteAt ??= performance.now();
            if (reply.eventDelayMs) await Bun.sleep(reply.eventDelayMs);
          }
          req.doneAt = performance.now();
          controller.close();
        },
        cancel() {
          req.aborted = true;
        },
      });
      return new Response(stream, {
        headers: { "content-type": "text/event-stream", "cache-control": "no-cache", "request-id": "req_fake" },
      });
    },
  });

  return {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    script: (...more) => {
      steps.push(...more);
    },
    pending: () => steps.length,
    reset: () => {
      steps = [];
      requests.length = 0;
    },
    async stop() {
      for (const release of holds) release();
      await server.stop(true);
    },
  };
}
