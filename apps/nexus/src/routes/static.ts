import type { Hono } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import type { Stylesheet } from "../stylesheet.ts";

/** global.css: the hashed name is immutable for a year; the plain name is revalidated. */
export function staticRoutes(app: Hono<AppEnv>, css: Stylesheet) {
  const send = (cacheControl: string) =>
    new Response(css.body, {
      headers: { "content-type": "text/css; charset=utf-8", "cache-control": cacheControl, etag: css.etag },
    });

  app.get("/static/:file{global\\.[0-9a-f]{16}\\.css}", (c) =>
    // A page rendered before a restart may ask for the previous hash: it gets today's file, uncached.
    c.req.path === css.href ? send("public, max-age=31536000, immutable") : send("no-cache"),
  );
  app.get("/static/global.css", (c) =>
    c.req.header("if-none-match") === css.etag
      ? new Response(null, { status: 304, headers: { etag: css.etag } })
      : send("no-cache"),
  );
}
