import type { FreshserviceWriteback } from "../../db/schema.ts";
import type { CodexDb } from "../../deps.ts";
import type { FreshserviceClient } from "../freshservice/client.ts";
import type { FsNoteRequest, FsReplyRequest } from "../freshservice/types.ts";
import { htmlToText } from "../sync/common.ts";
import { conversationsSentFor } from "./data-queue.ts";

/** How much earlier than its row a conversation may be stamped (clocks differ) and still be its. */
const CLOCK_SLACK_MS = 5 * 60_000;

const normal = (text: string) => text.replace(/\s+/g, " ").trim();

/**
 * A reply or note whose last attempt got no clear answer may have been created all the same:
 * the conversation on the Freshservice ticket with its text and privacy, made since it was
 * queued and not already another write-back's, is taken for it. Null when there is none.
 */
export async function alreadySent(
  db: CodexDb,
  client: FreshserviceClient,
  ticketId: number,
  row: FreshserviceWriteback,
  request: FsReplyRequest | FsNoteRequest,
): Promise<string | null> {
  const text = normal(htmlToText(request.body));
  const isPrivate = "private" in request && request.private;
  const taken = await conversationsSentFor(db, row.ticketId);
  const since = row.createdAt.getTime() - CLOCK_SLACK_MS;
  const match = (await client.conversations(ticketId)).find(
    (conversation) =>
      !taken.has(String(conversation.id)) &&
      (conversation.private ?? false) === isPrivate &&
      (!conversation.created_at || Date.parse(conversation.created_at) >= since) &&
      normal(conversation.body_text ?? htmlToText(conversation.body)) === text,
  );
  return match ? String(match.id) : null;
}
