import { join } from "node:path";
import { z } from "zod";
import type { Auth } from "@hivematrix/lib/auth";
import { type AppConfig, ConfigError, loadAppConfig } from "@hivematrix/lib/config";
import type { Csrf } from "@hivematrix/lib/csrf";
import {
  appDatabase,
  type DatabaseLocation,
  type DbHandle,
  openDatabase,
  openDatabaseWhenReachable,
} from "@hivematrix/lib/db";
import type { Logger } from "@hivematrix/lib/log";
import type { LogShipper } from "@hivematrix/lib/log-shipper";
import { createRuntime } from "@hivematrix/lib/runtime";
import { envInt, readEnv } from "@hivematrix/lib/settings";
import { MIGRATIONS_DIR } from "./db/migrations.ts";
import * as schema from "./db/schema.ts";
import { outboxNotifier } from "./mail/outbox/notify.ts";
import { loadMailSettings, type MailSettings } from "./mail/settings.ts";
import type { TicketEvents } from "./tickets/events.ts";
import { AttachmentStore } from "./tickets/attachments/store.ts";

export { AttachmentStore };

export type CodexDb = DbHandle<typeof schema>;
type Env = Record<string, string | undefined>;

/** Every CODEX_* variable Codex reads (its database's, CODEX_DATABASE_URL, is the platform's). */
const codexEnv = z.object({
  /** `bun run start --no-demo` sets it to false. */
  CODEX_DEMO_DATA: z.enum(["true", "false"], { error: "must be true or false" }).optional(),
  CODEX_AUDIT_RETENTION_DAYS: envInt(400, 1, 36_500),
  CODEX_PURGE_INTERVAL_SECONDS: envInt(3_600, 1, 86_400),
  /** Nexus passes up to NEXUS_MAX_REQUEST_BODY_MB (default 1024), so the ceiling here stays below it. */
  CODEX_ATTACHMENT_MAX_MB: envInt(25, 1, 1_000),
});

/** Whether a fresh database gets the demo MSP on its first start, and why (for the log). */
export interface DemoSetting {
  enabled: boolean;
  reason: string;
}

/** How long Codex keeps what only grows (README "Codex"). */
export interface RetentionSettings {
  /** Audit rows older than this many days are deleted. */
  auditRetentionDays: number;
  /** How often they are (also at start). */
  purgeIntervalMs: number;
}

/** Files attached to tickets and replies (README "Codex"). */
export interface AttachmentSettings {
  /** HIVEMATRIX_HOME/data/attachments: one file per attachment, named by a random key. */
  dir: string;
  /** The largest file, in bytes (CODEX_ATTACHMENT_MAX_MB). */
  maxBytes: number;
}

export interface Settings {
  config: AppConfig;
  demo: DemoSetting;
  retention: RetentionSettings;
  /** Email in and out (SMTP_URL, IMAP_URL, MAIL_FROM…); each side off when its URL is unset. */
  mail: MailSettings;
  attachments: AttachmentSettings;
}

/**
 * Codex's settings, read once at start-up. Demo data is for development only: production never
 * gets it, and asking for it there is a configuration error rather than something silently ignored.
 */
export function loadSettings(env: Env = process.env): Settings {
  const own = readEnv(codexEnv, env);
  const config = loadAppConfig("codex", env);
  return {
    config,
    demo: demoSetting(config.env, own.CODEX_DEMO_DATA),
    retention: {
      auditRetentionDays: own.CODEX_AUDIT_RETENTION_DAYS,
      purgeIntervalMs: own.CODEX_PURGE_INTERVAL_SECONDS * 1000,
    },
    mail: loadMailSettings(config, env),
    attachments: {
      dir: join(config.home, "data", "attachments"),
      maxBytes: own.CODEX_ATTACHMENT_MAX_MB * 1024 * 1024,
    },
  };
}

function demoSetting(platformEnv: AppConfig["env"], asked: "true" | "false" | undefined): DemoSetting {
  if (platformEnv === "production") {
    if (asked === "true")
      throw new ConfigError(
        "CODEX_DEMO_DATA=true is not allowed with HIVEMATRIX_ENV=production: demo data is for development",
      );
    return { enabled: false, reason: "HIVEMATRIX_ENV=production" };
  }
  return asked === "false"
    ? { enabled: false, reason: "CODEX_DEMO_DATA=false (bun run start --no-demo)" }
    : { enabled: true, reason: "development" };
}

const codexDatabase = (location: DatabaseLocation) => appDatabase(location, schema, MIGRATIONS_DIR);

/** Codex's database (SQLite, or PostgreSQL with CODEX_DATABASE_URL), migrated; fails when unreachable (CLIs, tests). */
export function openCodexDb(location: DatabaseLocation): Promise<CodexDb> {
  return openDatabase(codexDatabase(location));
}

/** What Codex's features need, built once by main.ts (or by a test). */
export interface Deps {
  settings: Settings;
  config: AppConfig;
  logger: Logger;
  logShipper: LogShipper | null;
  auth: Auth;
  csrf: Csrf;
  db: CodexDb;
  /** Hears of every ticket change made in Codex: the outbox's notifier, or null while mail is off. */
  ticketEvents: TicketEvents | null;
  /** Where attachments' files are kept. */
  attachments: AttachmentStore;
}

export interface BuildOptions extends Partial<Pick<Deps, "logger" | "auth" | "csrf">> {
  /** Work that must finish once the database answers, before any request is served (main.ts's). */
  startup?: (db: CodexDb, logger: Logger) => Promise<void>;
}

/** main.ts passes its start-up work; a test its own logger and an auth that knows its own signing key. */
export function buildDeps(settings: Settings, options: BuildOptions = {}): Deps {
  const runtime = createRuntime(settings.config);
  const logger = options.logger ?? runtime.logger;
  // Codex listens at once and answers 503 until its database answers, is migrated and the start-up work is done.
  const db = openDatabaseWhenReachable(codexDatabase(settings.config), logger, async (ready) => {
    await options.startup?.(ready, logger);
  });
  return {
    settings,
    config: settings.config,
    logger,
    logShipper: options.logger ? null : runtime.logShipper,
    auth: options.auth ?? runtime.auth,
    csrf: options.csrf ?? runtime.csrf,
    db,
    ticketEvents: settings.mail.smtp ? outboxNotifier(db, settings.mail) : null,
    attachments: new AttachmentStore(settings.attachments),
  };
}
