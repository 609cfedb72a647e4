import type { Hono } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import { forbidden } from "@hivematrix/lib/errors";
import { jsonBody } from "@hivematrix/lib/validate";
import type { HelmDeps } from "../context.ts";
import { ingestSchema } from "../logs/ingest-schema.ts";
import { fromIngest } from "../logs/store.ts";

/**
 * POST /api/logs/ingest `{lines: [...]}`: services only (lib's log shipper). The service name
 * is the token's calling_service, so no service can write lines in another's name, and a
 * batch is validated whole and stored whole, or refused with nothing stored.
 */
export function ingestRoutes(app: Hono<AppEnv>, deps: HelmDeps) {
  app.post("/api/logs/ingest", deps.auth.tokenRequired, async (c) => {
    const service = c.get("service");
    if (!c.get("isServiceCall") || !service)
      throw forbidden("Only services ship logs to Helm; a user token cannot write to the log.");
    const body = await jsonBody(c, ingestSchema);
    const lines = body.lines.map((l) => fromIngest(service, l));
    await deps.store(lines);
    return c.json({ ingested: lines.length });
  });
}
