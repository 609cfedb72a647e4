import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { seedFixture } from "./fixtures.ts";
import { ENGINES, startCodex, type CodexUnderTest } from "./harness.ts";
import { postForm, ticketId } from "./attachment-helpers.ts";

/** A client user of ACME-001 other than the dev `client`: same company, a different person. */
const COLLEAGUE = { user: "colleague", sub: "sub-colleague", email: "colleague@acme.example" };

for (const engine of ENGINES) {
  describe(`the client portal on ${engine}`, () => {
    let codex: CodexUnderTest;
    let beta: number;
    beforeAll(async () => {
      codex = await startCodex(engine);
      await seedFixture(codex.deps.db);
      beta = await ticketId(codex, "VPN down for warehouse");
    });
    afterAll(() => codex.stop());

    const asColleague = async (method: string, path: string, body?: unknown) =>
      codex.app.fetch(
        new Request(`http://codex.test${path}`, {
          method,
          headers: {
            authorization: `Bearer ${await codex.token("client", COLLEAGUE)}`,
            "content-type": "application/json",
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      );

    test("a client opens a ticket for its own company, and the technician sees who opened it", async () => {
      const res = await codex.call("client", "POST", "/api/tickets", {
        subject: "Scanner offline",
        description: "Since this morning",
        priority: "high",
      });
      expect(res.status).toBe(201);
      const ticket = await res.json();
      expect(ticket).toMatchObject({
        company: "ACME-001",
        subject: "Scanner offline",
        priority: "high",
        status: "open",
        opened_by_id: "sub-client",
        opened_by_name: "client user",
        opened_by_email: "client@msp.example",
        requester_email: "client@msp.example",
        assignee_id: null,
      });
      expect(ticket.total_minutes).toBeUndefined();
      const seen = await (await codex.call("technician", "GET", `/api/tickets/${ticket.id}`)).json();
      expect(seen).toMatchObject({ opened_by_name: "client user", opened_by_email: "client@msp.example" });
      const page = await (
        await codex.call("technician", "GET", `/tickets/${ticket.id}`, undefined, { accept: "text/html" })
      ).text();
      expect(page).toContain("Opened by");
      expect(page).toContain("client@msp.example");
      const list = await (await codex.call("client", "GET", "/api/tickets?limit=500")).json();
      const mine = list.items.find((item: { id: number }) => item.id === ticket.id);
      expect(mine).toMatchObject({ status: "open", company: "ACME-001" });
      expect(new Set(list.items.map((item: { company: string }) => item.company))).toEqual(new Set(["ACME-001"]));
    });

    test("a client can name no other company, assign nobody and set nothing the MSP decides; nothing is written", async () => {
      const before = (await (await codex.call("admin", "GET", "/api/tickets?limit=500")).json()).items.length;
      const refusals: [Record<string, unknown>, number, string][] = [
        [{ subject: "x", company: "BETA-002" }, 403, "company"],
        [{ subject: "x", company: "NOPE-404" }, 403, "company"],
        [{ subject: "x", assignee_id: 1 }, 403, "assignee_id"],
        [{ subject: "x", status: "resolved" }, 403, "status"],
        [{ subject: "x", due_at: "2030-01-01T00:00:00Z" }, 403, "due_at"],
        [{ subject: "x", requester_email: "ceo@beta.example" }, 403, "requester_email"],
        [{ subject: "x", external_id: "1", external_source: "freshservice" }, 403, "external_id"],
        [{ subject: "x", priority: "urgent" }, 422, "priority"],
        [{ subject: "" }, 422, "subject"],
        [{ subject: "x", total_minutes: 600 }, 422, "(body)"],
      ];
      for (const [body, status, field] of refusals) {
        const res = await codex.call("client", "POST", "/api/tickets", body);
        const answer = await res.json();
        expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), status]);
        if (field !== "(body)") expect(answer.error.details.map((d: { field: string }) => d.field)).toContain(field);
      }
      const own = await codex.call("client", "POST", "/api/tickets", { subject: "Mine", company: "acme-001" });
      expect(own.status).toBe(201);
      const after = (await (await codex.call("admin", "GET", "/api/tickets?limit=500")).json()).items.length;
      expect(after).toBe(before + 1);
    });

    test("a client's retried create (Idempotency-Key) opens one ticket", async () => {
      const headers = { "idempotency-key": "portal-retry-1" };
      const first = await codex.call("client", "POST", "/api/tickets", { subject: "Retried once" }, headers);
      const again = await codex.call("client", "POST", "/api/tickets", { subject: "Retried once" }, headers);
      expect([first.status, again.status]).toEqual([201, 201]);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect((await again.json()).id).toBe((await first.json()).id);
      const found = await (await codex.call("client", "GET", "/api/tickets?q=Retried")).json();
      expect(found.items.length).toBe(1);
    });

    test("a client closes its own tickets, not a colleague's nor another company's; staff close any", async () => {
      const mine = await (await codex.call("client", "POST", "/api/tickets", { subject: "Close me" })).json();
      const theirs = await (await asColleague("POST", "/api/tickets", { subject: "Colleague's" })).json();
      expect(theirs.opened_by_id).toBe("sub-colleague");
      const closed = await codex.call("client", "POST", `/api/tickets/${mine.id}/close`);
      expect(closed.status).toBe(200);
      expect(await closed.json()).toMatchObject({ status: "closed" });
      expect((await codex.call("client", "POST", `/api/tickets/${theirs.id}/close`)).status).toBe(403);
      expect((await codex.call("client", "POST", `/api/tickets/${beta}/close`)).status).toBe(404);
      const still = await (await codex.call("admin", "GET", `/api/tickets/${theirs.id}`)).json();
      expect(still.status).toBe("open");
      expect((await asColleague("POST", `/api/tickets/${theirs.id}/close`)).status).toBe(200);
      const staff = await codex.call("technician", "POST", `/api/tickets/${beta}/close`);
      expect(await staff.json()).toMatchObject({ status: "closed" });
    });

    test("a client replies on its company's tickets and reads their status; another company's are not found", async () => {
      const ticket = await (await codex.call("client", "POST", "/api/tickets", { subject: "Reply on me" })).json();
      const reply = await codex.call("client", "POST", `/api/tickets/${ticket.id}/replies`, { body: "More detail" });
      expect(reply.status).toBe(201);
      const read = await (await codex.call("client", "GET", `/api/tickets/${ticket.id}`)).json();
      expect(read.status).toBe("customer_replied");
      expect((await codex.call("client", "GET", `/api/tickets/${beta}`)).status).toBe(404);
      expect((await codex.call("client", "POST", `/api/tickets/${beta}/replies`, { body: "hi" })).status).toBe(404);
    });

    test("the new-ticket page: a client's form has no company, a client's priorities and clear messages", async () => {
      const form = await (await codex.call("client", "GET", "/tickets/new", undefined, { accept: "text/html" })).text();
      expect(form).not.toContain('name="company"');
      expect(form).not.toContain('value="urgent"');
      expect(form).toContain('enctype="multipart/form-data"');
      const empty = await postForm(codex, "client", "/tickets", { subject: " ", priority: "medium" });
      expect(empty.status).toBe(422);
      expect(await empty.text()).toContain("Required.");
      const urgent = await postForm(codex, "client", "/tickets", { subject: "Now!", priority: "urgent" });
      expect(urgent.status).toBe(422);
      expect(await urgent.text()).toContain("Choose low, medium or high.");
      const other = await postForm(codex, "client", "/tickets", { subject: "Sneaky", company: "BETA-002" });
      expect(other.status).toBe(403);
      expect(await other.text()).toContain("your own company only");
      const made = await postForm(codex, "client", "/tickets", { subject: "From the page", priority: "low" });
      expect(made.status).toBe(303);
      const id = /\/tickets\/(\d+)\?notice=created/.exec(made.headers.get("location") ?? "")![1];
      const ticket = await (await codex.call("admin", "GET", `/api/tickets/${id}`)).json();
      expect(ticket).toMatchObject({ company: "ACME-001", priority: "low", opened_by_id: "sub-client" });
      const page = await (
        await codex.call("client", "GET", `/tickets/${id}`, undefined, { accept: "text/html" })
      ).text();
      expect(page).toContain("Close ticket");
      const closed = await postForm(codex, "client", `/tickets/${id}/close`, {});
      expect(closed.status).toBe(303);
      expect((await (await codex.call("admin", "GET", `/api/tickets/${id}`)).json()).status).toBe("closed");
    });
  });
}
