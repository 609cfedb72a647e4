import { and, eq, inArray } from "drizzle-orm";
import { deleteTicket, upsertTickets } from "../../tickets/data.ts";
import { freshserviceClient, type IntegrationContext } from "../context.ts";
import type { FreshserviceClient } from "../freshservice/client.ts";
import { isDiscarded, SOURCE, ticketRow, type TicketLookups } from "../freshservice/mapping.ts";
import { readSettings, type FreshserviceSettings } from "../settings.ts";
import { locallyEditedFields, syncActor, upsertInBatches, withoutLocalEdits } from "./common.ts";
import { lastJob } from "./jobs.ts";
import { psaLookups } from "./psa.ts";
import type { JobReport } from "./report.ts";

const actor = syncActor(SOURCE);
const DAY_MS = 86_400_000;
/** Overlap with the previous run, so a ticket updated while it ran is not missed. */
const OVERLAP_MS = 10 * 60_000;

export type TicketSyncMode = "incremental" | "full";

/**
 * The ticket's workflow, which Freshservice runs: a local change (which the write-back queue also
 * sends there) holds until the ticket changes in Freshservice after it; other local edits always hold.
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
 * The workspaces tickets are read from (null: the primary one, what the API answers without a
 * workspace_id): each client's with companies from workspaces, else the configured ones.
 */
async function ticketWorkspaces(fs: FreshserviceClient, settings: FreshserviceSettings): Promise<(number | null)[]> {
  if (settings.companiesFrom === "workspaces") return Object.keys(settings.clients).map(Number);
  if (settings.workspaceIds === "all") {
    const all = await fs.workspaces();
    return all.length ? all.map((w) => w.id) : [null];
  }
  return settings.workspaceIds.length ? settings.workspaceIds : [null];
}

/**
 * Ticket sync. Incremental: tickets updated since the last successful run began (the last
 * two days on a first run); full history: every ticket updated since the configured start, so
 * every one created since. Both list GET /tickets?updated_since= page by page in each
 * workspace, with no ceiling on how many tickets a day may have; spam and trash are listed
 * apart and leave Codex. Each live ticket is read in full (conversations, stats, time entries)
 * and upserted; entries and time entries are matched by their Freshservice ids.
 */
export async function syncTickets(ctx: IntegrationContext, report: JobReport, mode: TicketSyncMode): Promise<void> {
  const fs = await freshserviceClient(ctx, { monitor: report });
  const { settings } = await readSettings(ctx.db, "freshservice");
  let since: Date;
  if (mode === "full") since = new Date(`${settings.historyStart}T00:00:00Z`);
  else {
    const previous = await lastJob(ctx.db, "tickets", true);
    since = previous?.startedAt
      ? new Date(previous.startedAt.getTime() - OVERLAP_MS)
      : new Date(Date.now() - 2 * DAY_MS);
  }
  const live = new Set<number>();
  const discarded = new Set<number>();
  const workspaces = await ticketWorkspaces(fs, settings);
  if (!workspaces.length) report.log("no client workspace is mapped to an account number: no tickets to read");
  for (const workspace of workspaces) {
    const where = workspace === null ? "" : ` in workspace ${workspace}`;
    report.phase(`listing tickets updated since ${since.toISOString()}${where}`);
    for (const t of await fs.ticketsUpdatedSince(since, workspace)) live.add(t.id);
    for (const list of ["spam", "deleted"] as const)
      for (const t of await fs.ticketsUpdatedSince(since, workspace, list)) discarded.add(t.id);
  }
  for (const id of discarded) live.delete(id);
  report.add("tickets_listed", live.size);
  report.log(`${live.size} tickets updated since ${since.toISOString()} in ${workspaces.length} workspace(s)`);
  await writeTickets(ctx, fs, settings, [...live], report);
  await removeDiscarded(ctx, [...discarded], report);
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
    report.phase(`reading tickets ${i + 1}–${i + part.length} of ${ids.length}`);
    const rows: Record<string, unknown>[] = [];
    const updatedAt = new Map<string, Date>();
    const gone: number[] = [];
    for (const id of part) {
      const ticket = await fs.ticket(id);
      if (!ticket || isDiscarded(ticket)) {
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
 * Tickets Freshservice itself reports as trashed or spam (or that no longer exist when asked
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
  const fs = await freshserviceClient(ctx, { monitor: report });
  const { settings } = await readSettings(ctx.db, "freshservice");
  await writeTickets(ctx, fs, settings, [ticketId], report);
}
