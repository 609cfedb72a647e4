import { afterAll, beforeAll, beforeEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { reply } from "@hivematrix/lib/testing/fake-anthropic";
import { type BrainhairUnderTest, ENGINES, type Event, readEvents, startBrainhair, type Who } from "./harness.ts";

setDefaultTimeout(90_000);

const tech: Who = { level: "technician", user: "tess" };

for (const engine of ENGINES) {
  describe(`model errors and Stop (${engine})`, () => {
    let bh: BrainhairUnderTest;

    beforeAll(async () => {
      // Long enough for the retries of the first test, short enough that the 529s run out in seconds.
      bh = await startBrainhair(engine, {
        env: { BRAINHAIR_MODEL_DEADLINE_SECONDS: "12", BRAINHAIR_MODEL_IDLE_SECONDS: "1" },
      });
    });
    afterAll(() => bh.stop());
    beforeEach(() => bh.fake.reset());

    const ask = async (text: string, on?: (event: Event, chat: string) => Promise<void>) => {
      const chat = ((await (await bh.call(tech, "POST", "/api/chats", {})).json()) as { id: string }).id;
      const res = await bh.call(tech, "POST", `/api/chats/${chat}/messages`, { text });
      expect(res.status).toBe(200);
      const events = await readEvents(res, (event) => on?.(event, chat));
      const notices = events.filter((event) => event.type === "notice").map((event) => String(event.text));
      return { chat, events, notices, done: events.at(-1) };
    };

    test("429 with retry-after, 500, an error mid-stream and a stall are retried, then the answer comes", async () => {
      bh.fake.script(
        reply.rateLimited(1),
        reply.serverError(),
        {
          kind: "message",
          blocks: [{ text: "A broken answer" }],
          errorAfterEvents: { events: 4, type: "overloaded_error", message: "Overloaded" },
        },
        reply.stall(),
        reply.text("All good now."),
      );
      const started = Date.now();
      const { events, done } = await ask("Hello?");
      expect(done).toEqual({ type: "done", status: "done" });
      expect(events.filter((event) => event.type === "retry")).toHaveLength(4);
      expect(events.find((event) => event.type === "answer")).toMatchObject({ html: "<p>All good now.</p>\n" });
      expect(bh.fake.requests).toHaveLength(5);
      // retry-after: 1 was honoured, and the stall was given up after BRAINHAIR_MODEL_IDLE_SECONDS (1).
      expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
      expect(bh.fake.requests[3]!.aborted).toBe(true);
    });

    test("529 overloaded until the deadline: a clear message in the chat, never a 500", async () => {
      bh.fake.script(...Array.from({ length: 10 }, () => reply.overloaded()));
      const { notices, done, chat } = await ask("Hello?");
      expect(done).toEqual({ type: "done", status: "failed" });
      expect(notices.at(-1)).toMatch(/overloaded.*Gave up after \d+ tries/);
      const detail = (await (await bh.call(tech, "GET", `/api/chats/${chat}`)).json()) as {
        messages: { role: string; text: string }[];
      };
      expect(detail.messages.at(-1)).toMatchObject({ role: "notice" });
    });

    test("a refused key is said plainly and not retried", async () => {
      bh.fake.script(reply.error(401, "authentication_error", "invalid x-api-key"));
      const { notices, done } = await ask("Hello?");
      expect(done).toMatchObject({ status: "failed" });
      expect(notices.at(-1)).toContain("ANTHROPIC_API_KEY");
      expect(bh.fake.requests).toHaveLength(1);
    });

    test("Stop mid-stream ends the stream and the model's request; what was shown stays", async () => {
      bh.fake.script({ kind: "message", blocks: [{ text: "word ".repeat(400) }], chunk: 5, eventDelayMs: 20 });
      let stopped = false;
      const { done, chat } = await ask("Write a lot", async (event, id) => {
        if (event.type === "text" && !stopped) {
          stopped = true;
          expect((await (await bh.call(tech, "POST", `/api/chats/${id}/stop`)).json()).stopped).toBe(true);
        }
      });
      expect(done).toEqual({ type: "done", status: "stopped" });
      await Bun.sleep(100);
      expect(bh.fake.requests[0]!.aborted).toBe(true);
      const detail = (await (await bh.call(tech, "GET", `/api/chats/${chat}`)).json()) as {
        messages: { role: string; text: string }[];
        running: boolean;
      };
      expect(detail.running).toBe(false);
      expect(detail.messages.map((message) => message.role)).toEqual(["user", "assistant", "notice"]);
      expect(detail.messages[1]!.text.length).toBeLessThan(2000);
      // The chat goes on after a stop.
      bh.fake.script(reply.text("Back again."));
      const next = await readEvents(await bh.call(tech, "POST", `/api/chats/${chat}/messages`, { text: "Go on" }));
      expect(next.at(-1)).toEqual({ type: "done", status: "done" });
    });

    test("a second message while the assistant still answers is a 409, not a second turn", async () => {
      bh.fake.script({ kind: "message", blocks: [{ text: "slow ".repeat(50) }], chunk: 5, eventDelayMs: 20 });
      const chat = ((await (await bh.call(tech, "POST", "/api/chats", {})).json()) as { id: string }).id;
      const first = bh.call(tech, "POST", `/api/chats/${chat}/messages`, { text: "One" });
      const res = await first;
      const second = await bh.call(tech, "POST", `/api/chats/${chat}/messages`, { text: "Two" });
      expect(second.status).toBe(409);
      await readEvents(res);
    });
  });
}

describe("without an Anthropic key", () => {
  let bh: BrainhairUnderTest;
  beforeAll(async () => {
    bh = await startBrainhair("sqlite", { key: false });
  });
  afterAll(() => bh.stop());

  test("Brainhair starts, its pages say what to configure, and sending is a clear 503", async () => {
    const health = (await (await fetch(`${bh.url}/health`)).json()) as { status: string; key: string };
    expect(health).toMatchObject({ status: "ok", key: "none" });
    const page = await bh.call(tech, "GET", "/", undefined, { accept: "text/html" });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("ANTHROPIC_API_KEY");
    const chat = ((await (await bh.call(tech, "POST", "/api/chats", {})).json()) as { id: string }).id;
    const res = await bh.call(tech, "POST", `/api/chats/${chat}/messages`, { text: "Hello" });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: "model_not_configured",
    });
  });
});
