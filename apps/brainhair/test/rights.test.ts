import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { reply } from "@hivematrix/lib/testing/fake-anthropic";
import { type BrainhairUnderTest, ENGINES, readEvents, startBrainhair, toolResults, type Who } from "./harness.ts";

setDefaultTimeout(90_000);

/** The tools act with the person's own rights: what the apps refuse them, the assistant cannot do either. */
for (const engine of ENGINES) {
  describe(`the person's rights, not the assistant's (${engine})`, () => {
    let bh: BrainhairUnderTest;
    const client: Who = { level: "client", user: "cleo", company: "ACME-001" };
    const tech: Who = { level: "technician", user: "tess" };
    const admin: Who = { level: "admin", user: "ada" };
    let other: { account_number: string; name: string };
    let otherTickets: { id: number; subject: string }[];

    beforeAll(async () => {
      bh = await startBrainhair(engine, { helm: true });
      const companies = (await (await bh.appCall("codex", admin, "GET", "/api/companies?limit=50")).json()) as {
        items: { account_number: string; name: string }[];
      };
      other = companies.items.find((company) => company.account_number !== "ACME-001")!;
      otherTickets = (
        (await (
          await bh.appCall("codex", admin, "GET", `/api/tickets?company=${other.account_number}&limit=20`)
        ).json()) as {
          items: { id: number; subject: string }[];
        }
      ).items;
    });
    afterAll(() => bh.stop());

    const ask = async (who: Who, text: string) => {
      const chat = ((await (await bh.call(who, "POST", "/api/chats", {})).json()) as { id: string }).id;
      const events = await readEvents(
        await bh.call(who, "POST", `/api/chats/${chat}/messages`, { text }),
        async (event) => {
          if (event.type === "approval")
            await bh.call(
              who,
              "POST",
              String(event.decide_url).replace(/^\/brainhair/, ""),
              { decision: "approve", input_hash: event.input_hash },
              {
                "x-csrf-token": await bh.csrf(who),
              },
            );
        },
      );
      return { chat, events };
    };

    test("a client asking for another company's data gets Codex's refusal; none of it reaches the model", async () => {
      expect(otherTickets.length).toBeGreaterThan(0);
      bh.fake.script(
        reply.tool("get_company", { acct: other.account_number }),
        reply.tool("get_ticket", { id: otherTickets[0]!.id }),
        reply.tool("list_tickets", { company: other.account_number }),
        reply.text("I cannot see that company."),
      );
      await ask(client, `Show me ${other.account_number}'s tickets`);
      const results = toolResults(bh.fake.requests.at(-1)!.body);
      expect(results).toHaveLength(3);
      expect(JSON.parse(results[0]!).status).toBeOneOf([403, 404]);
      expect(JSON.parse(results[1]!).status).toBeOneOf([403, 404]);
      const sent = bh.fake.requests.map((request) => request.raw).join("\n");
      expect(sent).not.toContain(other.name);
      for (const ticket of otherTickets) expect(sent).not.toContain(ticket.subject);
    });

    test("a technician asking to restart a service: Helm refuses, and the chat says so", async () => {
      bh.fake.script(reply.tool("control_service", { name: "codex", action: "restart" }), (req) =>
        reply.text(`Helm said: ${toolResults(req.body).at(-1)}`),
      );
      const { chat, events } = await ask(tech, "Restart Codex please");
      expect(events.findLast((event) => event.type === "tool")).toMatchObject({
        tool: "control_service",
        status: "failed",
        http: 403,
      });
      const detail = (await (await bh.call(tech, "GET", `/api/chats/${chat}`)).json()) as {
        messages: { role: string; text: string }[];
        tool_calls: { decision: string; result_status: number }[];
      };
      expect(detail.tool_calls[0]).toMatchObject({ decision: "approved", result_status: 403 });
      expect(detail.messages.at(-1)!.text).toContain('"status":403');
    });

    test("a chat is its person's only: another person cannot read, continue or stop it", async () => {
      bh.fake.script(reply.text("Hello Tess."));
      const { chat } = await ask(tech, "Hello");
      const otto: Who = { level: "technician", user: "otto" };
      expect((await bh.call(otto, "GET", `/api/chats/${chat}`)).status).toBe(404);
      expect((await bh.call(otto, "POST", `/api/chats/${chat}/messages`, { text: "hi" })).status).toBe(404);
      expect((await bh.call(otto, "POST", `/api/chats/${chat}/stop`)).status).toBe(404);
      expect((await bh.call(otto, "GET", `/api/chats/${chat}/events`)).status).toBe(404);
      const page = await bh.call(otto, "GET", `/chats/${chat}`, undefined, { accept: "text/html" });
      expect(page.status).toBe(404);
      const mine = (await (await bh.call(otto, "GET", "/api/chats")).json()) as { chats: { id: string }[] };
      expect(mine.chats.map((listed) => listed.id)).not.toContain(chat);
    });
  });
}
