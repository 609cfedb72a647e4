import { desc, eq } from "drizzle-orm";
import type { ControlActionRow } from "../db/schema.ts";
import type { HelmDb } from "../deps.ts";

export type NewAction = Pick<ControlActionRow, "service" | "action" | "actor" | "outcome" | "message">;

/** Adds one line to the recent-actions list (Helm's page, or `bun run helm` in a terminal); its id. */
export async function recordAction(db: HelmDb, action: NewAction): Promise<number> {
  const [row] = await db.db
    .insert(db.t.controlActions)
    .values({ at: new Date(), ...action })
    .returning({ id: db.t.controlActions.id });
  return row!.id;
}

export function recentActions(db: HelmDb, limit = 15): Promise<ControlActionRow[]> {
  return db.db.select().from(db.t.controlActions).orderBy(desc(db.t.controlActions.id)).limit(limit);
}

export async function findAction(db: HelmDb, id: number): Promise<ControlActionRow | null> {
  const [row] = await db.db.select().from(db.t.controlActions).where(eq(db.t.controlActions.id, id)).limit(1);
  return row ?? null;
}
