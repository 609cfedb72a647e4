import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import type { Auth, UserClaims } from "./auth.ts";
import { databaseErrorAnswer } from "./db-errors.ts";
import { HttpError, respondError } from "./errors.tsx";
import { requestLogging, type Logger } from "./log.ts";
import { createMetrics, type Metrics } from "./metrics.ts";
import type { PageInfo } from "./page.tsx";
import { addressGuard } from "./request-address.ts";
import { CSP_DIRECTIVES } from "./security-headers.ts";
import type { ReceivedUpload, UploadRoutes } from "./uploads/rules.ts";

/** The context every app's handlers see. */
export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    token: string;
    user: UserClaims | null;
    service: string | null;
    isServiceCall: boolean;
    /** Set on page routes by the route table (lib/page). */
    page: PageInfo | undefined;
    /** What an upload route's request carried (lib/uploads), set by the route table before its handler. */
    upload: ReceivedUpload | undefined;
    /** Whether this route reads its body as a stream (an upload): nothing before it may read the body. */
    streamedBody: boolean | undefined;
  };
}

export interface BaseAppOptions {
  logger: Logger;
  /** Service name for the metrics' `service` label. */
  service: string;
  /** Guards /metrics (admins and service calls, e.g. Helm); without it only direct loopback calls may read it. */
  auth?: Auth;
  metrics?: Metrics;
  /** Largest request body accepted, in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** The app's upload routes, which stream their bodies up to their own limits instead. */
  uploads?: UploadRoutes;
  version?: string;
}

/**
 * A Hono app with what every HiveMatrix app needs first: request ids and logging, metrics at
 * /metrics, security headers, a body-size limit, the JSON error shape for APIs and an HTML
 * page for browsers.
 */
export function createBaseApp(options: BaseAppOptions): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const metrics = options.metrics ?? createMetrics(options.service);
  app.use(metrics.middleware);
  app.use(requestLogging(options.logger));
  app.use(
    secureHeaders({
      contentSecurityPolicy: CSP_DIRECTIVES,
      crossOriginEmbedderPolicy: false,
      // A response that sets its own (a download's stricter policy) keeps it.
      overwrite: false,
    }),
  );
  app.use(addressGuard);
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  const buffered = bodyLimit({
    maxSize: limit,
    onError: (c) => respondError(c, 413, "payload_too_large", `The request body is larger than ${limit} bytes.`),
  });
  app.use(async (c, next) => {
    const cap = options.uploads?.capFor(c.req.method, c.req.path);
    if (cap === undefined) return buffered(c, next);
    // An upload streams to disk and counts its own bytes; a declared length over its cap is refused unread.
    if (Number(c.req.header("content-length") ?? 0) > cap)
      return respondError(c, 413, "payload_too_large", `The request body is larger than ${cap} bytes.`, {
        max_bytes: cap,
      });
    await next();
  });
  app.onError((err, c) => {
    if (err instanceof HttpError) return respondError(c, err.status, err.code, err.message, err.details, err.headers);
    // Hono's own refusals (a validator's 415, a malformed body) keep their status, in the platform's shape.
    if (err instanceof HTTPException && err.status < 500)
      return respondError(c, err.status, "bad_request", err.message || "The request is invalid.");
    const log = (c.get("log") as Logger | undefined) ?? options.logger;
    const answer = databaseErrorAnswer(err);
    if (answer) {
      // Not a bug in this app, but worth seeing: a race on a unique key, input validation let a
      // value through that the column cannot hold, or a database that is down.
      log.warn(`database refused the request: ${answer.code}`, { error: err, status: answer.status });
      return respondError(c, answer.status, answer.code, answer.message, answer.details, answer.headers);
    }
    log.error("unhandled error", { error: err });
    return respondError(c, 500, "internal_error", "Something went wrong on our side; it has been logged.", {
      request_id: c.get("requestId"),
    });
  });
  const metricsGuard = options.auth?.requirePermission("admin") ?? loopbackOnly;
  app.get("/metrics", metricsGuard, async (c) => {
    c.header("Content-Type", metrics.registry.contentType);
    return c.body(await metrics.render());
  });
  // Behind Nexus the app sees `/board` for `/codex/board`: name the path the person asked for.
  app.notFound((c) => respondError(c, 404, "not_found", `Nothing at ${prefixOf(c)}${new URL(c.req.url).pathname}.`));
  return app;
}

/** Refuses anything that came through Nexus (it adds X-Forwarded-For); apps bind loopback. */
const loopbackOnly: MiddlewareHandler = async (c, next) => {
  if (c.req.header("x-forwarded-for"))
    throw new HttpError(403, "forbidden", "Metrics are not served through the gateway.");
  await next();
};

export function healthPayload(service: string, version: string, extra: Record<string, unknown> = {}) {
  return { status: "ok", service, version, uptime_s: Math.round(process.uptime()), ...extra };
}

/** The path prefix Nexus mounted this app under (`/codex`), or "" when reached directly. */
export function prefixOf(c: Context): string {
  const p = c.req.header("x-forwarded-prefix");
  return p && /^\/[a-z0-9-]{1,40}$/.test(p) ? p : "";
}

/** A link to `path` of this app that works behind Nexus and directly. */
export function appUrl(c: Context, path: string): string {
  return prefixOf(c) + (path.startsWith("/") ? path : `/${path}`);
}
