import type { Server } from "bun";
import type { ServiceEntry } from "@hivematrix/lib/config";
import { errorResponse } from "@hivematrix/lib/errors";
import type { Logger } from "@hivematrix/lib/log";
import type { Session } from "../sessions/sessions.ts";
import { CREDENTIAL_HEADERS, HOP_HEADERS } from "./hop-headers.ts";
import type { NexusMetrics } from "./metrics.ts";
import type { RequestInfo } from "./request-info.ts";
import { createDeadlines } from "./deadlines.ts";
import type { WebSocketRelay } from "./websocket.ts";
import type { Balancer, Instance } from "./balancer.ts";

/** Never forwarded to an app: this hop's headers, credentials, Nexus's own cookies, a request id it replaces. */
const DROP_REQUEST = new Set([...HOP_HEADERS, ...CREDENTIAL_HEADERS, "cookie", "x-request-id"]);
const DROP_RESPONSE = ["connection", "keep-alive", "transfer-encoding", "set-cookie", "proxy-authenticate"];

/**
 * A download (Content-Disposition: attachment) up to this size is passed on whole, so it keeps
 * its Content-Length and the browser can show progress: Bun drops the header from any streamed
 * body (oven-sh/bun#10507, still so in Bun 1.4). Bigger downloads stream, without a length.
 */
const WHOLE_DOWNLOAD_LIMIT = 8 * 1024 * 1024;

/**
 * A request body of a known length above this is an upload that may take longer to send than
 * the upstream timeout: the wait for the app's answer starts once it has been sent. Smaller
 * bodies pass untouched, their wait starting at once.
 */
const UPLOAD_BYTES = 1024 * 1024;

type BodyTiming = "now" | "after-upload" | "unknown-length";

/**
 * When the wait for an app's answer starts. A body of unknown length (chunked) passes natively
 * and is not timed: how long sending it takes cannot be told apart from the app's time, and the
 * app's own idle timeout still ends an exchange that stalls.
 */
function bodyTiming(req: Request, info: RequestInfo): BodyTiming {
  if (req.body === null) return "now";
  const length = info.headers["content-length"];
  if (length === undefined) return "unknown-length";
  return Number(length) > UPLOAD_BYTES ? "after-upload" : "now";
}

/** The same body, chunk for chunk with nothing queued, calling `ended` once its last chunk has been read. */
function armedAtEnd(body: ReadableStream<Uint8Array>, ended: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await reader.read();
        if (!next.done) return controller.enqueue(next.value);
        ended();
        controller.close();
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

export interface ForwardDeps {
  metrics: NexusMetrics;
  logger: Logger;
  /** Whether an access line is written per request (LOG_LEVEL=debug). */
  accessLog: boolean;
  ws: WebSocketRelay;
  /** Adds the stylesheet to an HTML answer (the theme cookie is read from `info`). */
  inject: (res: Response, info: RequestInfo) => Response | Promise<Response>;
  upstreamTimeoutMs: number;
  maxIdleSockets: number;
  /** Spreads the requests to a service of several instances (services.json's instances or urls). */
  balancer: Balancer;
}

/**
 * Streams one request to an app and its answer back, adding Authorization, X-Forwarded-* and
 * X-Request-Id on the way in, and on the way out cleaning the app's headers, keeping signed-in
 * content out of caches and giving HTML its stylesheet. `session` is null on a public path.
 */
export function createForwarder(deps: ForwardDeps) {
  const pool = new Bun.FetchSession({ keepAlive: { idleTimeout: 60, maxIdleSockets: deps.maxIdleSockets } });
  const deadlines = createDeadlines(deps.upstreamTimeoutMs);
  const send = (url: string, init: RequestInit) => pool.fetch(url, init);
  const targetMetrics = new Map<string, ReturnType<NexusMetrics["forTarget"]>>();
  const metricsFor = (name: string) => {
    let m = targetMetrics.get(name);
    if (!m) targetMetrics.set(name, (m = deps.metrics.forTarget(name)));
    return m;
  };
  const prefixes = new Map<string, string>();
  const prefixOf = (name: string) => {
    let prefix = prefixes.get(name);
    if (!prefix) prefixes.set(name, (prefix = `/${name}`));
    return prefix;
  };

  function upstreamHeaders(info: RequestInfo, service: ServiceEntry, session: Session | null) {
    // A plain object from what may pass (fetch reads it in one go; Headers.set is a native call each).
    const headers: Record<string, string> = {};
    for (const name in info.headers) if (!DROP_REQUEST.has(name)) headers[name] = info.headers[name]!;
    // Bodies pass through as the app sends them (HTML must be readable for the stylesheet; Nexus
    // compresses for the browser itself), so ask for them uncompressed.
    headers["accept-encoding"] = "identity";
    if (session) headers.authorization = session.authorization;
    headers["x-forwarded-for"] = info.clientIp;
    headers["x-forwarded-proto"] = info.secure ? "https" : "http";
    headers["x-forwarded-host"] = info.publicHost;
    headers["x-forwarded-prefix"] = prefixOf(service.name);
    headers["x-request-id"] = info.requestId;
    return headers;
  }

  async function unavailable(req: Request, info: RequestInfo, service: ServiceEntry, timedOut: boolean) {
    return deps.inject(
      await errorResponse(
        req,
        info.path,
        timedOut ? 504 : 502,
        timedOut ? "upstream_timeout" : "upstream_unavailable",
        timedOut
          ? `${service.title} did not answer within ${deps.upstreamTimeoutMs / 1000} s. Try again in a moment.`
          : `${service.title} is not reachable right now. It may be restarting; try again in a moment.`,
        { "x-request-id": info.requestId },
      ),
      info,
    );
  }

  return async function forward(
    req: Request,
    server: Server<unknown>,
    info: RequestInfo,
    service: ServiceEntry,
    rest: string,
    session: Session | null,
  ): Promise<Response | undefined> {
    // A service of one instance (the usual case) costs one length check here and nothing more.
    const instances = service.instanceUrls.length > 1 ? deps.balancer.poolOf(service) : undefined;
    let instance: Instance | null = instances ? instances.pick() : null;
    const base = instance ? instance.url : service.url;
    const target = base + rest + info.pathAndQuery.slice(info.path.length);
    const headers = upstreamHeaders(info, service, session);
    const metrics = metricsFor(service.name);
    if (info.headers.upgrade?.toLowerCase() === "websocket")
      return deps.ws.open(req, server, target, new Headers(headers), info, metrics);

    const started = performance.now();
    const timing = bodyTiming(req, info);
    const deadline = deadlines.start(timing !== "now");
    // Streamed as it arrives, never held whole; an upload's deadline is armed when its last byte has gone.
    const body = timing === "after-upload" ? armedAtEnd(req.body!, () => deadline.arm()) : req.body;
    let res: Response;
    try {
      const init = {
        method: req.method,
        headers,
        body: body as BodyInit | null,
        redirect: "manual" as const,
        decompress: false,
        signal: deadline.signal,
      };
      if (instance) {
        const sent = await instances!.send(instance, send, target, init, info.headers["idempotency-key"]);
        res = sent.res;
        instance = sent.instance;
      } else res = await pool.fetch(target, init);
    } catch (e) {
      const timedOut = deadline.expired();
      metrics.failure(timedOut ? "timeout" : "unreachable");
      deps.logger.warn(timedOut ? "backend timed out" : "backend unreachable", {
        target: service.name,
        request_id: info.requestId,
        error: (e as Error).message,
      });
      return unavailable(req, info, service, timedOut);
    } finally {
      deadline.end();
    }
    const seconds = (performance.now() - started) / 1000;
    metrics.response(res.status, seconds);
    // The same access line every app writes (at debug level), plus which app answered.
    if (deps.accessLog)
      deps.logger.debug("request", {
        request_id: info.requestId,
        method: req.method,
        path: info.path,
        status: res.status,
        duration_ms: Math.round(seconds * 100_000) / 100,
        user: session?.claims.preferred_username,
        target: service.name,
      });

    const out = res.headers;
    // What the app sent, read in one call; only what needs changing is changed.
    const sent = out.toJSON();
    for (const name of DROP_RESPONSE) if (sent[name] !== undefined) out.delete(name);
    out.set("x-request-id", info.requestId);
    const location = sent.location;
    const answered = instance ? instance.url : service.url;
    if (location?.startsWith(answered)) out.set("location", `/${service.name}${location.slice(answered.length)}`);
    // Signed-in content must not outlive the session in the browser's cache (back button after sign-out).
    if (sent["content-type"]?.startsWith("text/html")) {
      out.set("cache-control", "no-store");
      return deps.inject(res, info);
    }
    if (sent["cache-control"] === undefined) out.set("cache-control", "no-store");
    const disposition = sent["content-disposition"];
    if (
      disposition !== undefined &&
      /^attachment\b/i.test(disposition) &&
      Number(sent["content-length"] ?? Number.NaN) <= WHOLE_DOWNLOAD_LIMIT
    ) {
      return new Response(await res.bytes(), { status: res.status, statusText: res.statusText, headers: out });
    }
    return res;
  };
}

export type Forward = ReturnType<typeof createForwarder>;
