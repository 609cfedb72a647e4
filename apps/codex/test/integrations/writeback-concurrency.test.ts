import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "@hivematrix/lib/config";
import { tempHome } from "@hivematrix/lib/testing";
import { ENGINES } from "../harness.ts";
import { startWriteBackWorld, type WriteBackWorld, writesTo } from "./writeback-world.ts";

const FS_TICKETS = [5001, 5002, 5003, 5004];
const PER_TICKET = 6;
const PROCESS = join(import.meta.dir, "writeback-process.ts");
/** Starting Bun processes on a busy machine takes seconds each; more than a test's default. */
const PROCESS_TEST_MS = 120_000;

for (const engine of ENGINES) {
  describe(`Freshservice write-back with several workers (${engine})`, () => {
    let world: WriteBackWorld;
    // Two syncs and a database of its own: longer than a hook's default on a busy machine.
    beforeAll(async () => {
      world = await startWriteBackWorld(engine);
    }, 60_000);
    afterAll(() => world?.stop(), 60_000);

    /** `count` other Codex processes on this database, started together; what each printed. */
    async function processes(mode: "claim" | "drain", count: number): Promise<unknown[]> {
      const { databaseUrl, sqlitePath } = world.codex.deps.config;
      const barrier = tempHome("hm-writeback-race-");
      const where = JSON.stringify({ databaseUrl, sqlitePath, home: world.ctx.home, barrier });
      const runs = Array.from({ length: count }, () =>
        Bun.spawn(["bun", PROCESS, mode, where], { cwd: REPO_ROOT, stdout: "pipe", stderr: "pipe" }),
      );
      while (readdirSync(barrier).length < count && runs.every((run) => run.exitCode === null)) await Bun.sleep(20);
      writeFileSync(join(barrier, "go"), "");
      return Promise.all(
        runs.map(async (run) => {
          const [out, err, code] = [
            await new Response(run.stdout).text(),
            await new Response(run.stderr).text(),
            await run.exited,
          ];
          if (code !== 0) throw new Error(`write-back process exited with ${code}: ${err}`);
          return JSON.parse(out.trim().split("\n").at(-1)!);
        }),
      );
    }

    test(
      "four worker processes send each queued reply exactly once, each ticket's in the order written",
      async () => {
        for (let n = 1; n <= PER_TICKET; n++)
          for (const fsId of FS_TICKETS) {
            const id = await world.ticketId(fsId);
            const res = await world.codex.call("technician", "POST", `/api/tickets/${id}/replies`, {
              body: `Reply ${n} on ${fsId}`,
            });
            expect(res.status).toBe(201);
          }
        const handled = (await processes("drain", 4)) as number[];
        expect(handled.reduce((sum, each) => sum + each, 0)).toBe(FS_TICKETS.length * PER_TICKET);
        const sent = writesTo(world.fs, /\/reply$/);
        expect(sent).toHaveLength(FS_TICKETS.length * PER_TICKET);
        expect(sent.every((write) => write.status === 201)).toBe(true);
        expect(new Set(sent.map((write) => write.body!.body)).size).toBe(sent.length);
        for (const fsId of FS_TICKETS) {
          const order = sent.filter((write) => write.ticketId === fsId).map((write) => write.body!.body);
          expect(order).toEqual(Array.from({ length: PER_TICKET }, (_, i) => `Reply ${i + 1} on ${fsId}`));
        }
        const rows = await world.queue();
        expect(rows.every((row) => row.state === "sent" && row.attempts === 1)).toBe(true);
        expect(new Set(rows.map((row) => row.externalId)).size).toBe(rows.length);
      },
      PROCESS_TEST_MS,
    );

    test(
      "claims racing in six processes never take a row twice, nor two rows of one ticket at once",
      async () => {
        for (const fsId of FS_TICKETS) {
          const id = await world.ticketId(fsId);
          for (let n = 0; n < 3; n++)
            await world.codex.call("technician", "POST", `/api/tickets/${id}/notes`, { body: `Race ${n}` });
        }
        const claims = (await processes("claim", 6)) as ({ id: number; ticketId: number } | null)[];
        const taken = claims.filter((row) => row !== null);
        expect(new Set(taken.map((row) => row.id)).size).toBe(taken.length);
        // Only the first unsent row of each ticket can be taken while it is being sent.
        expect(taken).toHaveLength(FS_TICKETS.length);
        expect(new Set(taken.map((row) => row.ticketId)).size).toBe(FS_TICKETS.length);
      },
      PROCESS_TEST_MS,
    );
  });
}
