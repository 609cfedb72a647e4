import { join } from "node:path";
import { z } from "zod";
import type { Auth } from "@hivematrix/lib/auth";
// Not the whole of lib/backup: the archive code (age, tar) loads only when a backup runs (backups/runner.ts).
import { installLayout } from "@hivematrix/lib/backup/layout";
import { type BackupSettings, loadBackupSettings } from "@hivematrix/lib/backup/settings";
import { type AppConfig, loadAppConfig } from "@hivematrix/lib/config";
import type { Csrf } from "@hivematrix/lib/csrf";
import {
  appDatabase,
  type DatabaseLocation,
  type DbHandle,
  openDatabase,
  openDatabaseWhenReachable,
} from "@hivematrix/lib/db";
import { type KeycloakAdmin, platformKeycloakAdmin } from "@hivematrix/lib/keycloak-admin";
import { leadership } from "@hivematrix/lib/leadership";
import type { Logger } from "@hivematrix/lib/log";
import { createMetrics, type Metrics } from "@hivematrix/lib/metrics";
import { createRuntime } from "@hivematrix/lib/runtime";
import { envInt, readEnv } from "@hivematrix/lib/settings";
import { type BackupRunner, createBackupRunner } from "./backups/runner.ts";
import { type BackupScheduler, createBackupScheduler } from "./backups/scheduler.ts";
import * as schema from "./db/schema.ts";
import { LiveTail } from "./logs/live.ts";
import { createLocalLogSink, type LocalLogSink } from "./logs/local-sink.ts";
import { metricPointsStore } from "./metrics/data.ts";
import { createScraper, type Scraper } from "./metrics/scraper.ts";
import { OutputFollowers } from "./output/followers.ts";
import { type SupervisorClient, supervisorClient } from "./services/supervisor-client.ts";
import { platformHooks } from "./users/platform.ts";

export type HelmDb = DbHandle<typeof schema>;
type Env = Record<string, string | undefined>;

/** Every environment variable Helm reads of its own (README "Helm"), with its default and limits. */
const helmEnv = z.object({
  HELM_LOG_RETENTION_DAYS: envInt(14, 1, 3_650),
  HELM_LOG_MAX_ROWS: envInt(2_000_000, 1_000, 1_000_000_000),
  HELM_LOG_CLEANUP_INTERVAL_SECONDS: envInt(600, 1, 86_400),
  HELM_SCRAPE_INTERVAL_SECONDS: envInt(15, 1, 3_600),
  HELM_METRICS_HISTORY: envInt(60, 2, 10_000),
});

export interface Settings {
  config: AppConfig;
  /**
   * The environment Helm (and, through the supervisor, every app) was started with: the
   * configuration page, the security audit and the identity provider's admin client read it.
   */
  env: Env;
  /** Log lines older than this are deleted by the cleanup job. */
  retentionDays: number;
  /** At most this many log lines are kept; the oldest go first. */
  maxRows: number;
  cleanupIntervalMs: number;
  /** How often every app's /metrics is scraped. */
  scrapeIntervalMs: number;
  /** Scrapes kept per service (the sparklines' length). */
  metricsHistory: number;
  /** Where backups go and the key they are encrypted to (HIVEMATRIX_BACKUP_DIR, HIVEMATRIX_BACKUP_KEY). */
  backup: BackupSettings;
}

/** Helm's settings, read once at start-up; a bad value stops it with one line naming the variable. */
export function loadSettings(env: Env = process.env): Settings {
  const own = readEnv(helmEnv, env);
  const config = loadAppConfig("helm", env);
  return {
    config,
    env,
    retentionDays: own.HELM_LOG_RETENTION_DAYS,
    maxRows: own.HELM_LOG_MAX_ROWS,
    cleanupIntervalMs: own.HELM_LOG_CLEANUP_INTERVAL_SECONDS * 1000,
    scrapeIntervalMs: own.HELM_SCRAPE_INTERVAL_SECONDS * 1000,
    metricsHistory: own.HELM_METRICS_HISTORY,
    backup: loadBackupSettings(config, env),
  };
}

const helmDatabase = (config: DatabaseLocation) => appDatabase(config, schema, join(import.meta.dir, "db/migrations"));

/** Helm's database (SQLite, or PostgreSQL with HELM_DATABASE_URL), migrated; fails when it cannot be reached (CLIs). */
export function openHelmDb(config: DatabaseLocation): Promise<HelmDb> {
  return openDatabase(helmDatabase(config));
}

/** What Helm's features need, built once by main.ts (or by a test). */
export interface Deps {
  settings: Settings;
  config: AppConfig;
  logger: Logger;
  auth: Auth;
  csrf: Csrf;
  db: HelmDb;
  /** The registry behind Helm's own /metrics, which the scraper reads in-process. */
  metrics: Metrics;
  /** The open live tails, fed every line as it is stored. */
  live: LiveTail;
  /** The open live views of services' raw output. */
  followers: OutputFollowers;
  scraper: Scraper;
  supervisor: SupervisorClient;
  /** Backups run inside Helm ("Back up now", the schedule), one at a time. */
  backups: { runner: BackupRunner; scheduler: BackupScheduler };
  /** Helm's own log lines, waiting for its database (main.ts attaches them); null when a test keeps the logger. */
  ownLines: LocalLogSink | null;
  /** The identity provider's admin API (Keycloak or the dev IdP); null when no admin password is set. */
  keycloak(): KeycloakAdmin | null;
  /** Whether Codex has a company with this account number (null: no Codex in this platform). */
  companyExists(accountNumber: string): Promise<boolean | null>;
  /** Revokes a person's sessions at Core; how many. */
  endSessions(sub: string): Promise<number>;
}

/** `test` replaces what a test provides itself (its logger, an auth that knows its own signing key). */
export function buildDeps(settings: Settings, test: Partial<Pick<Deps, "logger" | "auth" | "csrf">> = {}): Deps {
  const { config, env } = settings;
  // Helm's own records go straight to its database, never over HTTP to itself.
  const ownLines = test.logger ? null : createLocalLogSink("helm");
  const runtime = createRuntime(config, env, { logSinks: ownLines ? [ownLines.sink] : [] });
  const logger = test.logger ?? runtime.logger;
  // Helm listens at once and answers 503 until its database answers (its own lines wait meanwhile).
  const db = openDatabaseWhenReachable(helmDatabase(config), logger);
  const metrics = createMetrics("helm");
  const scraper = createScraper({
    store: metricPointsStore(db),
    // With several Helm instances one scrapes; each shows the points it saved.
    leadership: () => leadership(db, "helm:metrics-scraper"),
    services: Object.keys(config.services),
    intervalMs: settings.scrapeIntervalMs,
    history: settings.metricsHistory,
    logger,
    // Core issues no token from a service to itself, and Helm's own registry is right here.
    async fetchMetrics(service) {
      if (service === "helm") return metrics.render();
      const res = await runtime.services.callService(service, "/metrics", { signal: AbortSignal.timeout(5_000) });
      if (!res.ok) throw new Error(`${service}/metrics answered ${res.status}`);
      return res.text();
    },
  });
  const runner = createBackupRunner({ db, logger, layout: installLayout(config, env), settings: settings.backup });
  return {
    settings,
    config,
    logger,
    auth: test.auth ?? runtime.auth,
    csrf: test.csrf ?? runtime.csrf,
    db,
    metrics,
    live: new LiveTail(),
    followers: new OutputFollowers(),
    scraper,
    supervisor: supervisorClient(config.home),
    backups: { runner, scheduler: createBackupScheduler(runner, logger, db) },
    ownLines,
    keycloak: platformKeycloakAdmin({ url: config.idp.url, home: config.home, env }),
    ...platformHooks(config, runtime.services),
  };
}
