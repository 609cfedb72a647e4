import { and, asc, eq } from "drizzle-orm";
import type { DevIdpDb } from "../deps.ts";
import type { GroupRow } from "../db/schema.ts";

/** The realm's groups, as `bun run keycloak:setup` creates them in Keycloak. */
export const REALM_GROUPS = ["admins", "technicians", "billing", "client"] as const;

/** Creates the realm's groups that are missing. */
export async function ensureRealmGroups(db: DevIdpDb): Promise<void> {
  await db.db
    .insert(db.t.realmGroups)
    .values(REALM_GROUPS.map((name) => ({ id: crypto.randomUUID(), name })))
    .onConflictDoNothing();
}

/** Every group, by name; `search` keeps those whose name contains it (or equals it, with `exact`). */
export async function listGroups(db: DevIdpDb, search?: string, exact = false): Promise<GroupRow[]> {
  const all = await db.db.select().from(db.t.realmGroups).orderBy(asc(db.t.realmGroups.name));
  if (search === undefined) return all;
  const wanted = search.toLowerCase();
  return all.filter((group) => {
    const name = group.name.toLowerCase();
    return exact ? name === wanted : name.includes(wanted);
  });
}

export async function findGroup(db: DevIdpDb, id: string): Promise<GroupRow | null> {
  const [row] = await db.db.select().from(db.t.realmGroups).where(eq(db.t.realmGroups.id, id)).limit(1);
  return row ?? null;
}

/** The group a name or a path ("technicians" or "/technicians") names, or null. */
export async function groupByName(db: DevIdpDb, name: string): Promise<GroupRow | null> {
  const { realmGroups } = db.t;
  const [row] = await db.db
    .select()
    .from(realmGroups)
    .where(eq(realmGroups.name, name.replace(/^\/+/, "")))
    .limit(1);
  return row ?? null;
}

/** The groups a user is in, by name. */
export async function groupsOfUser(db: DevIdpDb, userId: string): Promise<GroupRow[]> {
  const { userGroups, realmGroups } = db.t;
  return db.db
    .select({ id: realmGroups.id, name: realmGroups.name })
    .from(userGroups)
    .innerJoin(realmGroups, eq(realmGroups.id, userGroups.groupId))
    .where(eq(userGroups.userId, userId))
    .orderBy(asc(realmGroups.name));
}

/** Adds a user to a group; joining twice changes nothing. */
export async function joinGroup(db: DevIdpDb, userId: string, groupId: string): Promise<void> {
  await db.db.insert(db.t.userGroups).values({ userId, groupId }).onConflictDoNothing();
}

export async function leaveGroup(db: DevIdpDb, userId: string, groupId: string): Promise<void> {
  const { userGroups } = db.t;
  await db.db.delete(userGroups).where(and(eq(userGroups.userId, userId), eq(userGroups.groupId, groupId)));
}
