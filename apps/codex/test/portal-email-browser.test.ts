import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { simpleParser } from "mailparser";
import type { Browser, Page } from "playwright-core";
import { freePort, startPlatform, type TestPlatform } from "@hivematrix/lib/testing";
import { browserAvailable, clickToNextPage, launchBrowser } from "@hivematrix/lib/testing/browser";
import { PNG } from "./attachment-helpers.ts";
import { signIn } from "./browser-platform.ts";
import { type Dovecot, dovecotAvailable, startDovecot } from "./mail/dovecot.ts";
import { HELPDESK, mailEnv, rawMail } from "./mail/helpers.ts";
import { type SmtpReceiver, startSmtpReceiver } from "./mail/smtp-receiver.ts";

// Real processes, mail servers and a browser on a shared machine.
setDefaultTimeout(180_000);

/** The dev IdP's client user, of the demo's ACME company. */
const CLIENT_MAILBOX = "client@acme.example";

async function waitFor<T>(what: string, check: () => Promise<T | null>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await check();
    if (found !== null) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(250);
  }
}

const run = browserAvailable() && dovecotAvailable();

describe.skipIf(!run)("the helpdesk talks to its customer: portal, reply, email out and back in", () => {
  let dovecot: Dovecot;
  let smtp: SmtpReceiver;
  let platform: TestPlatform;
  let browser: Browser;

  beforeAll(async () => {
    dovecot = await startDovecot({ [HELPDESK]: "help-pw", [CLIENT_MAILBOX]: "client-pw" });
    smtp = await startSmtpReceiver({
      port: await freePort(),
      deliver: async (mail) => {
        for (const to of mail.to) if (to === CLIENT_MAILBOX || to === HELPDESK) await dovecot.append(to, mail.raw);
      },
    });
    const mail = mailEnv({
      SMTP_URL: smtp.url,
      IMAP_URL: dovecot.url(HELPDESK),
      CODEX_MAIL_SEND_INTERVAL_SECONDS: "1",
      CODEX_MAIL_POLL_SECONDS: "1",
    });
    platform = await startPlatform({
      idp: true,
      apps: {
        codex: { title: "Codex", visible: true, env: mail },
        nexus: { title: "Nexus", visible: false },
      },
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await smtp?.stop();
    await dovecot?.stop();
  });

  const mailbox = async (name: string) => Promise.all((await dovecot.messages(name)).map((raw) => simpleParser(raw)));
  const mainText = async (page: Page) => (await page.locator("main").textContent()) ?? "";

  test("a client's ticket with a screenshot, the technician's reply by email, the client's emailed answer on the ticket", async () => {
    const base = platform.urls.nexus!;
    const client = await (await browser.newContext()).newPage();
    await signIn(client, base, "client", "/codex/tickets/new");
    await client.fill("#field-subject", "Scanner saves blank PDFs");
    await client.fill("#field-description", "Screenshot of the scan settings attached.");
    await client.setInputFiles("#field-attachments", {
      name: "scan-settings.png",
      mimeType: "image/png",
      buffer: Buffer.from(PNG),
    });
    await clickToNextPage(client, "form.form button.btn--primary");
    await client.waitForURL(/\/codex\/tickets\/\d+\?notice=created/);
    const path = new URL(client.url()).pathname;
    const id = Number(path.split("/").at(-1));
    expect(await mainText(client)).toContain("scan-settings.png");

    const tech = await (await browser.newContext()).newPage();
    await signIn(tech, base, "tech", path);
    expect(await mainText(tech)).toContain("scan-settings.png");
    await tech.fill(
      'form[action$="/reply"] textarea[name="body"]',
      "Please set the colour mode to Greyscale and scan again.",
    );
    await clickToNextPage(tech, 'form[action$="/reply"] button.btn--primary');
    expect(await mainText(tech)).toContain("Please set the colour mode to Greyscale");

    // The client's mailbox gets the ticket's acknowledgement and the technician's reply.
    const notice = await waitFor("the reply in the client's mailbox", async () => {
      const found = (await mailbox(CLIENT_MAILBOX)).find(
        (mail) => mail.subject === `Re: [#${id}] Scanner saves blank PDFs`,
      );
      return found ?? null;
    });
    expect(notice.text).toContain("Please set the colour mode to Greyscale and scan again.");

    // The client answers from their mail client; Codex reads the helpdesk's mailbox and puts it on the ticket.
    await dovecot.append(
      HELPDESK,
      rawMail({
        from: `Client User <${CLIENT_MAILBOX}>`,
        to: notice.replyTo!.value[0]!.address!,
        subject: `Re: ${notice.subject}`,
        inReplyTo: notice.messageId!,
        text: "Greyscale works, thank you.",
      }),
    );
    await waitFor("the emailed answer on the ticket's page", async () => {
      await tech.reload();
      return (await mainText(tech)).includes("Greyscale works, thank you.") ? true : null;
    });
    expect(await mainText(tech)).toContain("from client");
    await client.reload();
    expect(await mainText(client)).toContain("Greyscale works, thank you.");
  });
});
