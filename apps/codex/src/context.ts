import type { Auth } from "@hivematrix/lib/auth";
import type { AppConfig } from "@hivematrix/lib/config";
import type { Csrf } from "@hivematrix/lib/csrf";
import type { Logger } from "@hivematrix/lib/log";
import type { CodexDb } from "./db/open.ts";

/** What Codex's routes need, built once in main.ts (or by a test). */
export interface CodexDeps {
  config: AppConfig;
  db: CodexDb;
  logger: Logger;
  auth: Auth;
  csrf: Csrf;
}
