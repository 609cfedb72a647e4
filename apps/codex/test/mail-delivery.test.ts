import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { freePort } from "@hivematrix/lib/testing";
import { openCodexDb } from "../src/deps.ts";
import { OutboxSender } from "../src/mail/outbox/sender.ts";
import { seedFixture } from "./fixtures.ts";
import { type CodexUnderTest, ENGINES, startCodex } from "./harness.ts";
import { keptLogger, mailEnv, outboxRows } from "./mail/helpers.ts";
import { startSmtpReceiver } from "./mail/smtp-receiver.ts";

// Real SMTP and IMAP servers and two databases per test: more than the default on a busy machine.
setDefaultTimeout(120_000);

const newTicket = (codex: CodexUnderTest, subject: string) =>
  codex.call("technician", "POST", "/api/tickets", {
    company: "ACME-001",
    subject,
    requester_email: "ann@acme.example",
  });

for (const engine of ENGINES) {
  describe(`the outbox's delivery on ${engine}`, () => {
    test("SMTP down: the message waits in the outbox, the failure is logged, and it goes once the server is back", async () => {
      const port = await freePort();
      const kept = keptLogger();
      const codex = await startCodex(engine, mailEnv({ SMTP_URL: `smtp://127.0.0.1:${port}` }), {
        logger: kept.logger,
      });
      try {
        await seedFixture(codex.deps.db);
        expect((await newTicket(codex, "Sent while the server is down")).status).toBe(201);
        await codex.app.mail.sender!.tick();
        const [waiting] = await outboxRows(codex);
        expect(waiting).toMatchObject({ status: "pending", attempts: 1 });
        expect(waiting!.lastError).toContain("ECONNREFUSED");
        expect(waiting!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() - 100);
        const warned = kept.lines().find((line) => line.message === "mail: sending failed; will retry");
        expect(warned).toMatchObject({ level: "WARNING", outbox_id: waiting!.id, attempt: 1 });

        const receiver = await startSmtpReceiver({ port });
        try {
          await Bun.sleep(1_100); // the first retry's delay (CODEX_MAIL_RETRY_SECONDS=1)
          await codex.app.mail.sender!.tick();
          const [mail] = await receiver.waitFor(1);
          expect(mail!.parsed.subject).toContain("Sent while the server is down");
          expect(await outboxRows(codex)).toMatchObject([{ status: "sent", attempts: 2, lastError: null }]);
        } finally {
          await receiver.stop();
        }
      } finally {
        await codex.stop();
      }
    });

    test("a message refused every time is marked failed after the last attempt; the admin sees it and may queue it again", async () => {
      const receiver = await startSmtpReceiver({
        port: await freePort(),
        rejectWith: { code: 550, message: "No such mailbox here" },
      });
      const kept = keptLogger();
      const codex = await startCodex(engine, mailEnv({ SMTP_URL: receiver.url, CODEX_MAIL_MAX_ATTEMPTS: "2" }), {
        logger: kept.logger,
      });
      try {
        await seedFixture(codex.deps.db);
        await newTicket(codex, "Nobody will get this");
        await codex.app.mail.sender!.tick();
        expect(await outboxRows(codex)).toMatchObject([{ status: "pending", attempts: 1 }]);
        await Bun.sleep(1_100);
        await codex.app.mail.sender!.tick();
        const [failed] = await outboxRows(codex);
        expect(failed).toMatchObject({ status: "failed", attempts: 2 });
        expect(failed!.lastError).toContain("550");
        expect(failed!.lastError).toContain("No such mailbox here");
        const logged = kept.lines().find((line) => line.level === "ERROR");
        expect(logged).toMatchObject({ message: "mail: sending failed for good; the message is marked failed" });

        const admin = await codex.call("admin", "GET", "/admin/mail", undefined, {
          accept: "text/html",
        });
        const html = await admin.text();
        expect(html).toContain("failed");
        expect(html).toContain("No such mailbox here");
        const overview = await (await codex.call("admin", "GET", "/admin", undefined, { accept: "text/html" })).text();
        expect(overview).toContain("1 failed");

        const retry = await codex.call("admin", "POST", `/api/mail/outbox/${failed!.id}/retry`);
        expect(retry.status).toBe(200);
        expect(await outboxRows(codex)).toMatchObject([{ status: "pending", attempts: 0 }]);
        expect((await codex.call("admin", "POST", `/api/mail/outbox/${failed!.id}/retry`)).status).toBe(409);
        expect((await codex.call("admin", "POST", "/api/mail/outbox/999999/retry")).status).toBe(404);
        expect((await codex.call("technician", "GET", "/api/mail/outbox")).status).toBe(403);
      } finally {
        await codex.stop();
        await receiver.stop();
      }
    });

    test("four senders on their own connections send each of 40 messages exactly once", async () => {
      const receiver = await startSmtpReceiver({ port: await freePort() });
      const codex = await startCodex(engine, mailEnv({ SMTP_URL: receiver.url }));
      const { config, settings, logger } = codex.deps;
      const handles = await Promise.all(
        [1, 2, 3, 4].map(() => openCodexDb({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath })),
      );
      try {
        await seedFixture(codex.deps.db);
        for (let n = 1; n <= 40; n++) expect((await newTicket(codex, `Ticket ${n}`)).status).toBe(201);
        const { smtp, from } = settings.mail;
        const senders = handles.map((db) => new OutboxSender(db, smtp!, from!, from!, logger));
        await Promise.all(senders.map((sender) => sender.tick()));
        // A sender may finish its last claim before another's rows are sent; a second round picks up nothing new.
        await Promise.all(senders.map((sender) => sender.tick()));
        await Promise.all(senders.map((sender) => sender.stop()));
        const received = await receiver.waitFor(40);
        await Bun.sleep(200);
        const ids = received.map((mail) => String(mail.parsed.messageId));
        expect(received.length).toBe(40);
        expect(new Set(ids).size).toBe(40);
        const rows = await outboxRows(codex);
        expect(rows.every((row) => row.status === "sent" && row.attempts === 1)).toBe(true);
        expect(new Set(rows.map((row) => row.messageId))).toEqual(new Set(ids));
      } finally {
        await Promise.all(handles.map((db) => db.close()));
        await codex.stop();
        await receiver.stop();
      }
    });

    test("without SMTP_URL nothing is queued, and the admin pages say email is off", async () => {
      const codex = await startCodex(engine);
      try {
        await seedFixture(codex.deps.db);
        expect(codex.app.mail.sender).toBeNull();
        expect(codex.app.mail.poller).toBeNull();
        expect((await newTicket(codex, "No mail for this one")).status).toBe(201);
        expect(await outboxRows(codex)).toEqual([]);
        const outbox = await (await codex.call("admin", "GET", "/api/mail/outbox")).json();
        expect(outbox).toMatchObject({ mail: { sending: false, reading: false }, items: [] });
        const admin = await (await codex.call("admin", "GET", "/admin", undefined, { accept: "text/html" })).text();
        expect(admin).toContain("off: SMTP_URL is not set");
      } finally {
        await codex.stop();
      }
    });
  });
}
