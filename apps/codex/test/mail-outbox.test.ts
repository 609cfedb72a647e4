import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { eq } from "drizzle-orm";
import { freePort } from "@hivematrix/lib/testing";
import { seedFixture } from "./fixtures.ts";
import { type CodexUnderTest, ENGINES, startCodex } from "./harness.ts";
import { callAs, HELPDESK, mailEnv, outboxRows } from "./mail/helpers.ts";
import { type SmtpReceiver, startSmtpReceiver } from "./mail/smtp-receiver.ts";

// Real SMTP and IMAP servers and two databases per test: more than the default on a busy machine.
setDefaultTimeout(120_000);

const headerOf = (mail: { parsed: { headers: Map<string, unknown> } }, name: string) =>
  String(mail.parsed.headers.get(name) ?? "");

for (const engine of ENGINES) {
  describe(`ticket emails out on ${engine}`, () => {
    let receiver: SmtpReceiver;
    let codex: CodexUnderTest;
    let techId: number;
    let annId: number;

    beforeAll(async () => {
      receiver = await startSmtpReceiver({ port: await freePort() });
      codex = await startCodex(engine, mailEnv({ SMTP_URL: receiver.url }));
      await seedFixture(codex.deps.db);
      const { db } = codex.deps;
      techId = (await db.db.select().from(db.t.agents).where(eq(db.t.agents.username, "tech")))[0]!.id;
      annId = (await db.db.select().from(db.t.contacts).where(eq(db.t.contacts.email, "ann@acme.example")))[0]!.id;
    });
    afterAll(async () => {
      await codex.stop();
      await receiver.stop();
    });

    const send = async (count: number) => {
      const before = receiver.received.length;
      await codex.app.mail.sender!.tick();
      return (await receiver.waitFor(before + count)).slice(before);
    };

    test("the requester hears of the new ticket, a public reply and a status change; never of a private note", async () => {
      const created = await codex.call("technician", "POST", "/api/tickets", {
        company: "ACME-001",
        subject: "Email <b>broken</b>\r\nBcc: victim@evil.example",
        description: "Outlook says the server is down.",
        requester_email: "ann@acme.example",
      });
      expect(created.status).toBe(201);
      const id = ((await created.json()) as { id: number }).id;
      const reply = { body: "We are on it. <script>alert(1)</script>" };
      expect((await codex.call("technician", "POST", `/api/tickets/${id}/replies`, reply)).status).toBe(201);
      const note = { body: "PRIVATE: their admin password is on a sticky note" };
      expect((await codex.call("technician", "POST", `/api/tickets/${id}/notes`, note)).status).toBe(201);
      expect((await codex.call("technician", "PUT", `/api/tickets/${id}`, { status: "pending" })).status).toBe(200);
      expect((await outboxRows(codex)).map((row) => [row.event, row.status])).toEqual([
        ["created", "pending"],
        ["reply", "pending"],
        ["status", "pending"],
      ]);

      const mails = await send(3);
      expect(mails.map((mail) => mail.to)).toEqual([["ann@acme.example"], ["ann@acme.example"], ["ann@acme.example"]]);
      const [opened, replied, status] = mails.map((mail) => mail.parsed);
      expect(opened!.subject).toBe(`[#${id}] Email <b>broken</b> Bcc: victim@evil.example`);
      expect(replied!.subject).toStartWith(`Re: [#${id}] `);
      expect(status!.subject).toEndWith("(now pending)");
      for (const mail of mails) {
        expect(mail.parsed.messageId).toMatch(new RegExp(`^<hm-ticket-${id}\\.[0-9a-f-]{36}@msp\\.example>$`));
        expect(mail.parsed.inReplyTo).toBe(`<hm-ticket-${id}@msp.example>`);
        expect(String(mail.parsed.references)).toContain(`<hm-ticket-${id}@msp.example>`);
        expect(mail.parsed.replyTo?.value[0]?.address).toBe(HELPDESK);
        expect(mail.parsed.from?.value[0]?.address).toBe(HELPDESK);
        expect(headerOf(mail, "auto-submitted")).toBe("auto-generated");
        expect(mail.raw.toString()).not.toContain("PRIVATE");
        expect(mail.parsed.bcc).toBeUndefined();
      }
      expect(replied!.text).toContain("We are on it. <script>alert(1)</script>");
      expect(String(replied!.html)).toContain("&#60;script&#62;alert(1)&#60;/script&#62;");
      expect(String(replied!.html)).not.toContain("<script>");
      expect(String(opened!.html)).toContain("Email &#60;b&#62;broken&#60;/b&#62;");
      expect((await outboxRows(codex)).every((row) => row.status === "sent" && row.attempts === 1)).toBe(true);

      const outbox = await codex.call("admin", "GET", "/api/mail/outbox");
      const page = (await outbox.json()) as { mail: { sending: boolean }; counts: { sent: number } };
      expect(page.mail.sending).toBe(true);
      expect(page.counts.sent).toBe(3);
    });

    test("the assignee hears of an assignment and of the client's reply; not of what they did themselves", async () => {
      const created = await codex.call("technician", "POST", "/api/tickets", {
        company: "ACME-001",
        subject: "Scanner offline",
        requester_id: annId,
      });
      const id = ((await created.json()) as { id: number }).id;
      await send(1); // the requester's "we have it"
      expect((await codex.call("admin", "PUT", `/api/tickets/${id}`, { assignee_id: techId })).status).toBe(200);
      const [assigned] = await send(1);
      expect(assigned!.to).toEqual(["tech@msp.example"]);
      expect(assigned!.parsed.subject).toBe(`[#${id}] Assigned to you: Scanner offline`);

      const clientReply = await callAs(
        codex,
        "client",
        { company: "ACME-001", user: "ann" },
        "POST",
        `/api/tickets/${id}/replies`,
        { body: "It is still offline." },
      );
      expect(clientReply.status).toBe(201);
      const [fromClient] = await send(1);
      expect(fromClient!.to).toEqual(["tech@msp.example"]);
      expect(fromClient!.parsed.text).toContain("It is still offline.");

      const tech = { user: "tech", sub: "kc-tech", email: "tech@msp.example" };
      const own = await callAs(codex, "technician", tech, "POST", "/api/tickets", {
        company: "ACME-001",
        subject: "Took it myself",
        assignee_id: techId,
      });
      expect(own.status).toBe(201);
      await codex.app.mail.sender!.tick();
      const rows = await outboxRows(codex);
      expect(rows.filter((row) => row.subject.includes("Took it myself"))).toEqual([]);
    });

    test("opt-outs: an agent on My settings, a contact by its flag", async () => {
      const tech = { user: "tech", sub: "kc-tech", email: "tech@msp.example" };
      const off = await callAs(codex, "technician", tech, "PUT", "/api/my/settings", { email_notifications: false });
      expect(await off.json()).toMatchObject({ email_notifications: false });
      const contact = await codex.call("technician", "PUT", `/api/contacts/${annId}`, { email_notifications: false });
      expect(await contact.json()).toMatchObject({ email_notifications: false });
      const before = (await outboxRows(codex)).length;
      const created = await codex.call("technician", "POST", "/api/tickets", {
        company: "ACME-001",
        subject: "Nobody is told",
        requester_email: "ann@acme.example",
        assignee_id: techId,
      });
      const id = ((await created.json()) as { id: number }).id;
      await callAs(codex, "client", { company: "ACME-001", user: "ann" }, "POST", `/api/tickets/${id}/replies`, {
        body: "hello?",
      });
      await codex.call("technician", "POST", `/api/tickets/${id}/replies`, { body: "hi" });
      expect((await outboxRows(codex)).length).toBe(before);
      await callAs(codex, "technician", tech, "PUT", "/api/my/settings", { email_notifications: true });
      await codex.call("technician", "PUT", `/api/contacts/${annId}`, { email_notifications: true });
    });
  });
}
