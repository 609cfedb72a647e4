import { type OpenAPIHono, type RouteConfig, type RouteHandler, createRoute } from "@hono/zod-openapi";
import type { Context, Handler, MiddlewareHandler } from "hono";
import type { ZodError } from "zod";
import { type Access, guardFor } from "./access.ts";
import type { AppEnv } from "./app.ts";
import type { Csrf } from "./csrf.ts";
import { notFound, validationFailed } from "./errors.tsx";
import { documented } from "./openapi.ts";
import { pageInfo } from "./page.tsx";
import { discardUpload } from "./uploads/files.ts";
import { receiveForm } from "./uploads/form.ts";
import { receiveRawBody } from "./uploads/raw-body.ts";
import type { ReceivedUpload, UploadRoutes, UploadRule } from "./uploads/rules.ts";
import { issuesOf, readJson } from "./validate.ts";

/**
 * One API route: method, path (OpenAPI style, `/api/companies/{acct}`), who may call it, its
 * request schemas (params, query, body) and response schemas. The same object validates the
 * request, types the handler (`c.req.valid("json")`) and writes the OpenAPI document.
 */
export type ApiRoute = RouteConfig & {
  access: Access;
  summary: string;
  tags: [string, ...string[]];
  /** A create a client may retry: takes an Idempotency-Key (lib/idempotency; the app keeps the keys). */
  idempotent?: boolean;
  /**
   * The route answers its errors in a shape of its own, standing in for another product's API (the dev
   * IdP's Keycloak admin API): its document lists only the answers it declares, not the platform's errors.
   */
  ownErrors?: boolean;
  /**
   * The body is one file (`application/octet-stream`), streamed to a temporary file under the rule
   * before the handler runs (`c.get("upload")`); the route's own middleware runs before it is read.
   */
  upload?: UploadRule;
};

/** A page (GET renders, POST handles its form): people only, CSRF-checked, never cached. */
export interface PageRoute {
  method: "get" | "post";
  /** OpenAPI style, like API routes: `/companies/{acct}`. */
  path: string;
  access: Access;
  /** Checks after the access rule and before the form is read (e.g. that the record is the caller's to see). */
  middleware?: MiddlewareHandler<AppEnv>[];
  /**
   * The form may carry files: it is streamed (lib/uploads' receiveForm, with its CSRF check) before
   * the handler runs, which reads `c.get("upload")`; files it does not move are removed afterwards.
   */
  upload?: UploadRule;
}

/** Declares an API route; the identity function keeps its literal type for the handler. */
export const apiRoute = <R extends ApiRoute>(route: R): R => createRoute(route) as R;

/** Declares a page route. */
export const pageRoute = (route: PageRoute): PageRoute => route;

/** Hono's path syntax for an OpenAPI-style path. */
export const honoPath = (path: string) => path.replaceAll(/\/{(.+?)}/g, "/:$1");

const MESSAGES: Record<string, string> = {
  query: "The query is invalid.",
  json: "The request body is invalid.",
  form: "The form is invalid.",
  header: "A request header is invalid.",
};

/**
 * What a failed schema check answers: a path parameter that cannot be valid names nothing (404);
 * anything else is 422 with each field's message.
 */
export function validationHook(result: { success: boolean; target: string; error?: ZodError }, c: { req: Request }) {
  if (result.success || !result.error) return;
  if (result.target === "param") throw notFound(`Nothing at ${new URL(c.req.url).pathname}.`);
  throw validationFailed(issuesOf(result.error), MESSAGES[result.target] ?? "The request is invalid.");
}

function jsonBodyDeclared(route: RouteConfig): boolean {
  const body = route.request?.body;
  return Boolean(body && Object.keys(body.content).some((t) => /^application\/([a-z.+-]*\+)?json/.test(t)));
}

/**
 * Reads a JSON body through lib's reader before the schema sees it, so every app answers the
 * same way: 415 for another media type, 400 for broken JSON, 422 for a NUL character anywhere.
 * The parsed body is cached by Hono for the validator that follows.
 */
function jsonGate(required: boolean): MiddlewareHandler {
  return async (c, next) => {
    const type = c.req.header("content-type") ?? "";
    const hasBody = Boolean(type) || Number(c.req.header("content-length") ?? 0) > 0;
    if (!required && JSON_TYPE.test(type) && (await c.req.text()).trim() === "") {
      // An optional body sent empty (curl -X POST -H 'content-type: application/json') is one left
      // out: the schema sees {}, so its defaults apply. Hono keeps bodies as promises in bodyCache.
      c.req.bodyCache.text = Promise.resolve("{}") as unknown as string;
    } else if (required || hasBody) await readJson(c);
    await next();
  };
}

const JSON_TYPE = /^application\/([a-z.+-]*\+)?json\b/i;

/** For answers about one person (pages, sign-in): never cached by the browser or anything in between. */
export const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  c.header("Cache-Control", "no-store");
};

export interface RouteTableGuards {
  /**
   * Verifies the caller's credentials and sets the principal (lib/auth's tokenRequired); an app
   * without it (the dev IdP) may declare public routes only.
   */
  authenticate?: MiddlewareHandler;
  /** Checks the forms of pages; an app without it has no pages. */
  csrf?: Csrf;
  /** Replays a retried create (lib/idempotency's `idempotent(db)`), for routes marked idempotent. */
  idempotency?: MiddlewareHandler;
  /** Where upload routes are listed, so the app's buffered body limit leaves them alone (lib/app). */
  uploads?: UploadRoutes;
}

/** Marks an upload route's request before anything that might read its body (idempotency hashes it otherwise). */
const streamed: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set("streamedBody", true);
  await next();
};

/** Runs the handler with the upload received, then removes whatever temporary files it left. */
function receiving(receive: (c: Context<AppEnv>) => Promise<ReceivedUpload>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const upload = await receive(c);
    c.set("upload", upload);
    try {
      await next();
    } finally {
      await discardUpload(upload);
    }
  };
}

/**
 * Every route of an app with its access rule: registers it behind its guard, and lists it for
 * the OpenAPI document and the permission tests.
 */
export class RouteTable {
  readonly apis: ApiRoute[] = [];
  readonly pages: PageRoute[] = [];

  constructor(
    readonly app: OpenAPIHono<AppEnv>,
    private readonly guards: RouteTableGuards,
  ) {}

  api<R extends ApiRoute>(route: R, handler: RouteHandler<R, AppEnv>): void {
    if (route.access.public === false && route.access.levels.length === 0 && !route.access.services)
      throw new Error(`${route.method} ${route.path}: its access rule admits nobody`);
    const authenticate = this.authenticator(route);
    this.apis.push(route);
    if (route.idempotent && !this.guards.idempotency)
      throw new Error(`${route.method} ${route.path}: idempotent, but the app keeps no Idempotency-Key answers`);
    // The guard first, then the route's own checks (e.g. a public route's own credentials), then the body.
    const own = route.middleware ? [route.middleware].flat() : [];
    const upload = route.upload;
    if (upload) this.listUpload(route, upload);
    const middleware = [
      ...guardFor(route.access, authenticate),
      ...(upload ? [streamed] : []),
      ...(route.idempotent ? [this.guards.idempotency!] : []),
      ...own,
      ...(upload ? [receiving((c) => receiveRawBody(c, upload))] : []),
      ...(jsonBodyDeclared(route) ? [jsonGate(route.request?.body?.required ?? false)] : []),
    ];
    this.app.openapi({ ...documented(route), middleware } as R, handler, validationHook as never);
  }

  private listUpload(route: ApiRoute | PageRoute, rule: UploadRule): void {
    if (!this.guards.uploads) throw new Error(`${route.method} ${route.path}: takes uploads, but the app lists none`);
    this.guards.uploads.add(route.method, route.path, rule);
  }

  /** How callers of a route are authenticated; a public route needs nothing. */
  private authenticator(route: ApiRoute | PageRoute): MiddlewareHandler {
    const { authenticate } = this.guards;
    if (authenticate || route.access.public) return authenticate ?? (async (_c, next) => next());
    throw new Error(`${route.method} ${route.path}: the app authenticates nobody, so its routes must be public`);
  }

  page(route: PageRoute, handler: Handler<AppEnv>): void {
    if (route.access.public || route.access.services)
      throw new Error(`${route.method} ${route.path}: pages are for signed-in people only`);
    const { csrf } = this.guards;
    if (!csrf) throw new Error(`${route.method} ${route.path}: the app has no CSRF protection for its pages`);
    const guard = guardFor(route.access, this.authenticator(route));
    this.pages.push(route);
    const setPage: MiddlewareHandler<AppEnv> = async (c, next) => {
      c.set("page", pageInfo(c, csrf));
      await next();
    };
    const upload = route.upload;
    if (upload) this.listUpload(route, upload);
    // A form with files is read as it streams, its CSRF token checked on the way (before any file is kept).
    const form = upload
      ? [streamed, receiving((c) => receiveForm(c, upload, (token) => csrf.verify(c, token)))]
      : [csrf.protect];
    const own = route.middleware ?? [];
    this.app.on(
      route.method.toUpperCase(),
      [honoPath(route.path)],
      ...guard,
      noStore,
      ...own,
      ...form,
      setPage,
      handler,
    );
  }
}
