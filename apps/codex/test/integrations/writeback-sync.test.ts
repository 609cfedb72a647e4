import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { forgetSent } from "../../src/integrations/writeback/data-queue.ts";
import { ticketEntries } from "../../src/tickets/data-entries.ts";
import { ENGINES } from "../harness.ts";
import { FAST_POLICY } from "./setup.ts";
import { startWriteBackWorld, type WriteBackWorld, writesTo } from "./writeback-world.ts";

for (const engine of ENGINES) {
  describe(`Freshservice write-back and the next sync (${engine})`, () => {
    let world: WriteBackWorld;
    // Two syncs and a database of its own: longer than a hook's default on a busy machine.
    beforeAll(async () => {
      world = await startWriteBackWorld(engine);
    }, 60_000);
    afterAll(() => world?.stop(), 60_000);

    const rowsWith = async (ticketId: number, body: string) =>
      (await ticketEntries(world.codex.deps.db, ticketId)).filter((entry) => entry.body === body);

    test("a reply sent to Freshservice comes back in the sync as the same row, not a second one", async () => {
      const id = await world.ticketId(5001);
      await world.codex.call("technician", "POST", `/api/tickets/${id}/replies`, { body: "Sent once" });
      await world.codex.call("technician", "POST", `/api/tickets/${id}/notes`, { body: "Noted once" });
      await world.settle(world.worker());
      const fsConversations = () => world.fs.data.tickets.find((ticket) => ticket.id === 5001)!.conversations!;
      expect(fsConversations()).toHaveLength(3);
      await world.syncTickets();
      await world.syncTickets();
      expect(await rowsWith(id, "Sent once")).toHaveLength(1);
      expect(await rowsWith(id, "Noted once")).toHaveLength(1);
      const entries = await ticketEntries(world.codex.deps.db, id);
      expect(entries).toHaveLength(fsConversations().length);
      expect(new Set(entries.map((entry) => entry.externalId)).size).toBe(entries.length);
    });

    test("a reply whose answer was lost, brought in by a sync meanwhile, is recognised: one request, one row", async () => {
      const id = await world.ticketId(5002);
      world.fs.faults.add({ match: /^\/api\/v2\/tickets\/5002\/reply$/, delayMs: 500 });
      world.ctx.policy = { ...FAST_POLICY, timeoutMs: 300 };
      const worker = world.worker();
      world.ctx.policy = { ...FAST_POLICY, timeoutMs: 2_000 };
      await world.codex.call("technician", "POST", `/api/tickets/${id}/replies`, { body: "Answer lost" });
      await worker.drain();
      const [lost] = (await world.queue()).slice(-1);
      expect(lost).toMatchObject({ state: "pending", uncertain: true, attempts: 1 });
      // Unanswered, it waits at least the request timeout before Freshservice is asked about it.
      expect(lost!.nextAttemptAt.getTime() - lost!.updatedAt.getTime()).toBeGreaterThanOrEqual(290);
      // Freshservice makes the reply after the client stopped waiting; the sync brings it in.
      const made = () => world.fs.data.tickets.find((ticket) => ticket.id === 5002)!.conversations ?? [];
      for (let waited = 0; !made().some((c) => c.body === "Answer lost") && waited < 10_000; waited += 20)
        await Bun.sleep(20);
      await world.syncTickets();
      expect(await rowsWith(id, "Answer lost")).toHaveLength(2);
      await world.settle(worker);
      expect(writesTo(world.fs, /^\/tickets\/5002\/reply$/)).toHaveLength(1);
      const [kept] = await rowsWith(id, "Answer lost");
      expect(await rowsWith(id, "Answer lost")).toHaveLength(1);
      expect(kept!.authorName).toBe("technician user");
      expect(kept!.externalId).toBe((await world.queue()).at(-1)!.externalId);
      await world.syncTickets();
      expect(await rowsWith(id, "Answer lost")).toHaveLength(1);
    });

    test("sent rows are forgotten after a while; the entries keep Freshservice's ids", async () => {
      const sent = (await world.queue()).filter((row) => row.state === "sent");
      expect(sent.length).toBeGreaterThan(0);
      await forgetSent(world.codex.deps.db, new Date(Date.now() - 60_000));
      expect((await world.queue()).filter((row) => row.state === "sent")).toHaveLength(sent.length);
      await forgetSent(world.codex.deps.db, new Date(Date.now() + 60_000));
      expect((await world.queue()).filter((row) => row.state === "sent")).toHaveLength(0);
      await world.syncTickets();
      expect(await rowsWith(await world.ticketId(5001), "Sent once")).toHaveLength(1);
    });
  });
}
