import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readSettings, writeSettings } from "../../src/integrations/settings.ts";
import { ENGINES } from "../harness.ts";
import { startWriteBackWorld, type WriteBackWorld, writesTo } from "./writeback-world.ts";

for (const engine of ENGINES) {
  describe(`Freshservice write-back: what reaches Freshservice (${engine})`, () => {
    let world: WriteBackWorld;
    // Two syncs and a database of its own: longer than a hook's default on a busy machine.
    beforeAll(async () => {
      world = await startWriteBackWorld(engine);
    }, 60_000);
    afterAll(() => world?.stop(), 60_000);

    test("a technician's reply is POSTed to /reply as HTML, as their Freshservice agent", async () => {
      const id = await world.ticketId(5001);
      const res = await world.codex.call("technician", "POST", `/api/tickets/${id}/replies`, {
        body: "Rebooted it <now>.\nTry again & tell me.",
      });
      expect(res.status).toBe(201);
      expect((await world.queue()).map((row) => [row.kind, row.state])).toEqual([["reply", "pending"]]);
      await world.settle(world.worker());
      const [write] = writesTo(world.fs, /^\/tickets\/5001\/reply$/);
      expect(write).toMatchObject({ method: "POST", status: 201, contentType: "application/json" });
      expect(write!.body).toEqual({ body: "Rebooted it &lt;now&gt;.<br>Try again &amp; tell me.", user_id: 900 });
      const [row] = await world.queue();
      expect(row).toMatchObject({ state: "sent", attempts: 1 });
      const detail = (await (await world.codex.call("technician", "GET", `/api/tickets/${id}`)).json()) as {
        conversation: { body: string; external_id: string | null; external_source: string | null }[];
        freshservice_writeback: { waiting: number; failed: unknown[] };
      };
      const mine = detail.conversation.find((entry) => entry.body.startsWith("Rebooted"));
      expect(mine).toMatchObject({ external_source: "freshservice", external_id: row!.externalId });
      expect(detail.freshservice_writeback).toEqual({ waiting: 0, failed: [] });
    });

    test("requests carry the API key as Basic user with X as password, and JSON", async () => {
      const id = await world.ticketId(5001);
      await world.codex.call("technician", "POST", `/api/tickets/${id}/notes`, { body: "Checked the logs" });
      await world.settle(world.worker());
      for (const write of world.fs.writes) {
        expect(write.authorization).toBe(`Basic ${Buffer.from(`${world.fs.apiKey}:X`).toString("base64")}`);
        expect(write.contentType).toBe("application/json");
      }
    });

    test("a private note goes to /notes with private: true", async () => {
      const [write] = writesTo(world.fs, /^\/tickets\/5001\/notes$/);
      expect(write!.body).toEqual({ body: "Checked the logs", private: true, user_id: 900 });
    });

    test("status, priority and assignee changes are one PUT with Freshservice's ids, after the reply before them", async () => {
      const id = await world.ticketId(5002);
      await world.codex.call("technician", "POST", `/api/tickets/${id}/replies`, { body: "Fixed." });
      const agents = (await (await world.codex.call("admin", "GET", "/api/agents")).json()) as {
        items: { id: number; email: string }[];
      };
      const tina = agents.items.find((agent) => agent.email === "technician@msp.example")!;
      const res = await world.codex.call("technician", "PUT", `/api/tickets/${id}`, {
        status: "resolved",
        priority: "high",
        assignee_id: tina.id,
      });
      expect(res.status).toBe(200);
      await world.settle(world.worker());
      const writes = writesTo(world.fs, /^\/tickets\/5002/);
      expect(writes.map((write) => [write.method, write.path])).toEqual([
        ["POST", "/tickets/5002/reply"],
        ["PUT", "/tickets/5002"],
      ]);
      expect(writes[1]!.body).toEqual({ status: 4, priority: 3, responder_id: 900 });
      expect(world.fs.data.tickets.find((ticket) => ticket.id === 5002)).toMatchObject({
        status: 4,
        priority: 3,
        responder_id: 900,
      });
      await world.codex.call("technician", "PUT", `/api/tickets/${id}`, { assignee_id: null });
      await world.settle(world.worker());
      expect(writesTo(world.fs, /^\/tickets\/5002$/).at(-1)!.body).toEqual({ responder_id: null });
    });

    test("a client's reply is a public note marked incoming, as the requester", async () => {
      const id = await world.ticketId(5003);
      const res = await world.codex.call("client", "POST", `/api/tickets/${id}/replies`, { body: "Still broken" });
      expect(res.status).toBe(201);
      await world.settle(world.worker());
      const [write] = writesTo(world.fs, /^\/tickets\/5003\/notes$/);
      expect(write!.body).toEqual({ body: "Still broken", private: false, incoming: true, user_id: 300 });
    });

    test("the ticket page's forms queue the same writes", async () => {
      const id = await world.ticketId(5004);
      const csrf = await world.codex.csrf("technician");
      const form = (fields: Record<string, string>) => new URLSearchParams({ _csrf: csrf, ...fields }).toString();
      const post = async (path: string, fields: Record<string, string>) =>
        world.codex.call("technician", "POST", path, form(fields), {
          accept: "text/html",
          "content-type": "application/x-www-form-urlencoded",
        });
      expect((await post(`/tickets/${id}/reply`, { body: "From the page" })).status).toBe(303);
      expect(
        (await post(`/tickets/${id}/update`, { status: "pending", priority: "urgent", assignee_id: "" })).status,
      ).toBe(303);
      await world.settle(world.worker());
      expect(writesTo(world.fs, /^\/tickets\/5004/).map((write) => write.body)).toEqual([
        { body: "From the page", user_id: 900 },
        { status: 3, priority: 4 },
      ]);
    });

    test("tickets made in Codex, and the sync's own changes, queue nothing", async () => {
      const before = (await world.queue()).length;
      const created = await world.codex.call("technician", "POST", "/api/tickets", {
        company: "ACME-001",
        subject: "Local only",
      });
      const local = (await created.json()) as { id: number };
      await world.codex.call("technician", "POST", `/api/tickets/${local.id}/replies`, { body: "Local reply" });
      await world.codex.call("technician", "PUT", `/api/tickets/${local.id}`, { status: "resolved" });
      world.fs.data.tickets.find((ticket) => ticket.id === 5001)!.status = 3;
      world.fs.data.tickets.find((ticket) => ticket.id === 5001)!.updated_at = new Date().toISOString();
      await world.syncTickets();
      expect((await world.queue()).length).toBe(before);
    });

    test("with the integration turned off nothing is queued", async () => {
      const { settings } = await readSettings(world.ctx.db, "freshservice");
      await writeSettings(world.ctx.db, "freshservice", { enabled: false, settings }, "test");
      const before = (await world.queue()).length;
      const id = await world.ticketId(5001);
      await world.codex.call("technician", "POST", `/api/tickets/${id}/replies`, { body: "Not going anywhere" });
      await world.codex.call("technician", "PUT", `/api/tickets/${id}`, { priority: "low" });
      expect((await world.queue()).length).toBe(before);
      await writeSettings(world.ctx.db, "freshservice", { enabled: true, settings }, "test");
    });

    test("a worker stopped before it started (a quick shutdown) never starts", async () => {
      const worker = world.worker({ pollMs: 10 });
      await worker.stop();
      worker.start();
      const id = await world.ticketId(5004);
      await world.codex.call("technician", "POST", `/api/tickets/${id}/notes`, { body: "Left for the next start" });
      await Bun.sleep(200);
      expect((await world.queue()).at(-1)).toMatchObject({ state: "pending", attempts: 0 });
      await world.settle(world.worker());
      expect((await world.queue()).at(-1)).toMatchObject({ state: "sent" });
    });
  });
}
