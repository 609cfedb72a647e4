import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Hono } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";

const CHAT_JS = readFileSync(join(import.meta.dir, "../static/chat.js"), "utf8");

/** The chat page's script, the only JavaScript Brainhair serves: public, like any static file. */
export function staticRoutes(app: Hono<AppEnv>) {
  app.get("/static/chat.js", (c) => {
    c.header("Content-Type", "text/javascript; charset=utf-8");
    c.header("Cache-Control", "public, max-age=300");
    return c.body(CHAT_JS);
  });
}
