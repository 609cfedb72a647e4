import type { Context, Hono } from "hono";
import { z } from "zod";
import { appUrl, type AppEnv } from "@hivematrix/lib/app";
import { HttpError, notFound } from "@hivematrix/lib/errors";
import { jsonBody, queryParams } from "@hivematrix/lib/validate";
import type { Deps } from "../deps.ts";
import type { SyncJob } from "../db/schema.ts";
import type { RouteTable } from "../routes/registry.ts";
import { actorOf } from "../shared/request.ts";
import { jobJson, providerError, startRun } from "./api.ts";
import { dattoClient, type IntegrationContext } from "./context.ts";
import { deviceJson } from "./datto/mapping.ts";
import { IntegrationError } from "./http.ts";
import { Integrations } from "./service.ts";
import { JOB_KINDS, type JobKind } from "./settings.ts";
import { settingsPages } from "./settings-routes.tsx";
import { psaApi } from "./psa-links.ts";
import { getJob, lastJob, listJobs, liveState } from "./sync/jobs.ts";
import { assignAccountNumbers } from "./sync/account-numbers.ts";
import { linkSite } from "./sync/rmm.ts";
import { webhookRoutes } from "./webhook.ts";

const jobsQuery = z
  .object({
    kind: z.enum(JOB_KINDS).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    before: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

const devicesQuery = z.object({ site_uid: z.string().min(1).max(200).optional() }).strict();
const linkBody = z.object({ account_number: z.string().trim().min(1).max(50) }).strict();

/**
 * Codex's integrations: sync runs (API and scheduler), job status, the Freshservice webhook,
 * live Datto device reads, Keycloak agent sync and the admin settings pages. Mounted by one
 * line in app.ts; creates this process's one scheduler and arms it from the stored settings.
 */
export function integrationRoutes(app: Hono<AppEnv>, r: RouteTable, deps: Deps): Integrations {
  const ctx: IntegrationContext = {
    db: deps.db,
    home: deps.config.home,
    logger: deps.logger,
    idp: { url: deps.config.idp.url, realm: deps.config.idp.realm },
  };
  const integrations = new Integrations(ctx);
  const tag = "Sync";
  const who = (c: Context<AppEnv>) => actorOf(c).name;
  const started = (c: Context<AppEnv>, job: SyncJob) =>
    c.json(
      {
        success: true,
        job_id: job.id,
        message: `${job.kind} sync started`,
        status_url: appUrl(c, `/sync/status/${job.id}`),
        job: jobJson(job),
      },
      202,
    );

  r.add(
    {
      method: "post",
      path: "/sync/psa",
      access: "admin",
      tag,
      summary: "Sync companies, contacts and agents from Freshservice",
    },
    async (c) => started(c, await startRun(integrations, "psa", who(c))),
  );
  r.add(
    { method: "post", path: "/sync/tickets", access: "data", tag, summary: "Sync tickets updated since the last run" },
    async (c) => started(c, await startRun(integrations, "tickets", who(c))),
  );
  r.add(
    {
      method: "post",
      path: "/sync/tickets/full-history",
      access: "admin",
      tag,
      summary: "Sync every ticket since the configured start date",
    },
    async (c) => started(c, await startRun(integrations, "tickets_full", who(c))),
  );
  r.add(
    { method: "post", path: "/sync/rmm", access: "admin", tag, summary: "Sync Datto RMM sites and devices" },
    async (c) => started(c, await startRun(integrations, "rmm", who(c))),
  );
  r.add(
    {
      method: "post",
      path: "/sync/create-account-numbers",
      access: "admin",
      tag,
      summary: "Give Freshservice departments without an account number a unique one",
    },
    async (c) => {
      try {
        const assigned = await assignAccountNumbers(ctx);
        return c.json({
          success: true,
          assigned,
          message: `${assigned.length} department(s) got an account number; run the PSA sync to bring them in.`,
        });
      } catch (e) {
        return providerError(e);
      }
    },
  );
  r.add(
    { method: "get", path: "/sync/status/:job_id", access: "staff", tag, summary: "One sync run and its progress" },
    async (c) => {
      const job = await getJob(deps.db, c.req.param("job_id") ?? "");
      if (!job) throw notFound("No such sync job.");
      return c.json(jobJson(job, await liveState(deps.db, job)));
    },
  );
  r.add(
    {
      method: "get",
      path: "/sync/last/:kind",
      access: "staff",
      tag,
      summary: "The latest run and the latest successful run of a kind",
    },
    async (c) => {
      const kind = c.req.param("kind") as JobKind;
      if (!JOB_KINDS.includes(kind)) throw notFound(`No sync kind ${kind}; kinds: ${JOB_KINDS.join(", ")}.`);
      const [last, success] = [await lastJob(deps.db, kind), await lastJob(deps.db, kind, true)];
      return c.json({
        kind,
        last: last ? jobJson(last) : null,
        last_success: success ? jobJson(success) : null,
        last_success_at: success?.finishedAt?.toISOString() ?? null,
      });
    },
  );
  r.add(
    {
      method: "get",
      path: "/api/sync/jobs",
      access: "staff",
      tag,
      summary: "Sync runs, newest first",
      query: jobsQuery,
    },
    async (c) => {
      const q = queryParams(c, jobsQuery);
      const jobs = await listJobs(deps.db, {
        kind: q.kind,
        limit: q.limit,
        before: q.before ? new Date(q.before) : undefined,
      });
      return c.json({
        jobs: jobs.map((j) => jobJson(j)),
        schedule: integrations
          .schedule()
          .map((s) => ({ ...s, next_run: s.nextRun?.toISOString() ?? null, nextRun: undefined })),
      });
    },
  );

  r.add(
    {
      method: "post",
      path: "/api/agents/sync",
      access: "admin",
      tag: "Agents",
      summary: "Sync agents from Keycloak's staff groups (every page); waits for the result",
    },
    async (c) => {
      const job = await startRun(integrations, "agents", who(c));
      const done = (await integrations.finished(job.id)) ?? (await getJob(deps.db, job.id)) ?? job;
      if (done.status === "failed")
        throw new HttpError(502, "sync_failed", done.error ?? "The agent sync failed.", jobJson(done));
      return c.json({ success: true, job: jobJson(done) });
    },
  );

  r.add(
    {
      method: "get",
      path: "/api/datto/devices",
      access: "staff",
      tag: "Datto",
      summary: "Devices as Datto RMM reports them now (all, or one site's)",
      query: devicesQuery,
    },
    async (c) => {
      const q = queryParams(c, devicesQuery);
      try {
        const datto = await dattoClient(ctx);
        const devices = q.site_uid ? await datto.siteDevices(q.site_uid) : await datto.accountDevices();
        return c.json({ devices: devices.map(deviceJson), count: devices.length });
      } catch (e) {
        return providerError(e);
      }
    },
  );
  r.add(
    {
      method: "get",
      path: "/api/datto/device/:id",
      access: "staff",
      tag: "Datto",
      summary: "One device, by Datto device uid, as Datto RMM reports it now",
    },
    async (c) => {
      try {
        const device = await (await dattoClient(ctx)).device(c.req.param("id") ?? "");
        if (!device) throw notFound("Datto RMM has no device with this uid.");
        return c.json(deviceJson(device));
      } catch (e) {
        return providerError(e);
      }
    },
  );
  r.add(
    {
      method: "post",
      path: "/api/datto/sites/:uid/link",
      access: "admin",
      tag: "Datto",
      summary: "Link a Datto site to a company (writes its AccountNumber variable)",
      body: linkBody,
    },
    async (c) => {
      const body = await jsonBody(c, linkBody);
      try {
        const outcome = await linkSite(ctx, c.req.param("uid") ?? "", body.account_number, who(c));
        return c.json({ success: true, variable: outcome });
      } catch (e) {
        if (e instanceof IntegrationError && e.kind === "bad_request")
          throw new HttpError(422, "validation_failed", e.message, [{ field: "account_number", message: e.message }]);
        return providerError(e);
      }
    },
  );

  webhookRoutes(app, ctx);
  settingsPages(r, deps, integrations);
  psaApi(r, deps);
  // Arm the schedule once the database answers; a failure here must not stop Codex from serving.
  void deps.db.whenReady
    .then(() => integrations.applySchedule(true))
    .catch((e) => deps.logger.warn("sync schedule not armed", { error: e }));
  return integrations;
}
