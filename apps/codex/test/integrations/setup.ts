import { tempHome } from "@hivematrix/lib/testing";
import { createLogger } from "@hivematrix/lib/log";
import type { IntegrationContext } from "../../src/integrations/context.ts";
import { saveIntegrationSecret, SECRET_NAMES } from "../../src/integrations/secrets.ts";
import { Integrations } from "../../src/integrations/service.ts";
import { readSettings, writeSettings } from "../../src/integrations/settings.ts";
import { freshDb, type OpenedDb } from "./engines.ts";
import type { FakeDatto } from "./fakes/datto.ts";
import type { FakeFreshservice } from "./fakes/freshservice.ts";

/** Short, non-sleeping retries so failure tests stay fast. */
export const FAST_POLICY = { retries: 2, baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 5_000, sleep: async () => {} };

export const quietLogger = createLogger({ service: "codex-int-test", level: "error" });

export interface TestContext {
  h: OpenedDb;
  ctx: IntegrationContext;
  integrations: Integrations;
  close(): Promise<void>;
}

export async function testContext(
  engine: "sqlite" | "postgres",
  idp = { url: "http://127.0.0.1:9", realm: "hivematrix" },
): Promise<TestContext> {
  const h = await freshDb(engine);
  const ctx: IntegrationContext = {
    db: h.db,
    home: tempHome("codex-int-"),
    logger: quietLogger,
    idp,
    policy: FAST_POLICY,
  };
  const integrations = new Integrations(ctx);
  return {
    h,
    ctx,
    integrations,
    async close() {
      await integrations.stop();
      await h.close();
    },
  };
}

export async function configureFreshservice(
  ctx: IntegrationContext,
  fs: FakeFreshservice,
  extra: Record<string, unknown> = {},
): Promise<void> {
  saveIntegrationSecret(ctx.home, SECRET_NAMES.freshserviceApiKey, fs.apiKey);
  const current = await readSettings(ctx.db, "freshservice");
  await writeSettings(
    ctx.db,
    "freshservice",
    { enabled: true, settings: { ...current.settings, domain: fs.url, ...extra } },
    "test",
  );
}

export async function configureDatto(
  ctx: IntegrationContext,
  datto: FakeDatto,
  extra: Record<string, unknown> = {},
): Promise<void> {
  saveIntegrationSecret(ctx.home, SECRET_NAMES.dattoApiKey, datto.apiKey);
  saveIntegrationSecret(ctx.home, SECRET_NAMES.dattoApiSecret, datto.apiSecret);
  const current = await readSettings(ctx.db, "datto");
  await writeSettings(
    ctx.db,
    "datto",
    { enabled: true, settings: { ...current.settings, apiUrl: datto.url, ...extra } },
    "test",
  );
}
