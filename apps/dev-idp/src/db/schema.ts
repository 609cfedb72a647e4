import type { AdapterPayload } from "oidc-provider";
import { bigint, boolean, index, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/** The realm's users, as Keycloak keeps them; usernames and emails in lower case. */
export const users = pgTable("users", {
  id: text("id").primaryKey(),
  username: text("username").notNull().unique(),
  email: text("email").unique(),
  firstName: text("first_name"),
  lastName: text("last_name"),
  enabled: boolean("enabled").notNull(),
  emailVerified: boolean("email_verified").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
  /** bcrypt (Bun.password); null until a password is set. */
  passwordHash: text("password_hash"),
  /** Keycloak's required actions, e.g. UPDATE_PASSWORD after a temporary password. */
  requiredActions: jsonb("required_actions").$type<string[]>().notNull(),
  attributes: jsonb("attributes").$type<Record<string, string[]>>().notNull(),
});

/** The realm's groups (admins, technicians, billing, client). */
export const realmGroups = pgTable("realm_groups", {
  id: text("id").primaryKey(),
  name: text("name").notNull().unique(),
});

export const userGroups = pgTable(
  "user_groups",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    groupId: text("group_id")
      .notNull()
      .references(() => realmGroups.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.groupId] })],
);

/** Facts about the directory itself: when the dev users were seeded (once; deleting them sticks). */
export const directoryMeta = pgTable("directory_meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

/** oidc-provider's storage: sign-in sessions, grants, codes and tokens, so they survive a restart. */
export const oidc = pgTable(
  "oidc",
  {
    model: text("model").notNull(),
    id: text("id").notNull(),
    payload: jsonb("payload").$type<AdapterPayload>().notNull(),
    /** The payload's account, so everything of a user who is disabled or deleted can be ended at once. */
    accountId: text("account_id"),
    grantId: text("grant_id"),
    uid: text("uid"),
    userCode: text("user_code"),
    /** Seconds since the epoch; null for what does not expire. */
    expiresAt: bigint("expires_at", { mode: "number" }),
  },
  (t) => [
    primaryKey({ columns: [t.model, t.id] }),
    index("oidc_grant").on(t.grantId),
    index("oidc_uid").on(t.model, t.uid),
    index("oidc_account").on(t.accountId),
  ],
);

export type UserRow = typeof users.$inferSelect;
export type GroupRow = typeof realmGroups.$inferSelect;
