import { conflict, HttpError, notFound } from "@hivematrix/lib/errors";
import type { SyncJob } from "../db/schema.ts";
import { NotConfiguredError } from "./context.ts";
import { IntegrationError } from "./http.ts";
import type { Integrations } from "./service.ts";
import type { JobKind } from "./settings.ts";
import { JobBusyError } from "./sync/jobs.ts";

/** How the API and the settings page start runs, and what they answer when a provider fails. */

/** Provider and configuration problems as API errors: never a 500 for "Datto is down". */
export function providerError(e: unknown): never {
  if (e instanceof NotConfiguredError) throw new HttpError(400, "not_configured", e.message);
  if (e instanceof IntegrationError) {
    if (e.kind === "not_found") throw notFound(e.message);
    throw new HttpError(502, `provider_${e.kind}`, e.message, { provider: e.provider, status: e.status });
  }
  throw e;
}

/** Starts a run for the API and the settings page: busy → 409, unconfigured → 400. */
export async function startRun(integrations: Integrations, kind: JobKind, triggeredBy: string): Promise<SyncJob> {
  try {
    await integrations.preflight(kind);
    return (await integrations.start(kind, triggeredBy)).job;
  } catch (e) {
    if (e instanceof JobBusyError) throw conflict(e.message, { job_id: e.holder });
    return providerError(e);
  }
}
