import { and, eq, inArray } from "drizzle-orm";
import { deleteTicket, upsertTickets } from "../../data/tickets.ts";
import { freshserviceClient, type IntegrationContext } from "../context.ts";
import type { FreshserviceClient } from "../freshservice/client.ts";
import { DISCARDED_STATUSES, SOURCE, ticketRow, type TicketLookups } from "../freshservice/mapping.ts";
import type { FsTicket } from "../freshservice/types.ts";
import { IntegrationError } from "../http.ts";
import { readSettings, type FreshserviceSettings } from "../settings.ts";
import { locallyEditedFields, syncActor, upsertInBatches, withoutLocalEdits } from "./common.ts";
import { lastJob, type JobReport } from "./jobs.ts";
import { psaLookups } from "./psa.ts";

const actor = syncActor(SOURCE);
const DAY_MS = 86_400_000;
/** Overlap with the previous run, so a ticket updated while it ran is not missed. */
const OVERLAP_MS = 10 * 60_000;

export type TicketSyncMode = "incremental" | "full";

/**
 * The ticket's workflow, which Freshservice runs (Codex does not write back): a local change
 * holds until the ticket changes in Freshservice after it; other local edits always hold.
 */
const PROVIDER_OWNED = [
  "status",
  "status_id",
  "priority",
  "priority_id",
  "assignee_id",
  "closed_at",
  "first_responded_at",
  "agent_responded_at",
  "due_at",
  "first_response_due_at",
];

/**
 * Ticket sync. Incremental: tickets updated since the last successful run began (the last
 * two days on a first run); full history: every ticket created since the configured start.
 * Each ticket is read in full (conversations, stats, time entries) and upserted; entries and
 * time entries are matched by their Freshservice ids, so nothing is duplicated. A day with more
 * tickets than the filter endpoint can return makes the run fail as incomplete, after writing
 * everything it could read.
 */
export async function syncTickets(ctx: IntegrationContext, report: JobReport, mode: TicketSyncMode): Promise<void> {
  const fs = await freshserviceClient(ctx);
  const { settings } = await readSettings(ctx.db, "freshservice");
  const now = new Date();
  let candidates: FsTicket[];
  let since: Date | null = null;
  const windows = (a: string, b: string, n: number) => report.log(`window ${a}..${b}: ${n} tickets`);
  const overflow: string[] = [];
  const onOverflow = (day: string, total: number) => {
    overflow.push(`${day} (${total})`);
  };
  if (mode === "full") {
    candidates = await fs.ticketsInWindow(
      "created_at",
      new Date(`${settings.historyStart}T00:00:00Z`),
      now,
      windows,
      onOverflow,
    );
  } else {
    const previous = await lastJob(ctx.db, "tickets", true);
    since = previous?.startedAt
      ? new Date(previous.startedAt.getTime() - OVERLAP_MS)
      : new Date(now.getTime() - 2 * DAY_MS);
    // The filter works in whole days, so the window starts a day early and exact times are compared here.
    const fetched = await fs.ticketsInWindow(
      "updated_at",
      new Date(since.getTime() - DAY_MS),
      now,
      windows,
      onOverflow,
    );
    candidates = fetched.filter((t) => !t.updated_at || new Date(t.updated_at) >= since!);
  }
  report.add("tickets_listed", candidates.length);
  await writeTickets(
    ctx,
    fs,
    settings,
    candidates.map((t) => t.id),
    report,
  );
  if (overflow.length) {
    throw new IntegrationError(
      "freshservice",
      "incomplete",
      `freshservice: incomplete: these days have more tickets than one filter query can return and were skipped: ${overflow.join(", ")}`,
    );
  }
}

/** Reads each ticket in full and writes them in batches; also used by the webhook for one ticket. */
export async function writeTickets(
  ctx: IntegrationContext,
  fs: FreshserviceClient,
  settings: FreshserviceSettings,
  ids: number[],
  report: JobReport,
): Promise<void> {
  const h = ctx.db;
  const lookups: TicketLookups = await psaLookups(ctx);
  const batchSize = 50;
  for (let i = 0; i < ids.length; i += batchSize) {
    const part = ids.slice(i, i + batchSize);
    const rows: Record<string, unknown>[] = [];
    const updatedAt = new Map<string, Date>();
    const gone: number[] = [];
    for (const id of part) {
      const ticket = await fs.ticket(id);
      if (!ticket || DISCARDED_STATUSES.has(ticket.status)) {
        gone.push(id);
        continue;
      }
      const time = await fs.timeEntries(id);
      const mapped = ticketRow(ticket, time, settings, lookups);
      if (mapped.unmappedStatus !== undefined) {
        report.add("tickets_unmapped_status");
        report.log(`ticket ${id}: status id ${mapped.unmappedStatus} is not in the status mapping; stored as open`);
      }
      if (mapped.unmappedPriority !== undefined) {
        report.add("tickets_unmapped_priority");
        report.log(
          `ticket ${id}: priority id ${mapped.unmappedPriority} is not in the priority mapping; stored as medium`,
        );
      }
      if (mapped.timeErrors) report.add("time_entries_unreadable", mapped.timeErrors);
      if (!mapped.row) {
        report.add("tickets_without_company");
        report.log(mapped.skipped!);
        continue;
      }
      rows.push(mapped.row);
      if (ticket.updated_at) updatedAt.set(String(id), new Date(ticket.updated_at));
    }
    const existing = await h.db
      .select({ id: h.t.tickets.id, externalId: h.t.tickets.externalId })
      .from(h.t.tickets)
      .where(and(eq(h.t.tickets.externalSource, SOURCE), inArray(h.t.tickets.externalId, part.map(String))));
    const idOf = new Map(existing.map((t) => [t.externalId!, t.id]));
    const edits = await locallyEditedFields(
      h,
      "ticket",
      existing.map((t) => t.id),
    );
    await upsertInBatches(
      (batch) => upsertTickets(h, batch, actor),
      rows.map((r) =>
        withoutLocalEdits(r, edits.get(idOf.get(r.external_id as string) ?? -1), {
          keep: ["external_id", "external_source", "company", "subject", "entries", "time_entries"],
          followProvider: PROVIDER_OWNED,
          providerUpdatedAt: updatedAt.get(r.external_id as string) ?? null,
        }),
      ),
      report,
      "tickets",
      (r) => `#${r.external_id}`,
    );
    await removeDiscarded(ctx, gone, report);
  }
}

/**
 * Tickets Freshservice itself reports as deleted or spam (or that no longer exist when asked
 * for by id) are removed; the audit log keeps their last state. A ticket merely absent from a
 * listing is never touched.
 */
async function removeDiscarded(ctx: IntegrationContext, ids: number[], report: JobReport): Promise<void> {
  if (!ids.length) return;
  const h = ctx.db;
  const rows = await h.db
    .select()
    .from(h.t.tickets)
    .where(and(eq(h.t.tickets.externalSource, SOURCE), inArray(h.t.tickets.externalId, ids.map(String))));
  for (const t of rows) {
    await deleteTicket(h, t, actor);
    report.add("tickets_deleted_in_psa");
    report.log(`ticket #${t.externalId} was deleted or marked spam in Freshservice; removed`);
  }
}

/** The webhook's work: read one ticket from Freshservice and write it (or remove it when Freshservice deleted it). */
export async function syncOneTicket(ctx: IntegrationContext, ticketId: number, report: JobReport): Promise<void> {
  const fs = await freshserviceClient(ctx);
  const { settings } = await readSettings(ctx.db, "freshservice");
  await writeTickets(ctx, fs, settings, [ticketId], report);
}
