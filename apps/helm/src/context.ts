import type { Auth } from "@hivematrix/lib/auth";
import type { AppConfig } from "@hivematrix/lib/config";
import type { Csrf } from "@hivematrix/lib/csrf";
import type { KeycloakAdmin } from "@hivematrix/lib/keycloak-admin";
import type { Logger } from "@hivematrix/lib/log";
import type { Metrics } from "@hivematrix/lib/metrics";
import type { AuditInput } from "./audit/audit.ts";
import type { SupervisorClient } from "./control/supervisor-client.ts";
import type { HelmDb } from "./db/open.ts";
import type { LiveTail } from "./logs/live.ts";
import type { NewLogLine } from "./logs/store.ts";
import type { Scraper } from "./metrics/scraper.ts";
import type { HelmSettings } from "./settings.ts";

/** What Helm's routes need, built once in main.ts (or by a test). */
export interface HelmDeps {
  config: AppConfig;
  /** The environment Helm (and, through the supervisor, every app) was started with. */
  env: Record<string, string | undefined>;
  settings: HelmSettings;
  logger: Logger;
  auth: Auth;
  csrf: Csrf;
  db: HelmDb;
  metrics: Metrics;
  live: LiveTail;
  scraper: Scraper;
  supervisor: SupervisorClient;
  /** Stores log lines and hands them to the live tail. */
  store(lines: NewLogLine[]): Promise<void>;
  /** The identity provider's admin API (Keycloak or the dev IdP); null when no admin password is set. */
  keycloak(): KeycloakAdmin | null;
  /** Whether Codex has a company with this account number (null: no Codex in this platform). */
  companyExists(accountNumber: string): Promise<boolean | null>;
  /** Revokes a person's sessions at Core; how many. */
  endSessions(sub: string): Promise<number>;
  /** Overrides the audit's Keycloak login probe (tests). */
  auditLogin?: AuditInput["tryLogin"];
}
