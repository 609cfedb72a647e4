import { index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** One row per signed-in session; a HiveMatrix JWT's `jti` is its id. */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    sub: text("sub").notNull(),
    username: text("username").notNull(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    permissionLevel: text("permission_level", { enum: ["admin", "technician", "billing", "client"] }).notNull(),
    groups: jsonb("groups").$type<string[]>().notNull(),
    company: text("company"),
    source: text("source", { enum: ["login", "cli"] }).notNull(),
    createdAt: ts("created_at").notNull(),
    expiresAt: ts("expires_at").notNull(),
    revokedAt: ts("revoked_at"),
    lastSeenAt: ts("last_seen_at"),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_expires_at_idx").on(t.expiresAt), index("sessions_sub_idx").on(t.sub)],
);

/** SHA-256 of each service's secret; the secrets themselves stay in HIVEMATRIX_HOME/secrets. */
export const serviceCredentials = pgTable("service_credentials", {
  service: text("service").primaryKey(),
  secretHash: text("secret_hash").notNull(),
  updatedAt: ts("updated_at").notNull(),
});

export type SessionRow = typeof sessions.$inferSelect;
