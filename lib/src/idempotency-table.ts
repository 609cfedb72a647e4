// The table lib/idempotency keeps answers in; apps re-export it from their schema (no JSX here, so drizzle-kit can load it).
import { index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    /** `user:<sub>` or `service:<name>`. */
    caller: text("caller").notNull(),
    key: text("key").notNull(),
    method: text("method").notNull(),
    path: text("path").notNull(),
    /** SHA-256 of method, path and body: a retry must be the same request. */
    requestHash: text("request_hash").notNull(),
    /** Null while the first request runs. */
    status: integer("status"),
    responseType: text("response_type"),
    responseBody: text("response_body"),
    createdAt: ts("created_at").notNull(),
    expiresAt: ts("expires_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.caller, t.key] }), index("idempotency_keys_expires_idx").on(t.expiresAt)],
);
