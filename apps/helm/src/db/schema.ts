import { bigserial, doublePrecision, index, jsonb, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const LOG_LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/**
 * Every app's log records. `service` comes from the shipping service's token, never from the
 * payload. Kept for HELM_LOG_RETENTION_DAYS and at most HELM_LOG_MAX_ROWS rows.
 */
export const logEntries = pgTable(
  "log_entries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: ts("at").notNull(),
    service: text("service").notNull(),
    level: text("level", { enum: LOG_LEVELS }).notNull(),
    message: text("message").notNull(),
    requestId: text("request_id"),
    user: text("user"),
    context: jsonb("context").$type<Record<string, unknown>>(),
  },
  (t) => [
    index("log_entries_at_idx").on(t.at),
    index("log_entries_service_at_idx").on(t.service, t.at),
    index("log_entries_level_at_idx").on(t.level, t.at),
    index("log_entries_request_id_idx").on(t.requestId),
    index("log_entries_user_idx").on(t.user),
  ],
);

/** Starts, stops and restarts asked of Helm, with who asked and how it went. */
export const controlActions = pgTable(
  "control_actions",
  {
    id: serial("id").primaryKey(),
    at: ts("at").notNull(),
    service: text("service").notNull(),
    action: text("action", { enum: ["start", "stop", "restart"] }).notNull(),
    actor: text("actor").notNull(),
    outcome: text("outcome", { enum: ["done", "failed", "refused", "accepted"] }).notNull(),
    message: text("message"),
  },
  (t) => [index("control_actions_at_idx").on(t.at)],
);

/**
 * The services page's chart points (requests/s, p95, error share between two scrapes), kept so
 * the charts survive a Helm restart; trimmed to the span the charts show.
 */
export const metricPoints = pgTable(
  "metric_points",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    service: text("service").notNull(),
    at: ts("at").notNull(),
    rate: doublePrecision("rate").notNull(),
    p95Ms: doublePrecision("p95_ms"),
    errorPct: doublePrecision("error_pct").notNull(),
  },
  (t) => [index("metric_points_service_at_idx").on(t.service, t.at), index("metric_points_at_idx").on(t.at)],
);

export type LogEntryRow = typeof logEntries.$inferSelect;
export type ControlActionRow = typeof controlActions.$inferSelect;
