import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser } from "playwright-core";
import { startPlatform, type TestPlatform } from "@hivematrix/lib/testing";
import { accessibilityViolations, browserAvailable, launchBrowser } from "@hivematrix/lib/testing/browser";
import { type FakeAnthropic, reply, startFakeAnthropic } from "@hivematrix/lib/testing/fake-anthropic";

setDefaultTimeout(180_000);
const run = browserAvailable();

describe.skipIf(!run)("Brainhair in a browser through Nexus", () => {
  let platform: TestPlatform;
  let fake: FakeAnthropic;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    fake = await startFakeAnthropic();
    platform = await startPlatform({
      idp: true,
      apps: {
        codex: { title: "Codex" },
        brainhair: {
          title: "Brainhair",
          env: { ANTHROPIC_API_KEY: "sk-ant-test-key", ANTHROPIC_BASE_URL: fake.url },
        },
        nexus: { title: "Nexus", visible: false },
      },
    });
    base = platform.urls.nexus!;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await fake?.stop();
  });

  test("tech signs in, asks, sees the answer stream, approves a ticket reply in its card; Codex has it", async () => {
    const token = await platform.token("technician");
    const tickets = (await (
      await fetch(`${platform.urls.codex}/api/tickets?company=ACME-001&open=true&limit=1`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { items: { id: number; subject: string }[] };
    const ticket = tickets.items[0]!;
    const body = `We are looking at it now (${Date.now()}).`;

    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/brainhair/`);
    await page.fill("#field-username", "tech");
    await page.fill("#field-password", "tech");
    await page.click("button[type=submit]");
    await page.waitForURL(`${base}/brainhair/`);
    expect(await accessibilityViolations(page)).toEqual([]);

    fake.script(reply.tool("list_tickets", { company: "ACME-001", open: true }), {
      kind: "message",
      blocks: [{ text: `**ACME-001** has an open ticket: ${ticket.subject}.` }],
      chunk: 4,
      eventDelayMs: 15,
    });
    await page.fill("#field-text", "Which open tickets does ACME-001 have?");
    await page.click(".chat__composer button");
    await page.waitForURL(/\/brainhair\/chats\/[0-9a-f-]{36}$/);
    const answer = page.locator(".message--assistant .message__body strong");
    await answer.waitFor();
    expect(await answer.textContent()).toBe("ACME-001");
    expect(await page.locator(".tool-call__name").first().textContent()).toBe("list_tickets");

    fake.script(reply.tool("reply_to_ticket", { id: ticket.id, body }), reply.text("Replied on the ticket."));
    await page.fill("#field-text", `Reply "${body}" on ticket ${ticket.id}`);
    await page.click(".chat__composer button");
    const card = page.locator(".approval-card--pending");
    await card.waitFor();
    expect(await card.locator(".approval-card__new").first().textContent()).toBe(body);
    expect(await accessibilityViolations(page)).toEqual([]);
    await card.locator("button[value=approve]").click();
    await page.locator(".approval-card__outcome").waitFor();
    await page.getByText("Replied on the ticket.").waitFor();

    await page.goto(`${base}/codex/tickets/${ticket.id}`);
    expect(await page.locator(".log-line__message", { hasText: body }).count()).toBe(1);
  });
});
