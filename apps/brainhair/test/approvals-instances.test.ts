import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Server } from "bun";
import { createLogger } from "@hivematrix/lib/log";
import { freePort, postgresTestUrl } from "@hivematrix/lib/testing";
import { reply } from "@hivematrix/lib/testing/fake-anthropic";
import { createBrainhairApp } from "../src/app.ts";
import { Signals } from "../src/approvals/signals.ts";
import { relaySignals } from "../src/approvals/signals-relay.ts";
import { buildDeps, type Deps, loadSettings } from "../src/deps.ts";
import { type BrainhairUnderTest, type Event, readEvents, startBrainhair, toolResults, type Who } from "./harness.ts";

setDefaultTimeout(90_000);

/**
 * Two Brainhair instances on one PostgreSQL database: the tool call waits on the instance that
 * runs the turn, the person decides through the other, and the wait ends at once (LISTEN/NOTIFY),
 * not at the next look at the database: the waiting instance looks only once a minute here.
 */
describe.skipIf(!postgresTestUrl())("an approval decided through another Brainhair instance", () => {
  let bh: BrainhairUnderTest;
  let other: { deps: Deps; server: Server<undefined>; url: string; stopRelay: () => Promise<void> };
  let stopRelay = async () => {};
  const tech: Who = { level: "technician", user: "tess" };

  beforeAll(async () => {
    bh = await startBrainhair("postgres", { env: { BRAINHAIR_APPROVAL_TIMEOUT_SECONDS: "30" } });
    (bh.deps as { signals: Signals }).signals = new Signals(60_000);
    stopRelay = relaySignals(bh.deps.db, bh.deps.signals);
    const deps = buildDeps(loadSettings(bh.env), { logger: createLogger({ service: "brainhair", level: "error" }) });
    await deps.db.whenReady;
    const server = Bun.serve({ hostname: "127.0.0.1", port: await freePort(), fetch: createBrainhairApp(deps).fetch });
    other = { deps, server, url: `http://127.0.0.1:${server.port}`, stopRelay: relaySignals(deps.db, deps.signals) };
  });

  afterAll(async () => {
    await other?.stopRelay();
    other?.server.stop(true);
    await other?.deps.db.close();
    await stopRelay();
    await bh?.stop();
  });

  test("the tool call completes on the instance that waits for it", async () => {
    const list = (await (await bh.appCall("codex", tech, "GET", "/api/tickets?company=ACME-001&limit=1")).json()) as {
      items: { id: number }[];
    };
    const ticket = list.items[0]!.id;
    const body = `Decided elsewhere ${Date.now()}`;
    bh.fake.script(reply.tool("reply_to_ticket", { id: ticket, body }), (req) =>
      reply.text(`Result: ${toolResults(req.body).at(-1)}`),
    );
    const chat = ((await (await bh.call(tech, "POST", "/api/chats", {})).json()) as { id: string }).id;
    const res = await bh.call(tech, "POST", `/api/chats/${chat}/messages`, { text: `Reply "${body}" on the ticket` });
    let waited = 0;
    const events = await readEvents(res, async (event: Event) => {
      if (event.type !== "approval") return;
      const approval = event as unknown as { id: string; input_hash: string };
      const decided = await fetch(`${other.url}/api/approvals/${approval.id}/decision`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${await bh.token(tech)}`,
          "content-type": "application/json",
          accept: "application/json",
          "x-csrf-token": await bh.csrf(tech),
        },
        body: JSON.stringify({ decision: "approve", input_hash: approval.input_hash }),
      });
      expect(decided.status).toBe(200);
      waited = Date.now();
    });
    expect(events.find((event) => event.type === "approval_closed")).toMatchObject({ decision: "approved" });
    expect(Date.now() - waited).toBeLessThan(20_000);
    expect(toolResults(bh.fake.requests.at(-1)!.body).at(-1)).toContain('"status":201');
  });
});
