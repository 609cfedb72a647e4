import { eq } from "drizzle-orm";
import type { DevIdpDb } from "../deps.ts";
import { ensureRealmGroups } from "./data-groups.ts";
import { createUser, findUser } from "./data.ts";

/** A user seeded on the first start: the same four levels a real Keycloak realm has. */
interface SeedUser {
  id: string;
  username: string;
  password: string;
  firstName: string;
  lastName: string;
  email: string;
  groups: string[];
  /** Account number of the company a client user belongs to. */
  company?: string;
}

const DEV_USERS: readonly SeedUser[] = [
  {
    id: "3f1c2a4e-0001-4d6b-9a51-admin0000001",
    username: "admin",
    password: "admin",
    firstName: "Ada",
    lastName: "Admin",
    email: "admin@hivematrix.local",
    groups: ["admins"],
  },
  {
    id: "3f1c2a4e-0002-4d6b-9a51-tech00000001",
    username: "tech",
    password: "tech",
    firstName: "Toby",
    lastName: "Technician",
    email: "tech@hivematrix.local",
    groups: ["technicians"],
  },
  {
    id: "3f1c2a4e-0003-4d6b-9a51-billing00001",
    username: "billing",
    password: "billing",
    firstName: "Bea",
    lastName: "Billing",
    email: "billing@hivematrix.local",
    groups: ["billing"],
  },
  {
    id: "3f1c2a4e-0004-4d6b-9a51-client000001",
    username: "client",
    password: "client",
    firstName: "Cody",
    lastName: "Client",
    email: "client@acme.example",
    groups: ["client"],
    company: "ACME-001",
  },
];

/**
 * The realm's groups, and the four dev users on the first start only: change or delete them
 * and they stay changed (the directory remembers that it was seeded).
 */
export async function seedDirectory(db: DevIdpDb): Promise<void> {
  await ensureRealmGroups(db);
  const { directoryMeta } = db.t;
  const seeded = await db.db.select().from(directoryMeta).where(eq(directoryMeta.key, "seeded")).limit(1);
  if (seeded.length) return;
  for (const u of DEV_USERS) {
    if (await findUser(db, u.id)) continue;
    await createUser(
      db,
      {
        username: u.username,
        email: u.email,
        firstName: u.firstName,
        lastName: u.lastName,
        enabled: true,
        emailVerified: true,
        groups: u.groups,
        attributes: u.company ? { company: [u.company] } : {},
        password: { value: u.password, temporary: false },
      },
      u.id,
    );
  }
  await db.db.insert(directoryMeta).values({ key: "seeded", value: new Date().toISOString() }).onConflictDoNothing();
}
