import type { Context } from "hono";
import { appUrl, prefixOf, type AppEnv } from "@hivematrix/lib/app";
import type { ServiceEntry } from "@hivematrix/lib/config";
import type { Deps } from "../deps.ts";
import { hasIntegrationSecret, SECRET_NAMES } from "./secrets.ts";
import type { Integrations } from "./service.ts";
import { readSettings } from "./settings.ts";
import { listJobs, liveState } from "./sync/jobs.ts";
import { progressOf } from "./sync/report.ts";
import type { IntegrationSettingsProps } from "./views/IntegrationSettings.tsx";
import { WEBHOOK_PATH } from "./webhook.ts";

/** The props of the integrations page for this request: stored settings, whether secrets are set, recent runs. */
export async function integrationSettingsProps(
  c: Context<AppEnv>,
  deps: Deps,
  integrations: Integrations,
  extra: Pick<IntegrationSettingsProps, "form" | "notice"> = {},
): Promise<IntegrationSettingsProps> {
  const home = deps.config.home;
  const [fs, datto, webhooks, scheduler] = [
    await readSettings(deps.db, "freshservice"),
    await readSettings(deps.db, "datto"),
    await readSettings(deps.db, "webhooks"),
    await readSettings(deps.db, "scheduler"),
  ];
  const jobs = await listJobs(deps.db, { limit: 10 });
  return {
    url: (path) => appUrl(c, path),
    csrf: deps.csrf.token(c),
    freshservice: {
      enabled: fs.enabled,
      settings: fs.settings,
      keyConfigured: hasIntegrationSecret(home, SECRET_NAMES.freshserviceApiKey),
    },
    datto: {
      enabled: datto.enabled,
      settings: datto.settings,
      keyConfigured: hasIntegrationSecret(home, SECRET_NAMES.dattoApiKey),
      secretConfigured: hasIntegrationSecret(home, SECRET_NAMES.dattoApiSecret),
    },
    webhooks: {
      enabled: webhooks.enabled,
      settings: webhooks.settings,
      secretConfigured: hasIntegrationSecret(home, SECRET_NAMES.webhookSecret),
      address: webhookAddress(c, deps.config.self),
    },
    scheduler: { settings: scheduler.settings, view: integrations.schedule() },
    jobs: await Promise.all(
      jobs.map(async (job) => ({ job, progress: progressOf(job.counts, await liveState(deps.db, job)) })),
    ),
    ...extra,
  };
}

/**
 * Where Freshservice sends the webhook, or null when nothing outside this machine can reach it.
 * Codex listens on loopback only, so the one way in is through Nexus, which forwards a path
 * without a session only under a prefix of Codex's publicPaths (the same rule as Nexus's).
 * Seen on Codex's own port, the page does not know Nexus's public name and says so.
 */
function webhookAddress(c: Context<AppEnv>, self: ServiceEntry): string | null {
  if (!self.publicPaths.some((prefix) => WEBHOOK_PATH.startsWith(prefix))) return null;
  const prefix = prefixOf(c);
  const host = c.req.header("x-forwarded-host");
  if (!prefix || !host) return `https://<Nexus's public address>/${self.name}${WEBHOOK_PATH}`;
  const proto = c.req.header("x-forwarded-proto") === "https" ? "https" : "http";
  return `${proto}://${host}${prefix}${WEBHOOK_PATH}`;
}
