import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { eq } from "drizzle-orm";
import { simpleParser } from "mailparser";
import { freePort } from "@hivematrix/lib/testing";
import { seedFixture } from "./fixtures.ts";
import { type CodexUnderTest, ENGINES, startCodex } from "./harness.ts";
import { type Dovecot, dovecotAvailable, startDovecot } from "./mail/dovecot.ts";
import { HELPDESK, mailEnv, rawMail } from "./mail/helpers.ts";
import { type SmtpReceiver, startSmtpReceiver } from "./mail/smtp-receiver.ts";

// Real SMTP and IMAP servers and two databases per test: more than the default on a busy machine.
setDefaultTimeout(120_000);

const haveDovecot = dovecotAvailable();
const CUSTOMER = "ann@acme.example";
const TECH = "tech@msp.example";

for (const engine of ENGINES) {
  describe.skipIf(!haveDovecot)(`an email round trip on ${engine}`, () => {
    let dovecot: Dovecot;
    let smtp: SmtpReceiver;
    let codex: CodexUnderTest;

    beforeAll(async () => {
      // Three mailboxes: the helpdesk's (Codex polls it), the customer's and the technician's.
      dovecot = await startDovecot({ [HELPDESK]: "help-pw", [CUSTOMER]: "ann-pw", [TECH]: "tech-pw" });
      // The SMTP server delivers what Codex sends into the recipients' Dovecot mailboxes.
      smtp = await startSmtpReceiver({
        port: await freePort(),
        deliver: async (mail) => {
          for (const to of mail.to) await dovecot.append(to, mail.raw);
        },
      });
      codex = await startCodex(engine, mailEnv({ SMTP_URL: smtp.url, IMAP_URL: dovecot.url(HELPDESK) }));
      await seedFixture(codex.deps.db);
    });
    afterAll(async () => {
      await codex.stop();
      await smtp.stop();
      await dovecot.stop();
    });

    test("notification out, the customer's emailed answer on the ticket, the technician sees it and hears of it", async () => {
      const { db } = codex.deps;
      const [tech] = await db.db.select().from(db.t.agents).where(eq(db.t.agents.username, "tech"));
      const created = await codex.call("technician", "POST", "/api/tickets", {
        company: "ACME-001",
        subject: "Outlook keeps asking for a password",
        requester_email: CUSTOMER,
        assignee_id: tech!.id,
      });
      const id = ((await created.json()) as { id: number }).id;
      const reply = { body: "Please restart Outlook and tell us if it still asks." };
      expect((await codex.call("technician", "POST", `/api/tickets/${id}/replies`, reply)).status).toBe(201);
      await codex.app.mail.sender!.tick();
      await smtp.waitFor(3); // the customer's "we have it" and reply, the technician's assignment

      const inbox = await Promise.all((await dovecot.messages(CUSTOMER)).map((raw) => simpleParser(raw)));
      expect(inbox.map((mail) => mail.subject)).toEqual([
        `[#${id}] Outlook keeps asking for a password`,
        `Re: [#${id}] Outlook keeps asking for a password`,
      ]);
      const notice = inbox[1]!;
      expect(notice.text).toContain(reply.body);

      // The customer answers from their mail client: on top, with our email quoted below.
      const quoted = notice.text!.split("\n").map((line) => `> ${line}`);
      const answer = rawMail({
        from: `Ann Archer <${CUSTOMER}>`,
        to: notice.replyTo!.value[0]!.address!,
        subject: `Re: ${notice.subject}`,
        inReplyTo: notice.messageId!,
        references: `${String(notice.references ?? "").replace(/,/g, " ")} ${notice.messageId}`,
        text: [
          "It still asks, every five minutes.",
          "",
          `On Tue, 4 Mar 2025, Acme MSP Helpdesk <${HELPDESK}> wrote:`,
          ...quoted,
        ].join("\n"),
      });
      await dovecot.append(HELPDESK, answer);
      await codex.app.mail.poller!.tick();

      const detail = (await (await codex.call("technician", "GET", `/api/tickets/${id}`)).json()) as {
        conversation: { body: string; incoming: boolean; author_name: string }[];
        status: string;
      };
      expect(detail.conversation.at(-1)).toEqual(
        expect.objectContaining({
          body: "It still asks, every five minutes.",
          incoming: true,
          author_name: "Ann Archer",
        }),
      );
      expect(detail.status).toBe("customer_replied");
      const page = await (
        await codex.call("technician", "GET", `/tickets/${id}`, undefined, { accept: "text/html" })
      ).text();
      expect(page).toContain("It still asks, every five minutes.");
      expect(page).toContain("from client");

      // The assignee hears of the client's answer, in their own mailbox.
      await codex.app.mail.sender!.tick();
      await smtp.waitFor(4);
      const techInbox = await Promise.all((await dovecot.messages(TECH)).map((raw) => simpleParser(raw)));
      expect(techInbox.map((mail) => mail.subject)).toEqual([
        `[#${id}] Assigned to you: Outlook keeps asking for a password`,
        `Re: [#${id}] Outlook keeps asking for a password`,
      ]);
      expect(techInbox[1]!.text).toContain("It still asks, every five minutes.");
      expect(techInbox[1]!.text).not.toContain("Please restart Outlook");
    });

    test("a ticket opened by email is acknowledged in the sender's own thread", async () => {
      const before = (await dovecot.messages(CUSTOMER)).length;
      await dovecot.append(
        HELPDESK,
        rawMail({ from: CUSTOMER, subject: "Wi-Fi slow", text: "Since Monday.", messageId: "<wifi-1@acme.example>" }),
      );
      await codex.app.mail.poller!.tick();
      await codex.app.mail.sender!.tick();
      await smtp.waitFor(5);
      const inbox = await dovecot.messages(CUSTOMER);
      expect(inbox.length).toBe(before + 1);
      const ack = await simpleParser(inbox.at(-1)!);
      expect(ack.subject).toMatch(/^\[#\d+\] Wi-Fi slow$/);
      expect(ack.inReplyTo).toBe("<wifi-1@acme.example>");
      expect(String(ack.references)).toContain("<wifi-1@acme.example>");
      // The acknowledgement coming back (a forwarding rule, a loop) is not read as a reply.
      await dovecot.append(HELPDESK, inbox.at(-1)!);
      await codex.app.mail.poller!.tick();
      const { db } = codex.deps;
      const rows = await db.db.select().from(db.t.mailInbound).orderBy(db.t.mailInbound.id);
      expect(rows.at(-1)).toMatchObject({ outcome: "ignored" });
    });
  });
}
