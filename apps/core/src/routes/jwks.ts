import type { Hono } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import type { CoreDeps } from "../context.ts";

export function jwksRoutes(app: Hono<AppEnv>, deps: CoreDeps) {
  app.get("/.well-known/jwks.json", async (c) => {
    c.header("Cache-Control", "public, max-age=300");
    return c.json(await deps.keys.jwks());
  });
}
