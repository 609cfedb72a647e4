import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Hono } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";

const LIVE_TAIL_JS = readFileSync(join(import.meta.dir, "../../static/live-tail.js"), "utf8");

/** The live tail's script: the only JavaScript Helm serves. Public, like any static asset. */
export function staticRoutes(app: Hono<AppEnv>) {
  app.get("/static/live-tail.js", (c) => {
    c.header("Content-Type", "text/javascript; charset=utf-8");
    c.header("Cache-Control", "public, max-age=300");
    return c.body(LIVE_TAIL_JS);
  });
}
