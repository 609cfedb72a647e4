import { join } from "node:path";
import { z } from "zod";
import type { Auth } from "@hivematrix/lib/auth";
import { type AppConfig, loadAppConfig } from "@hivematrix/lib/config";
import type { Csrf } from "@hivematrix/lib/csrf";
import { appDatabase, type DbHandle, openDatabaseWhenReachable } from "@hivematrix/lib/db";
import type { Logger } from "@hivematrix/lib/log";
import type { LogShipper } from "@hivematrix/lib/log-shipper";
import { createRuntime } from "@hivematrix/lib/runtime";
import { envInt, envText, readEnv } from "@hivematrix/lib/settings";
import { Signals } from "./approvals/signals.ts";
import * as schema from "./db/schema.ts";
import { filteredLogger } from "./filter/logging.ts";
import { type ModelKey, readModelKey } from "./model/key.ts";
import { createModelClient, type ModelClient } from "./model/client.ts";
import { TurnRegistry } from "./turns/running.ts";

export type BrainhairDb = DbHandle<typeof schema>;
type Env = Record<string, string | undefined>;

/** The default model: a current Claude Sonnet. */
export const DEFAULT_MODEL = "claude-sonnet-5-5";

const brainhairEnv = z.object({
  ANTHROPIC_API_KEY: envText(),
  ANTHROPIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  BRAINHAIR_MODEL: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.@:_-]{1,99}$/, "must be a model id such as claude-sonnet-5-5")
    .default(DEFAULT_MODEL),
  BRAINHAIR_MAX_TOKENS: envInt(4096, 256, 64_000),
  BRAINHAIR_APPROVAL_TIMEOUT_SECONDS: envInt(120, 1, 3600),
  BRAINHAIR_MODEL_DEADLINE_SECONDS: envInt(60, 1, 600),
  BRAINHAIR_MODEL_IDLE_SECONDS: envInt(45, 1, 600),
  BRAINHAIR_TOOL_TIMEOUT_SECONDS: envInt(30, 1, 300),
  BRAINHAIR_MAX_TOOL_ROUNDS: envInt(20, 1, 100),
});

export interface Settings {
  config: AppConfig;
  model: string;
  /** The Anthropic key (or none: Brainhair starts and its pages say what to set). */
  key: ModelKey;
  /** ANTHROPIC_BASE_URL: another Messages API endpoint (a proxy, or a test's fake). */
  baseUrl: string | null;
  maxTokens: number;
  /** An approval nobody decides within this long counts as denied. */
  approvalTimeoutMs: number;
  /** 429/529/5xx are retried with backoff until this long after the request began. */
  modelDeadlineMs: number;
  /** A model stream that sends nothing for this long is given up (and retried within the deadline). */
  modelIdleMs: number;
  toolTimeoutMs: number;
  /** Model requests one turn may make (each round answers the previous round's tool calls). */
  maxToolRounds: number;
}

/** Brainhair's settings, read once at start-up; a bad value stops it with one line naming the variable. */
export function loadSettings(env: Env = process.env): Settings {
  const own = readEnv(brainhairEnv, env);
  const config = loadAppConfig("brainhair", env);
  return {
    config,
    model: own.BRAINHAIR_MODEL,
    key: readModelKey(config.home, own.ANTHROPIC_API_KEY),
    baseUrl: own.ANTHROPIC_BASE_URL?.replace(/\/+$/, "") ?? null,
    maxTokens: own.BRAINHAIR_MAX_TOKENS,
    approvalTimeoutMs: own.BRAINHAIR_APPROVAL_TIMEOUT_SECONDS * 1000,
    modelDeadlineMs: own.BRAINHAIR_MODEL_DEADLINE_SECONDS * 1000,
    modelIdleMs: own.BRAINHAIR_MODEL_IDLE_SECONDS * 1000,
    toolTimeoutMs: own.BRAINHAIR_TOOL_TIMEOUT_SECONDS * 1000,
    maxToolRounds: own.BRAINHAIR_MAX_TOOL_ROUNDS,
  };
}

/** What Brainhair's features need, built once by main.ts (or by a test). */
export interface Deps {
  settings: Settings;
  config: AppConfig;
  logger: Logger;
  /** The logger for anything that may carry client data: every string passes the filter at hipaa. */
  safeLog: Logger;
  logShipper: LogShipper | null;
  auth: Auth;
  csrf: Csrf;
  db: BrainhairDb;
  /** The model, or null without a key. */
  model: ModelClient | null;
  /** Wakes whoever waits on an approval or a stop, in this process (the database is polled too). */
  signals: Signals;
  /** The turns this process is running, with their live event streams. */
  turns: TurnRegistry;
}

/** `test` replaces what a test provides itself (its logger, an auth that knows its own signing key). */
export function buildDeps(settings: Settings, test: Partial<Pick<Deps, "logger" | "auth" | "csrf">> = {}): Deps {
  const runtime = createRuntime(settings.config);
  const logger = test.logger ?? runtime.logger;
  // Brainhair (SQLite, or PostgreSQL with BRAINHAIR_DATABASE_URL) serves 503s until its database answers.
  const db = openDatabaseWhenReachable(
    appDatabase(settings.config, schema, join(import.meta.dir, "db/migrations")),
    logger,
  );
  return {
    settings,
    config: settings.config,
    logger,
    safeLog: filteredLogger(logger),
    logShipper: test.logger ? null : runtime.logShipper,
    auth: test.auth ?? runtime.auth,
    csrf: test.csrf ?? runtime.csrf,
    db,
    model: settings.key.key ? createModelClient(settings, settings.key.key) : null,
    signals: new Signals(),
    turns: new TurnRegistry(),
  };
}
