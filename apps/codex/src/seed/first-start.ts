import { eq } from "drizzle-orm";
import type { Logger } from "@hivematrix/lib/log";
import type { CodexDb, DemoSetting } from "../deps.ts";
import type { SeedSummary } from "./seed.ts";

/** The app_settings key recording that this database had its first start, and what came of the demo data. */
const FIRST_START_KEY = "first_start";

export type FirstStart =
  | { demo: "added"; summary: SeedSummary }
  | { demo: "skipped"; reason: string }
  | { demo: "not added"; reason: string };

/**
 * A database's first start: the demo MSP when the setting allows it and the database is empty,
 * then a mark so it never happens again. Without the mark, an admin who cleared the demo data
 * would find it back at the next restart. Null on every later start.
 */
export async function demoOnFirstStart(h: CodexDb, setting: DemoSetting): Promise<FirstStart | null> {
  const t = h.t.appSettings;
  const [mark] = await h.db.select().from(t).where(eq(t.key, FIRST_START_KEY));
  if (mark) return null;
  // The seed (its names, words and generators) is loaded on a first start only, not at every start.
  const { isEmpty, seed } = await import("./seed.ts");
  const outcome: FirstStart = !(await isEmpty(h))
    ? { demo: "not added", reason: "the database already holds data" }
    : setting.enabled
      ? { demo: "added", summary: await seed(h, "demo") }
      : { demo: "skipped", reason: setting.reason };
  const value = { demo: outcome.demo, ...(outcome.demo === "added" ? {} : { reason: outcome.reason }) };
  await h.db
    .insert(t)
    .values({ key: FIRST_START_KEY, value, updatedBy: "codex", updatedAt: new Date() })
    .onConflictDoNothing();
  return outcome;
}

/** The first start at Codex's start-up, with one log line saying what came of it. */
export async function firstStart(db: CodexDb, setting: DemoSetting, logger: Logger): Promise<void> {
  const first = await demoOnFirstStart(db, setting);
  if (first?.demo === "added") logger.info("first start: added demo data", { ...first.summary });
  else if (first) logger.info(`first start: no demo data (${first.reason})`);
}
