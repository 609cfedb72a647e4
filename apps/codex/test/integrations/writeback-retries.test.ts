import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { saveIntegrationSecret, SECRET_NAMES } from "../../src/integrations/secrets.ts";
import { readSettings, writeSettings } from "../../src/integrations/settings.ts";
import { ENGINES } from "../harness.ts";
import { startWriteBackWorld, type WriteBackWorld, writesTo } from "./writeback-world.ts";

interface Failure {
  id: number;
  kind: string;
  message: string;
  status: number | null;
  attempts: number;
}

for (const engine of ENGINES) {
  describe(`Freshservice write-back: retries and failures (${engine})`, () => {
    let world: WriteBackWorld;
    // Two syncs and a database of its own: longer than a hook's default on a busy machine.
    beforeAll(async () => {
      world = await startWriteBackWorld(engine);
    }, 60_000);
    afterAll(() => world?.stop(), 60_000);

    const detail = async (id: number) =>
      (await (await world.codex.call("technician", "GET", `/api/tickets/${id}`)).json()) as {
        freshservice_writeback: { waiting: number; failed: Failure[] };
      };
    const posts = (path: RegExp) =>
      world.fs.faults.log.filter((entry) => entry.method === "POST" && path.test(entry.path));

    test("a 429 is waited out for its Retry-After, by every row (the quota is the account's), then sent once", async () => {
      world.fs.faults.add({
        match: /^\/api\/v2\/tickets\/5001\/reply$/,
        status: 429,
        headers: { "retry-after": "1" },
        body: { message: "You have exceeded the limit of requests per minute" },
      });
      const first = await world.ticketId(5001);
      const second = await world.ticketId(5002);
      await world.codex.call("technician", "POST", `/api/tickets/${first}/replies`, { body: "Limited reply" });
      await world.codex.call("technician", "POST", `/api/tickets/${second}/notes`, { body: "Waits its turn" });
      const worker = world.worker();
      await worker.drain();
      const [limited, waiting] = await world.queue();
      expect(limited).toMatchObject({ state: "pending", lastStatus: 429, attempts: 0, uncertain: false });
      expect(limited!.nextAttemptAt.getTime() - limited!.updatedAt.getTime()).toBeGreaterThanOrEqual(990);
      expect(waiting).toMatchObject({ state: "pending", attempts: 0 });
      await world.settle(worker);
      const replies = posts(/5001\/reply$/);
      expect(replies).toHaveLength(2);
      expect(replies[1]!.at - replies[0]!.at).toBeGreaterThanOrEqual(1000);
      expect(posts(/5002\/notes$/)[0]!.at - replies[0]!.at).toBeGreaterThanOrEqual(1000);
      expect(world.fs.faults.count(/5001\/conversations/)).toBe(0);
      expect(writesTo(world.fs, /5001\/reply$/, 201)).toHaveLength(1);
    });

    test("5xx is retried with growing delays; a reply is looked for before it is sent again, and made once", async () => {
      world.fs.faults.add({ match: /^\/api\/v2\/tickets\/5003\/reply$/, status: 500, times: 2 });
      const id = await world.ticketId(5003);
      await world.codex.call("technician", "POST", `/api/tickets/${id}/replies`, { body: "Third time lucky" });
      await world.settle(world.worker({ baseDelayMs: 100 }));
      const tries = posts(/5003\/reply$/);
      expect(tries).toHaveLength(3);
      expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(100);
      expect(tries[2]!.at - tries[1]!.at).toBeGreaterThanOrEqual(200);
      expect(world.fs.faults.count(/5003\/conversations/)).toBe(2);
      const made = world.fs.data.tickets.find((ticket) => ticket.id === 5003)!.conversations!;
      expect(made.filter((conversation) => conversation.body === "Third time lucky")).toHaveLength(1);
      expect((await world.queue()).at(-1)).toMatchObject({ state: "sent", attempts: 3 });
    });

    test("a 5xx that does not end fails after the last attempt, with the reason", async () => {
      world.fs.faults.add({ match: /^\/api\/v2\/tickets\/5003$/, status: 503, times: Infinity });
      const id = await world.ticketId(5003);
      await world.codex.call("technician", "PUT", `/api/tickets/${id}`, { priority: "urgent" });
      await world.settle(world.worker({ baseDelayMs: 10 }));
      world.fs.faults.clear();
      const { failed } = (await detail(id)).freshservice_writeback;
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ kind: "update", status: 503, attempts: 4 });
      expect(failed[0]!.message).toBe(
        "not sent to Freshservice: gave up after 4 attempts; the last: Freshservice failed with 503: injected 503",
      );
    });

    test("a 4xx is not retried: the ticket shows Freshservice's message, and a retry sends it", async () => {
      const { settings } = await readSettings(world.ctx.db, "freshservice");
      const statusMap = { ...settings.statusMap, "19": "on_hold" as const };
      await writeSettings(
        world.ctx.db,
        "freshservice",
        { enabled: true, settings: { ...settings, statusMap } },
        "test",
      );
      const id = await world.ticketId(5004);
      await world.codex.call("technician", "PUT", `/api/tickets/${id}`, { status: "on_hold" });
      await world.codex.call("technician", "POST", `/api/tickets/${id}/replies`, { body: "Not held up" });
      await world.settle(world.worker());
      expect(writesTo(world.fs, /^\/tickets\/5004$/)).toHaveLength(1);
      // A later change of the ticket does not wait behind one that failed for good.
      expect(writesTo(world.fs, /^\/tickets\/5004\/reply$/, 201)).toHaveLength(1);
      const [failure] = (await detail(id)).freshservice_writeback.failed;
      expect(failure).toMatchObject({ kind: "update", status: 400, attempts: 1 });
      expect(failure!.message).toBe(
        "not sent to Freshservice: Freshservice answered 400: Validation failed " +
          "(status: It should be one of these values: '2,3,4,5')",
      );
      const page = await world.codex.call("technician", "GET", `/tickets/${id}`, undefined, { accept: "text/html" });
      const html = await page.text();
      expect(html).toContain("not sent to Freshservice: Freshservice answered 400: Validation failed");
      expect(html).toContain(`/tickets/${id}/freshservice-writeback/${failure!.id}/retry`);

      world.fs.data.ticketStatuses.push(19);
      const retry = `/api/tickets/${id}/freshservice-writeback/${failure!.id}/retry`;
      expect((await world.codex.call("client", "POST", retry)).status).toBe(403);
      expect((await world.codex.call("billing", "POST", retry)).status).toBe(403);
      expect(
        (
          await world.codex.call(
            "technician",
            "POST",
            `/api/tickets/${id + 1}/freshservice-writeback/${failure!.id}/retry`,
          )
        ).status,
      ).toBe(404);
      const retried = await world.codex.call("technician", "POST", retry);
      expect(retried.status).toBe(200);
      expect(await retried.json()).toMatchObject({ id: failure!.id, state: "pending" });
      expect((await world.codex.call("technician", "POST", retry)).status).toBe(409);
      await world.settle(world.worker());
      expect(writesTo(world.fs, /^\/tickets\/5004$/, 200).at(-1)!.body).toEqual({ status: 19 });
      expect((await detail(id)).freshservice_writeback.failed).toEqual([]);
    });

    test("the page's Retry button queues it again", async () => {
      const id = await world.ticketId(5004);
      await world.codex.call("technician", "PUT", `/api/tickets/${id}`, { status: "customer_replied" });
      await world.settle(world.worker());
      const [failure] = (await detail(id)).freshservice_writeback.failed;
      expect(failure!.message).toBe(
        'not sent to Freshservice: the status "customer_replied" has no Freshservice status id in the status ' +
          "mapping (add a line such as 19=customer_replied in Codex's integration settings)",
      );
      const csrf = await world.codex.csrf("technician");
      const res = await world.codex.call(
        "technician",
        "POST",
        `/tickets/${id}/freshservice-writeback/${failure!.id}/retry`,
        new URLSearchParams({ _csrf: csrf }).toString(),
        { accept: "text/html", "content-type": "application/x-www-form-urlencoded" },
      );
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toContain(`/tickets/${id}?notice=writeback_retried`);
      expect((await world.queue()).find((row) => row.id === failure!.id)?.state).not.toBe("failed");
    });

    test("a refused API key fails with what to check", async () => {
      saveIntegrationSecret(world.ctx.home, SECRET_NAMES.freshserviceApiKey, "wrong-key");
      const id = await world.ticketId(5002);
      await world.codex.call("technician", "POST", `/api/tickets/${id}/notes`, { body: "Wrong key" });
      await world.settle(world.worker());
      saveIntegrationSecret(world.ctx.home, SECRET_NAMES.freshserviceApiKey, world.fs.apiKey);
      const failed = (await detail(id)).freshservice_writeback.failed;
      expect(failed.at(-1)!.message).toBe(
        "not sent to Freshservice: Freshservice refused the API key (401: You are not authorized to perform this " +
          "action.); check it in Codex's integration settings",
      );
    });
  });
}
