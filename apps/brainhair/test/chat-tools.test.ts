import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { reply } from "@hivematrix/lib/testing/fake-anthropic";
import { type BrainhairUnderTest, ENGINES, readEvents, startBrainhair, toolResults } from "./harness.ts";

setDefaultTimeout(60_000);

for (const engine of ENGINES) {
  describe(`a chat that reads with tools (${engine})`, () => {
    let bh: BrainhairUnderTest;
    const tech = { level: "technician" as const, user: "tess" };

    beforeAll(async () => {
      bh = await startBrainhair(engine);
    });
    afterAll(() => bh.stop());

    const newChat = async (who = tech) => {
      const res = await bh.call(who, "POST", "/api/chats", {});
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: string }).id;
    };

    test("a read tool answers with Codex data, and the model saw the tool's result", async () => {
      const codex = (await (
        await bh.appCall("codex", tech, "GET", "/api/tickets?company=ACME-001&open=true")
      ).json()) as {
        items: { id: number; subject: string }[];
      };
      expect(codex.items.length).toBeGreaterThan(0);
      bh.fake.script(reply.tool("list_tickets", { company: "ACME-001", open: true }), (req) => {
        const results = toolResults(req.body);
        return reply.text(`Found: ${results.length} result`);
      });
      const chat = await newChat();
      const res = await bh.call(tech, "POST", `/api/chats/${chat}/messages`, {
        text: "Which open tickets does ACME-001 have?",
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/event-stream");
      const events = await readEvents(res);
      expect(events.map((event) => event.type)).toContain("answer");
      expect(events.find((event) => event.type === "tool")).toMatchObject({ tool: "list_tickets", kind: "read" });
      expect(events.at(-1)).toEqual({ type: "done", status: "done" });
      const second = bh.fake.requests.at(-1)!;
      const [result] = toolResults(second.body);
      for (const ticket of codex.items.slice(0, 3)) expect(result).toContain(String(ticket.id));
      expect(result).toContain('"status":200');
      // The system prompt and the tools are marked for prompt caching.
      expect(JSON.stringify(second.body.system)).toContain("cache_control");
      expect(second.body.tools!.at(-1)!.cache_control).toEqual({ type: "ephemeral" });
      const stored = (await (await bh.call(tech, "GET", `/api/chats/${chat}`)).json()) as {
        messages: { role: string; was_filtered: boolean; filter_levels: string[] }[];
        tool_calls: { tool: string; decision: string; result_status: number }[];
        usage: { input: number };
      };
      expect(stored.tool_calls).toMatchObject([{ tool: "list_tickets", decision: "not_needed", result_status: 200 }]);
      expect(stored.messages.find((message) => message.role === "tool_results")).toMatchObject({ was_filtered: true });
      expect(stored.usage.input).toBeGreaterThan(0);
    });

    test("without JavaScript: the form sends, the page shows the answer, and the card's form approves", async () => {
      const html = { accept: "text/html", "content-type": "application/x-www-form-urlencoded" };
      const csrf = await bh.csrf(tech);
      bh.fake.script(reply.text("Hello from a form."));
      const sent = await bh.call(
        tech,
        "POST",
        "/chats",
        new URLSearchParams({ _csrf: csrf, text: "Hi there" }).toString(),
        html,
      );
      expect(sent.status).toBe(303);
      const page = await bh.call(tech, "GET", sent.headers.get("location")!, undefined, { accept: "text/html" });
      expect(await page.text()).toContain("<p>Hello from a form.</p>");
      const chat = sent.headers.get("location")!.split("/").at(-1)!;
      const tickets = (await (
        await bh.appCall("codex", tech, "GET", "/api/tickets?company=ACME-001&limit=1")
      ).json()) as {
        items: { id: number }[];
      };
      const ticket = tickets.items[0]!.id;
      const note = `A note from a form ${Date.now()}`;
      bh.fake.script(reply.tool("add_ticket_note", { id: ticket, body: note }), reply.text("Noted."));
      const asked = await bh.call(
        tech,
        "POST",
        `/chats/${chat}/messages`,
        new URLSearchParams({ _csrf: csrf, text: "Add a note" }).toString(),
        html,
      );
      expect(asked.status).toBe(303);
      const withCard = await (await bh.call(tech, "GET", `/chats/${chat}`, undefined, { accept: "text/html" })).text();
      const approval = /action="\/chats\/[^/]+\/approvals\/([0-9a-f-]+)"/.exec(withCard)![1]!;
      const hash = /name="input_hash" value="([0-9a-f]{64})"/.exec(withCard)![1]!;
      expect(withCard).toContain('http-equiv="refresh"');
      const decided = await bh.call(
        tech,
        "POST",
        `/chats/${chat}/approvals/${approval}`,
        new URLSearchParams({ _csrf: csrf, decision: "approve", input_hash: hash }).toString(),
        html,
      );
      expect(decided.status).toBe(303);
      const after = await (await bh.call(tech, "GET", `/chats/${chat}`, undefined, { accept: "text/html" })).text();
      expect(after).toContain("Noted.");
      const codex = (await (await bh.appCall("codex", tech, "GET", `/api/tickets/${ticket}`)).json()) as {
        conversation: { body: string }[];
      };
      expect(codex.conversation.map((entry) => entry.body)).toContain(note);
    });
  });
}

describe("api_operation reaches any other operation by name, checked against its schema (sqlite)", () => {
  let bh: BrainhairUnderTest;
  const tech = { level: "technician" as const, user: "tess" };
  beforeAll(async () => {
    bh = await startBrainhair("sqlite");
  });
  afterAll(() => bh.stop());

  test("find, describe and call a read; bad input, unknown and excluded operations are told, not run", async () => {
    bh.fake.script(
      reply.tool("find_operations", { app: "codex", q: "locations" }),
      reply.tool("describe_operation", { app: "codex", operation: "GET /api/companies/{acct}/locations" }),
      reply.tool("api_operation", {
        app: "codex",
        operation: "GET /api/companies/{acct}/locations",
        params: { acct: "ACME-001" },
      }),
      reply.tool("api_operation", { app: "codex", operation: "GET /api/tickets", query: { limit: 0 } }),
      reply.tool("api_operation", { app: "codex", operation: "GET /api/nothing-here" }),
      reply.tool("api_operation", { app: "brainhair", operation: "POST /api/approvals/{id}/decision" }),
      reply.text("Done."),
    );
    const chat = ((await (await bh.call(tech, "POST", "/api/chats", {})).json()) as { id: string }).id;
    await readEvents(await bh.call(tech, "POST", `/api/chats/${chat}/messages`, { text: "Where is ACME?" }));
    const [found, described, called, badInput, unknown, excluded] = toolResults(bh.fake.requests.at(-1)!.body);
    expect(found).toContain("GET /api/companies/{acct}/locations");
    expect(described).toContain("path_params");
    expect(JSON.parse(called!)).toMatchObject({ status: 200 });
    expect(badInput).toContain("query/limit must be >= 1");
    expect(unknown).toContain("has no operation");
    expect(excluded).toContain("Only the person decides an approval");
    const detail = (await (await bh.call(tech, "GET", `/api/chats/${chat}`)).json()) as {
      tool_calls: { tool: string; decision: string; operation: string | null }[];
    };
    expect(detail.tool_calls.map((call) => call.decision)).toEqual([
      "not_needed",
      "not_needed",
      "not_needed",
      "invalid",
      "invalid",
      "invalid",
    ]);
    expect(detail.tool_calls[2]!.operation).toBe("codex GET /api/companies/{acct}/locations");
  });
});
