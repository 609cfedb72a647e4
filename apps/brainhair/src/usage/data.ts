import { and, eq, gte } from "drizzle-orm";
import type { BrainhairDb } from "../deps.ts";
import type { MonthUsage } from "./json.ts";

/**
 * Token use per person per month over the last `months` months, newest month first: everyone's
 * (an admin's view), or one person's. Counted from the model's answers (one row per answer).
 */
export async function usageByMonth(
  db: BrainhairDb,
  o: { userSub: string | null; months: number },
): Promise<MonthUsage[]> {
  const m = db.t.messages;
  const c = db.t.chats;
  const since = new Date();
  since.setUTCMonth(since.getUTCMonth() - o.months + 1, 1);
  since.setUTCHours(0, 0, 0, 0);
  const rows = await db.db
    .select({
      user: c.username,
      at: m.createdAt,
      input: m.inputTokens,
      output: m.outputTokens,
      cacheRead: m.cacheReadTokens,
      cacheWrite: m.cacheWriteTokens,
    })
    .from(m)
    .innerJoin(c, eq(c.id, m.chatId))
    .where(and(eq(m.role, "assistant"), gte(m.createdAt, since), o.userSub ? eq(c.userSub, o.userSub) : undefined));
  const sums = new Map<string, MonthUsage>();
  for (const r of rows) {
    const month = r.at.toISOString().slice(0, 7);
    const key = `${month} ${r.user}`;
    const s = sums.get(key) ?? { user: r.user, month, messages: 0, input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
    s.messages++;
    s.input += r.input;
    s.output += r.output;
    s.cacheRead += r.cacheRead;
    s.cacheWrite += r.cacheWrite;
    sums.set(key, s);
  }
  return [...sums.values()].sort((a, b) => b.month.localeCompare(a.month) || a.user.localeCompare(b.user));
}
