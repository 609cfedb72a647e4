import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { eq } from "drizzle-orm";
import type { PermissionLevel } from "@hivematrix/lib/config";
import { type CodexDb, openCodexDb } from "../src/deps.ts";
import { InboundPoller } from "../src/mail/inbound/poller.ts";
import { AttachmentStore } from "../src/tickets/attachments/store.ts";
import { HTML, PNG, storedFiles } from "./attachment-helpers.ts";
import { seedFixture } from "./fixtures.ts";
import { type CodexUnderTest, ENGINES, startCodex } from "./harness.ts";
import { type Dovecot, dovecotAvailable, startDovecot } from "./mail/dovecot.ts";
import { HELPDESK, mailEnv, rawMail } from "./mail/helpers.ts";

// Real SMTP and IMAP servers and two databases per test: more than the default on a busy machine.
setDefaultTimeout(120_000);

const INBOX = "helpdesk";
const haveDovecot = dovecotAvailable();

for (const engine of ENGINES) {
  describe.skipIf(!haveDovecot)(`email in from Dovecot on ${engine}`, () => {
    let dovecot: Dovecot;
    let codex: CodexUnderTest;

    beforeAll(async () => {
      dovecot = await startDovecot({ [INBOX]: "inbox-secret" });
      codex = await startCodex(engine, mailEnv({ IMAP_URL: dovecot.url(INBOX) }));
      await seedFixture(codex.deps.db);
      await codex.app.mail.poller!.tick(); // the empty mailbox
    });
    afterAll(async () => {
      await codex.stop();
      await dovecot.stop();
    });

    const poll = () => codex.app.mail.poller!.tick();
    const deliver = (message: Parameters<typeof rawMail>[0]) => dovecot.append(INBOX, rawMail(message));
    const ticketsWith = async (subject: string) => {
      const { db } = codex.deps;
      return db.db.select().from(db.t.tickets).where(eq(db.t.tickets.subject, subject));
    };
    const inboundRows = async () => {
      const { db } = codex.deps;
      return db.db.select().from(db.t.mailInbound).orderBy(db.t.mailInbound.id);
    };
    const companyOf = async (companyId: number) => {
      const { db } = codex.deps;
      return (await db.db.select().from(db.t.companies).where(eq(db.t.companies.id, companyId)))[0]!.accountNumber;
    };
    const post = async (level: PermissionLevel, path: string, fields: Record<string, string>) =>
      codex.call(level, "POST", path, new URLSearchParams({ ...fields, _csrf: await codex.csrf(level) }).toString(), {
        accept: "text/html",
        "content-type": "application/x-www-form-urlencoded",
      });

    test("a new email becomes a ticket of its sender's company (a contact's, else the domain's); strangers wait in triage", async () => {
      await deliver({ from: "Ann Archer <ann@acme.example>", subject: "Printer on fire", text: "Smoke everywhere." });
      await deliver({ from: "newhire@beta.example", subject: "Cannot log in", text: "New here." });
      await deliver({ from: "stranger@nowhere.example", subject: "Quote for 10 laptops", text: "Price?" });
      await deliver({ from: "carol@consult.example", subject: "Which company am I", text: "Both." });
      await poll();

      const [fire] = await ticketsWith("Printer on fire");
      expect(fire).toMatchObject({
        requesterEmail: "ann@acme.example",
        requesterName: "Ann Archer",
        description: "Smoke everywhere.",
      });
      expect(await companyOf(fire!.companyId)).toBe("ACME-001");
      expect(fire!.requesterId).not.toBeNull();
      const [login] = await ticketsWith("Cannot log in");
      expect(await companyOf(login!.companyId)).toBe("BETA-002");
      expect(await ticketsWith("Quote for 10 laptops")).toEqual([]);

      const triage = (await (await codex.call("technician", "GET", "/api/mail/triage")).json()) as {
        items: { id: number; from: string; subject: string; body: string; reason: string }[];
      };
      expect(triage.items.map((item) => item.from).sort()).toEqual([
        "carol@consult.example",
        "stranger@nowhere.example",
      ]);
      expect(triage.items.find((item) => item.from === "carol@consult.example")!.reason).toContain("2 companies");
      const stranger = triage.items.find((item) => item.from === "stranger@nowhere.example")!;
      expect(stranger).toMatchObject({ subject: "Quote for 10 laptops", body: "Price?" });

      const page = await (
        await codex.call("billing", "GET", "/mail/triage", undefined, { accept: "text/html" })
      ).text();
      expect(page).toContain("Quote for 10 laptops");
      expect((await post("billing", `/mail/triage/${stranger.id}/assign`, { company: "GAMMA-003" })).status).toBe(403);
      const unknown = await post("technician", `/mail/triage/${stranger.id}/assign`, { company: "NOPE-404" });
      expect(unknown.status).toBe(422);
      expect(await unknown.text()).toContain("No company with account number NOPE-404");
      const assigned = await post("technician", `/mail/triage/${stranger.id}/assign`, { company: "GAMMA-003" });
      expect(assigned.status).toBe(303);
      const [quote] = await ticketsWith("Quote for 10 laptops");
      expect(quote).toMatchObject({ requesterEmail: "stranger@nowhere.example", description: "Price?" });
      expect(await companyOf(quote!.companyId)).toBe("GAMMA-003");
      const again = await codex.call("technician", "POST", `/api/mail/triage/${stranger.id}/assign`, {
        company: "GAMMA-003",
      });
      expect(again.status).toBe(409);

      const carol = triage.items.find((item) => item.from === "carol@consult.example")!;
      expect((await post("technician", `/mail/triage/${carol.id}/discard`, {})).status).toBe(303);
      expect(
        ((await (await codex.call("technician", "GET", "/api/mail/triage")).json()) as { items: [] }).items,
      ).toEqual([]);
    });

    test("auto-replies, bulk mail and our own mail come back make no ticket", async () => {
      const before = (await inboundRows()).length;
      await deliver({
        from: "ann@acme.example",
        subject: "Out of office",
        text: "Away.",
        headers: { "Auto-Submitted": "auto-replied" },
      });
      await deliver({
        from: "news@acme.example",
        subject: "Newsletter",
        text: "Deals!",
        headers: { Precedence: "bulk" },
      });
      await deliver({
        from: "ann@acme.example",
        subject: "Autoreply",
        text: "Away.",
        headers: { "X-Autoreply": "yes" },
      });
      await deliver({ from: `Helpdesk <${HELPDESK}>`, subject: "[#1] Our own", text: "loop" });
      await poll();
      const rows = (await inboundRows()).slice(before);
      expect(rows.map((row) => row.outcome)).toEqual(["ignored", "ignored", "ignored", "ignored"]);
      for (const subject of ["Out of office", "Newsletter", "Autoreply", "[#1] Our own"])
        expect(await ticketsWith(subject)).toEqual([]);
    });

    test("HTML mail is reduced to text before it is stored", async () => {
      await deliver({
        from: "ann@acme.example",
        subject: "HTML only",
        html: '<div>The <b>VPN</b> fails<script>steal()</script><img src="x" onerror="steal()"></div><p>Ann</p>',
      });
      await poll();
      const [ticket] = await ticketsWith("HTML only");
      expect(ticket!.description).toBe("The VPN fails\n\nAnn");
      const page = await (
        await codex.call("technician", "GET", `/tickets/${ticket!.id}`, undefined, { accept: "text/html" })
      ).text();
      expect(page).not.toContain("steal()");
    });

    test("the same message never makes two tickets: two pollers at once, a re-poll, a restart, a second copy", async () => {
      const raw = rawMail({
        from: "ann@acme.example",
        subject: "Only once",
        text: "Once.",
        messageId: "<once-1@acme.example>",
      });
      await dovecot.append(INBOX, raw);
      const { config, settings, logger, ticketEvents, attachments } = codex.deps;
      const own = { addresses: [HELPDESK], messageIdDomain: "msp.example" };
      const open = () => openCodexDb({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
      const handles: CodexDb[] = await Promise.all([open(), open()]);
      try {
        const pollers = handles.map(
          (db) => new InboundPoller({ db, events: ticketEvents, own, attachments }, settings.mail.imap!, logger),
        );
        await Promise.all(pollers.map((poller) => poller.tick()));
        await poll();
        await Promise.all(pollers.map((poller) => poller.tick()));
        expect(await ticketsWith("Only once")).toHaveLength(1);
        // A restart: a new process, with a new connection, reads the mailbox from the start of what it has not read.
        handles.push(await open());
        const restarted = new InboundPoller(
          { db: handles[2]!, events: ticketEvents, own, attachments },
          settings.mail.imap!,
          logger,
        );
        await restarted.tick();
        await dovecot.append(INBOX, raw);
        await poll();
        expect(await ticketsWith("Only once")).toHaveLength(1);
        const rows = (await inboundRows()).filter((row) => row.subject === "Only once");
        expect(rows.map((row) => row.outcome)).toEqual(["ticket", "duplicate"]);
      } finally {
        await Promise.all(handles.map((db) => db.close()));
      }
    });

    test("a reply finds its ticket by our Message-ID or [#N] in the subject; a stranger's [#N] does not", async () => {
      await deliver({ from: "ann@acme.example", subject: "Mouse broken", text: "Left button." });
      await poll();
      const [mouse] = await ticketsWith("Mouse broken");
      const id = mouse!.id;
      await deliver({ from: "ann@acme.example", subject: `Re: [#${id}] Mouse broken`, text: "Right one too." });
      await deliver({
        from: "bob@beta.example",
        subject: "no number here",
        text: "Threaded only.",
        inReplyTo: `<hm-ticket-${id}@msp.example>`,
      });
      await deliver({ from: "mallory@evil.example", subject: `Re: [#${id}] Mouse broken`, text: "Click this link." });
      await poll();
      const detail = (await (await codex.call("technician", "GET", `/api/tickets/${id}`)).json()) as {
        conversation: { body: string; incoming: boolean; author_email: string }[];
        status: string;
      };
      expect(detail.conversation.map((entry) => entry.body)).toEqual(["Right one too."]);
      expect(detail.conversation[0]).toMatchObject({ incoming: true, author_email: "ann@acme.example" });
      expect(detail.status).toBe("customer_replied");
      const rows = await inboundRows();
      const bob = rows.find((row) => row.subject === "no number here")!;
      const mallory = rows.find((row) => row.fromAddress === "mallory@evil.example")!;
      expect(bob.outcome).toBe("ticket"); // Bob is not on Ann's ACME ticket: a ticket of his own (BETA)
      expect(mallory).toMatchObject({ outcome: "triage" });
      expect(mallory.reason).toContain(`not on ticket #${id}`);
    });

    test("an email's files are kept on its ticket and its reply, typed by their bytes; too big is named; triage keeps none", async () => {
      const { settings, logger, ticketEvents, attachments } = codex.deps;
      const before = storedFiles(codex).length;
      await deliver({
        from: "Ann Archer <ann@acme.example>",
        subject: "Screen goes black",
        text: "Screenshot attached.",
        files: [
          { filename: "screen.png", contentType: "application/octet-stream", bytes: PNG },
          { filename: "page.html", contentType: "text/html", bytes: HTML },
        ],
      });
      await poll();
      const [ticket] = await ticketsWith("Screen goes black");
      const detail = async () =>
        (await (await codex.call("technician", "GET", `/api/tickets/${ticket!.id}`)).json()) as {
          description: string;
          attachments: { filename: string; content_type: string; size: number; entry_id: number | null; url: string }[];
          conversation: { id: number; body: string }[];
        };
      const opened = await detail();
      expect(opened.attachments.map((file) => [file.filename, file.content_type, file.size, file.entry_id])).toEqual([
        // Types come from the bytes, never the sender: a page is kept as text, never served as HTML.
        ["screen.png", "image/png", PNG.length, null],
        ["page.html", "text/plain; charset=utf-8", HTML.length, null],
      ]);
      expect(opened.description).toBe("Screenshot attached.");
      const asClient = async (company: string) =>
        codex.app.fetch(
          new Request(`http://codex.test${new URL(opened.attachments[0]!.url, "http://codex.test").pathname}`, {
            headers: { authorization: `Bearer ${await codex.token("client", { company })}` },
          }),
        );
      const download = await asClient("ACME-001");
      expect(download.status).toBe(200);
      expect(new Uint8Array(await download.arrayBuffer())).toEqual(PNG);
      const other = await asClient("BETA-002");
      expect(other.status).toBe(404);

      // A reply's file goes with the reply; a file over the limit (a store of 1 KB here) is named in its text.
      const big = new Uint8Array(4_096).fill(65);
      await deliver({
        from: "ann@acme.example",
        subject: `Re: [#${ticket!.id}] Screen goes black`,
        text: "Another one, and the log.",
        files: [
          { filename: "second.png", contentType: "image/png", bytes: PNG },
          { filename: "huge.log", contentType: "text/plain", bytes: big },
        ],
      });
      const small = new AttachmentStore({ dir: attachments.dir, maxBytes: 1_024 });
      const own = { addresses: [HELPDESK], messageIdDomain: "msp.example" };
      await new InboundPoller(
        { db: codex.deps.db, events: ticketEvents, own, attachments: small },
        settings.mail.imap!,
        logger,
      ).tick();
      const replied = await detail();
      const reply = replied.conversation.at(-1)!;
      expect(reply.body).toContain("Another one, and the log.");
      expect(reply.body).toContain("not kept (over the size limit or too many): huge.log (4 KB)");
      expect(replied.attachments.filter((file) => file.entry_id === reply.id).map((file) => file.filename)).toEqual([
        "second.png",
      ]);

      // A stranger's message waits in triage, its files named there, none stored.
      await deliver({
        from: "stranger@nowhere.example",
        subject: "Who owns this",
        text: "See attached.",
        files: [{ filename: "invoice.png", contentType: "image/png", bytes: PNG }],
      });
      await poll();
      const held = (await inboundRows()).find((row) => row.subject === "Who owns this")!;
      expect(held.outcome).toBe("triage");
      expect(held.body).toContain("invoice.png");
      // Two on the ticket, one on the reply; nothing left waiting in incoming/.
      expect(storedFiles(codex).length).toBe(before + 3);
      expect(storedFiles(codex).filter((path) => path.startsWith("incoming"))).toEqual([]);
    });

    test("a message that cannot be processed is held in triage with the reason; the messages after it are read", async () => {
      const { config, settings, logger, attachments } = codex.deps;
      const own = { addresses: [HELPDESK], messageIdDomain: "msp.example" };
      const db = await openCodexDb({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
      const failing = { onChange: () => Promise.reject(new Error("the outbox broke")) };
      try {
        await deliver({ from: "ann@acme.example", subject: "Breaks the outbox", text: "x" });
        await new InboundPoller({ db, events: failing, own, attachments }, settings.mail.imap!, logger).tick();
        expect(await ticketsWith("Breaks the outbox")).toEqual([]);
        const held = (await inboundRows()).find((row) => row.subject === "Breaks the outbox")!;
        expect(held).toMatchObject({ outcome: "triage", body: "x" });
        expect(held.reason).toContain("the outbox broke");

        await deliver({ from: "ann@acme.example", subject: "[#99999999999] Huge number", text: "y" });
        await poll();
        expect(await ticketsWith("[#99999999999] Huge number")).toHaveLength(1);
      } finally {
        await db.close();
      }
    });
  });
}
