import type { CodexDb } from "../../deps.ts";
import type { MailSettings } from "../settings.ts";
import { outboxCounts } from "./data.ts";
import { type MailOverview, mailStatus } from "./json.ts";

/** The settings in force and the outbox's counts, with this process's last poll when known. */
export async function mailOverview(
  db: CodexDb,
  settings: MailSettings,
  lastPoll: MailOverview["lastPoll"] = null,
): Promise<MailOverview> {
  return { ...mailStatus(settings), counts: await outboxCounts(db), lastPoll };
}
