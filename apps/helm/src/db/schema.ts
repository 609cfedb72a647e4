import {
  bigint,
  bigserial,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
} from "drizzle-orm/pg-core";

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

/** Starts, stops and restarts asked of Helm (one service, or all of them), with who asked and how it went. */
export const controlActions = pgTable(
  "control_actions",
  {
    id: serial("id").primaryKey(),
    at: ts("at").notNull(),
    service: text("service").notNull(),
    action: text("action", { enum: ["start", "stop", "restart", "restart-all"] }).notNull(),
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
    p50Ms: doublePrecision("p50_ms"),
    /** CPU time per wall-clock time, in percent (over 100 when several threads were busy). */
    cpuPct: doublePrecision("cpu_pct"),
    rssBytes: doublePrecision("rss_bytes"),
  },
  (t) => [index("metric_points_service_at_idx").on(t.service, t.at), index("metric_points_at_idx").on(t.at)],
);

export const BACKUP_TRIGGERS = ["schedule", "manual"] as const;
export const BACKUP_OUTCOMES = ["running", "succeeded", "failed"] as const;

/** Every backup Helm ran (on its schedule or from "Back up now"), and how it went. */
export const backupRuns = pgTable(
  "backup_runs",
  {
    id: serial("id").primaryKey(),
    startedAt: ts("started_at").notNull(),
    finishedAt: ts("finished_at"),
    trigger: text("trigger", { enum: BACKUP_TRIGGERS }).notNull(),
    actor: text("actor").notNull(),
    outcome: text("outcome", { enum: BACKUP_OUTCOMES }).notNull(),
    /** The archive written (succeeded only). */
    file: text("file"),
    bytes: bigint("bytes", { mode: "number" }),
    durationMs: integer("duration_ms"),
    /** What went wrong, or what retention deleted. */
    message: text("message"),
  },
  (t) => [index("backup_runs_started_at_idx").on(t.startedAt)],
);

/** The backup schedule: one row (id 1), written whole by an admin; no row means no schedule. */
export const backupSchedule = pgTable("backup_schedule", {
  id: integer("id").primaryKey(),
  /** A five-field cron expression read in UTC; null turns scheduled backups off. */
  cron: text("cron"),
  keepDaily: integer("keep_daily").notNull(),
  keepWeekly: integer("keep_weekly").notNull(),
  updatedAt: ts("updated_at").notNull(),
  updatedBy: text("updated_by").notNull(),
});

export type LogEntryRow = typeof logEntries.$inferSelect;
export type ControlActionRow = typeof controlActions.$inferSelect;
export type BackupRunRow = typeof backupRuns.$inferSelect;
export type BackupScheduleRow = typeof backupSchedule.$inferSelect;
