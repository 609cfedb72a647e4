import type { FreshserviceWriteback } from "../../db/schema.ts";
import type { CodexDb } from "../../deps.ts";
import type { FsNoteRequest, FsReplyRequest, FsTicketChanges } from "../freshservice/types.ts";
import type { FreshserviceSettings } from "../settings.ts";
import type { EntryPayload, TicketChangesPayload } from "./data.ts";
import { freshserviceAgent, freshserviceAuthorId } from "./data-lookups.ts";

/** A queued change as Freshservice's API takes it (https://api.freshservice.com/). */
export type WriteBackRequest =
  | { kind: "reply"; body: FsReplyRequest }
  | { kind: "note"; body: FsNoteRequest }
  | { kind: "update"; body: FsTicketChanges };

/** A change that cannot be sent as it stands (a status with no Freshservice id): it fails with this reason. */
export class WriteBackRefused extends Error {
  override name = "WriteBackRefused";
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Codex's plain text as the HTML Freshservice's `body` holds: escaped, line breaks kept. */
export function textToHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!).replace(/\r?\n/g, "<br>");
}

/**
 * The Freshservice id of a Codex status or priority name, from the mapping the sync reads with:
 * the lowest id mapped to it (the built-in one when a custom id shares its name).
 */
export function mappedId(map: Record<string, string>, name: string, what: "status" | "priority"): number {
  const ids = Object.entries(map)
    .filter(([, mapped]) => mapped === name)
    .map(([id]) => Number(id))
    .sort((a, b) => a - b);
  if (ids.length) return ids[0]!;
  throw new WriteBackRefused(
    `the ${what} "${name}" has no Freshservice ${what} id in the ${what} mapping ` +
      `(add a line such as 19=${name} in Codex's integration settings)`,
  );
}

async function ticketChanges(
  db: CodexDb,
  settings: FreshserviceSettings,
  payload: TicketChangesPayload,
): Promise<FsTicketChanges> {
  const changes: FsTicketChanges = {};
  if (payload.status !== undefined) changes.status = mappedId(settings.statusMap, payload.status, "status");
  if (payload.priority !== undefined) changes.priority = mappedId(settings.priorityMap, payload.priority, "priority");
  if (payload.assignee_id === null) changes.responder_id = null;
  else if (payload.assignee_id !== undefined) {
    const agent = await freshserviceAgent(db, payload.assignee_id);
    if (!agent) throw new WriteBackRefused(`agent ${payload.assignee_id} no longer exists in Codex`);
    if (agent.freshserviceId === null)
      throw new WriteBackRefused(`${agent.name} is not a Freshservice agent (Codex has no Freshservice id for them)`);
    changes.responder_id = agent.freshserviceId;
  }
  return changes;
}

/**
 * The request a queued row becomes. A technician's reply is a reply (e-mailed to the requester);
 * a client's reply is a public note marked incoming, the API's way to add the requester's side;
 * a note stays private.
 */
export async function writeBackRequest(
  db: CodexDb,
  settings: FreshserviceSettings,
  row: FreshserviceWriteback,
): Promise<WriteBackRequest> {
  if (row.kind === "update")
    return { kind: "update", body: await ticketChanges(db, settings, row.payload as TicketChangesPayload) };
  const entry = row.payload as unknown as EntryPayload;
  const client = row.kind === "reply" && entry.incoming;
  const userId = await freshserviceAuthorId(db, {
    username: entry.author_username,
    email: entry.author_email,
    client,
  });
  const author = userId === null ? {} : { user_id: userId };
  const body = textToHtml(entry.body);
  if (row.kind === "note") return { kind: "note", body: { body, private: true, ...author } };
  if (client) return { kind: "note", body: { body, private: false, incoming: true, ...author } };
  return { kind: "reply", body: { body, ...author } };
}
