import { and, eq, gte } from "drizzle-orm";
import type { BrainhairDb } from "../deps.ts";
import type { MonthUsage } from "./json.ts";

/**
 * Token use per person per month over the last `months` months, newest month first: everyone's
 * (an admin's view), or one person's. Counted from the model's answers (one row per answer).
 */
export async function usageByMonth(
  db: BrainhairDb,
  options: { userSub: string | null; months: number },
): Promise<MonthUsage[]> {
  const messages = db.t.messages;
  const chats = db.t.chats;
  const since = new Date();
  since.setUTCMonth(since.getUTCMonth() - options.months + 1, 1);
  since.setUTCHours(0, 0, 0, 0);
  const rows = await db.db
    .select({
      user: chats.username,
      at: messages.createdAt,
      input: messages.inputTokens,
      output: messages.outputTokens,
      cacheRead: messages.cacheReadTokens,
      cacheWrite: messages.cacheWriteTokens,
    })
    .from(messages)
    .innerJoin(chats, eq(chats.id, messages.chatId))
    .where(
      and(
        eq(messages.role, "assistant"),
        gte(messages.createdAt, since),
        options.userSub ? eq(chats.userSub, options.userSub) : undefined,
      ),
    );
  const sums = new Map<string, MonthUsage>();
  for (const row of rows) {
    const month = row.at.toISOString().slice(0, 7);
    const key = `${month} ${row.user}`;
    const sum = sums.get(key) ?? {
      user: row.user,
      month,
      messages: 0,
      input: 0,
      output: 0,
      cacheRead: 0,
      cacheWrite: 0,
    };
    sum.messages++;
    sum.input += row.input;
    sum.output += row.output;
    sum.cacheRead += row.cacheRead;
    sum.cacheWrite += row.cacheWrite;
    sums.set(key, sum);
  }
  return [...sums.values()].sort(
    (left, right) => right.month.localeCompare(left.month) || left.user.localeCompare(right.user),
  );
}
