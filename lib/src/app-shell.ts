import type { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { Child } from "hono/jsx";
import type { Access } from "./access.ts";
import { type AppEnv, createBaseApp } from "./app.ts";
import type { Auth } from "./auth.ts";
import type { Csrf } from "./csrf.ts";
import type { DbHandle } from "./db.ts";
import { requireDatabaseReady } from "./db-health.ts";
import { serveHealth } from "./health.ts";
import { idempotent } from "./idempotency.ts";
import type { idempotencyKeys } from "./idempotency-table.ts";
import type { Logger } from "./log.ts";
import type { Metrics } from "./metrics.ts";
import { serveOpenApi } from "./openapi.ts";
import { type PageProps, pageRenderer } from "./page.tsx";
import { RouteTable } from "./route-table.ts";
import { UploadRoutes } from "./uploads/rules.ts";
import { VERSION } from "./version.ts";

export interface AppShellOptions {
  /** The app's name in services.json (metrics, logs, health). */
  service: string;
  /** The API document's title and description. */
  title: string;
  description: string;
  /** An app without `auth` (the dev IdP) declares public routes only; without `csrf`, no pages. */
  deps: { logger: Logger; auth?: Auth; csrf?: Csrf };
  /** How routes authenticate their callers, when not by `deps.auth`'s bearer tokens alone (Nexus's session cookie). */
  authenticate?: MiddlewareHandler;
  /** The registry /metrics serves, when the app counts more than its routes (Nexus's proxy) or reads its own (Helm). */
  metrics?: Metrics;
  /** Who may read GET /api/openapi.json (default: every signed-in level and service tokens). */
  openApiAccess?: Access;
  /** The layout every page renders in (`c.render`); apps without pages leave it out. */
  layout?: (props: PageProps & { children?: Child }) => Child;
  /** Largest request body accepted, in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /**
   * The app's database: until it is ready every request but /health and /metrics answers 503
   * `database_unavailable`, and /health reports its state.
   */
  // biome-ignore lint/suspicious/noExplicitAny: any app's schema
  db?: DbHandle<any>;
  /** The database keeping Idempotency-Key answers (its schema exports lib's idempotencyKeys), for idempotent routes. */
  idempotency?: DbHandle<{ idempotencyKeys: typeof idempotencyKeys }>;
  /** What /health reports besides status, version, uptime and the database. */
  health?: () => Record<string, unknown> | Promise<Record<string, unknown>>;
}

/**
 * What every app starts from: the base app (request ids, logging, metrics, security headers,
 * error answers), its page layout, its route table, /health and /api/openapi.json. The app's
 * features then add their routes to `routes`.
 */
export function createAppShell(o: AppShellOptions): { app: OpenAPIHono<AppEnv>; routes: RouteTable } {
  const uploads = new UploadRoutes();
  const app = createBaseApp({
    logger: o.deps.logger,
    service: o.service,
    auth: o.deps.auth,
    metrics: o.metrics,
    maxBodyBytes: o.maxBodyBytes,
    uploads,
  });
  if (o.db) app.use(requireDatabaseReady(o.db));
  if (o.layout) app.use(pageRenderer(o.layout));
  const routes = new RouteTable(app, {
    authenticate: o.authenticate ?? o.deps.auth?.tokenRequired,
    csrf: o.deps.csrf,
    idempotency: o.idempotency ? idempotent(o.idempotency) : undefined,
    uploads,
  });
  serveHealth(routes, o.service, { db: o.db, details: o.health });
  serveOpenApi(routes, { title: o.title, version: VERSION, description: o.description }, o.openApiAccess);
  return { app, routes };
}
