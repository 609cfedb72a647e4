import { z } from "zod";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { NEXUS_ACCESS } from "../access.ts";
import { chooseEncoding } from "../compression/negotiate.ts";
import type { Deps } from "../deps.ts";

const stylesheetRoute = apiRoute({
  method: "get",
  path: "/static/{file}",
  access: NEXUS_ACCESS.anyone,
  tags: ["Stylesheet"],
  summary: "global.css, the design system: under its content hash (cached for a year) or its plain name",
  request: {
    params: z.object({
      file: z
        .string()
        .regex(/^global(\.[0-9a-f]{16})?\.css$/)
        .meta({ description: "global.css, or global.<hash>.css as pages link it" }),
    }),
  },
  responses: {
    200: { description: "The stylesheet", content: { "text/css": { schema: z.string() } } },
    304: { description: "global.css has not changed since the ETag the client sent" },
  },
});

/**
 * global.css: the hashed name is immutable for a year; the plain name is revalidated. A browser
 * that accepts zstd, brotli or gzip gets the copy compressed once, as small as it gets (about a
 * tenth of the file), with an ETag of its own.
 */
export function stylesheetApi(routes: RouteTable, deps: Pick<Deps, "stylesheet">) {
  const css = deps.stylesheet;

  routes.api(stylesheetRoute, (c) => {
    const { file } = c.req.valid("param");
    const encoding = chooseEncoding(c.req.header("accept-encoding") ?? null);
    const etag = encoding ? `${css.etag.slice(0, -1)}.${encoding}"` : css.etag;
    const cacheControl =
      // A page rendered before a restart may ask for the previous hash: it gets today's file, uncached.
      file !== "global.css" && c.req.path === css.href ? "public, max-age=31536000, immutable" : "no-cache";
    const headers = {
      "content-type": "text/css; charset=utf-8",
      "cache-control": cacheControl,
      vary: "Accept-Encoding",
      etag,
      ...(encoding ? { "content-encoding": encoding } : {}),
    };
    if (file === "global.css" && c.req.header("if-none-match") === etag)
      return c.body(null, 304, { etag, vary: "Accept-Encoding" });
    return c.body(encoding ? css.encoded(encoding) : css.body, 200, headers);
  });
}
