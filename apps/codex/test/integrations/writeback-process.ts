/**
 * Another Codex process for the write-back concurrency tests: opens the same database and
 * either takes one row (`claim`, prints it as JSON) or runs a write-back worker until the queue
 * has nothing left to send (`drain`, prints how many rows it handled). SQLite connections in one
 * process would wait on each other inside that process, so racing workers get processes of their own.
 *
 *   bun writeback-process.ts claim|drain '{"databaseUrl":…,"sqlitePath":…,"home":…,"barrier":…}'
 *
 * Racers start together: each writes `<barrier>/ready-<pid>` once its connection is open and
 * waits for `<barrier>/go`.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inArray } from "drizzle-orm";
import { createLogger } from "@hivematrix/lib/log";
import { openCodexDb } from "../../src/deps.ts";
import { claimNext } from "../../src/integrations/writeback/data-queue.ts";
import { WriteBackWorker } from "../../src/integrations/writeback/worker.ts";

const [mode, raw] = process.argv.slice(2);
const where = JSON.parse(raw!) as { databaseUrl: string | null; sqlitePath: string; home: string; barrier: string };
const db = await openCodexDb(where);
writeFileSync(join(where.barrier, `ready-${process.pid}`), "");
while (!existsSync(join(where.barrier, "go"))) await Bun.sleep(5);
if (mode === "claim") {
  const row = await claimNext(db, `process-${process.pid}`, 60_000);
  console.log(JSON.stringify(row && { id: row.id, ticketId: row.ticketId }));
} else {
  const logger = createLogger({ service: "codex-writeback-test", level: "error" });
  const ctx = { db, home: where.home, logger, idp: { url: "http://127.0.0.1:9", realm: "hivematrix" } };
  const policy = { retries: 0, baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 5_000 };
  const worker = new WriteBackWorker({ ...ctx, policy }, { baseDelayMs: 50, maxDelayMs: 400, maxAttempts: 4 });
  const queue = db.t.freshserviceWritebacks;
  let handled = 0;
  for (const until = Date.now() + 30_000; Date.now() < until; await Bun.sleep(10)) {
    handled += await worker.drain();
    const open = await db.db
      .select({ id: queue.id })
      .from(queue)
      .where(inArray(queue.state, ["pending", "sending"]));
    if (open.length === 0) break;
  }
  console.log(JSON.stringify(handled));
}
await db.close();
