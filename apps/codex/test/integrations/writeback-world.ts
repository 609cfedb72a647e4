import { asc, eq } from "drizzle-orm";
import type { FreshserviceWriteback } from "../../src/db/schema.ts";
import type { CodexDb } from "../../src/deps.ts";
import type { IntegrationContext } from "../../src/integrations/context.ts";
import { type WriteBackOptions, WriteBackWorker } from "../../src/integrations/writeback/worker.ts";
import { type CodexUnderTest, type Engine, startCodex } from "../harness.ts";
import { startFakeFreshservice, type FakeFreshservice, type FakeTicket } from "./fakes/freshservice.ts";
import { configureFreshservice, FAST_POLICY } from "./setup.ts";

/**
 * Codex (its tickets API and pages, and its integrations) beside a fake Freshservice whose
 * department, requester, agents and tickets the PSA and ticket syncs have brought in: the tickets
 * 5001–5004 are Codex tickets from Freshservice. The app's own write-back worker is stopped;
 * tests drive workers of their own.
 */
export interface WriteBackWorld {
  codex: CodexUnderTest;
  fs: FakeFreshservice;
  ctx: IntegrationContext;
  /** The Codex ticket made from Freshservice ticket `fsId`. */
  ticketId(fsId: number): Promise<number>;
  worker(options?: Partial<WriteBackOptions>, db?: CodexDb): WriteBackWorker;
  /** Drains with `worker` until no row is pending or sending (or `timeoutMs` passes). */
  settle(worker: WriteBackWorker, timeoutMs?: number): Promise<void>;
  queue(): Promise<FreshserviceWriteback[]>;
  /** Runs the incremental ticket sync and waits for it. */
  syncTickets(): Promise<void>;
  stop(): Promise<void>;
}

const recent = (hoursAgo: number) => new Date(Date.now() - hoursAgo * 3600_000).toISOString().replace(/\.\d+Z$/, "Z");

function fsTicket(id: number): FakeTicket {
  return {
    id,
    subject: `Freshservice ticket ${id}`,
    description_text: "Something is broken.",
    status: 2,
    priority: 2,
    requester_id: 300,
    responder_id: null,
    department_id: 11,
    created_at: recent(3),
    updated_at: recent(2),
    conversations: [{ id: 7000 + id, body_text: "Please help", incoming: true, user_id: 300, created_at: recent(3) }],
  };
}

/** Quick retries: tests wait for real, so delays are tens of milliseconds. */
export const QUICK: Partial<WriteBackOptions> = { pollMs: 20, baseDelayMs: 50, maxDelayMs: 400, maxAttempts: 4 };

export async function startWriteBackWorld(engine: Engine): Promise<WriteBackWorld> {
  const codex = await startCodex(engine);
  const fs = await startFakeFreshservice({
    departments: [{ id: 11, name: "Acme Corp", custom_fields: { account_number: "ACME-001" } }],
    requesters: [
      { id: 300, first_name: "Cara", last_name: "Client", primary_email: "client@msp.example", department_ids: [11] },
    ],
    agents: [
      { id: 900, first_name: "Tina", last_name: "Tech", email: "technician@msp.example", active: true },
      { id: 901, first_name: "Andy", last_name: "Admin", email: "admin@msp.example", active: true },
    ],
    tickets: [5001, 5002, 5003, 5004].map(fsTicket),
  });
  const integrations = codex.app.integrations;
  await integrations.writeBack.stop();
  const ctx = integrations.ctx;
  ctx.policy = { ...FAST_POLICY, timeoutMs: 2_000 };
  await configureFreshservice(ctx, fs);
  for (const kind of ["psa", "tickets"] as const) {
    const job = await (await integrations.start(kind, "test")).done;
    if (job.status !== "succeeded") throw new Error(`${kind} sync failed: ${job.error}`);
  }
  const db = codex.deps.db;
  const queueTable = db.t.freshserviceWritebacks;
  const world: WriteBackWorld = {
    codex,
    fs,
    ctx,
    async ticketId(fsId) {
      const [row] = await db.db
        .select()
        .from(db.t.tickets)
        .where(eq(db.t.tickets.externalId, String(fsId)));
      if (!row) throw new Error(`no ticket from Freshservice ticket ${fsId}`);
      return row.id;
    },
    worker: (options = QUICK, other) => new WriteBackWorker({ ...ctx, db: other ?? db }, { ...QUICK, ...options }),
    async settle(worker, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        await worker.drain();
        const rows = await world.queue();
        if (!rows.some((row) => row.state === "pending" || row.state === "sending")) return;
        await Bun.sleep(20);
      }
      throw new Error("the write-back queue did not settle");
    },
    queue: () => db.db.select().from(queueTable).orderBy(asc(queueTable.id)),
    async syncTickets() {
      const job = await (await integrations.start("tickets", "test")).done;
      if (job.status !== "succeeded") throw new Error(`ticket sync failed: ${job.error}`);
    },
    async stop() {
      await codex.stop();
      await fs.stop();
    },
  };
  return world;
}

/** The write requests the fake answered with `status` (all when not given), oldest first. */
export function writesTo(fs: FakeFreshservice, path: RegExp, status?: number) {
  return fs.writes.filter((write) => path.test(write.path) && (status === undefined || write.status === status));
}
