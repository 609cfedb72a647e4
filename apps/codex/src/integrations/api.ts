import type { Context } from "hono";
import { z } from "zod";
import { appUrl, type AppEnv } from "@hivematrix/lib/app";
import { HttpError, notFound } from "@hivematrix/lib/errors";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../access.ts";
import type { SyncJob } from "../db/schema.ts";
import type { Deps } from "../deps.ts";
import { errorAnswer, jsonAnswer } from "../shared/route-schemas.ts";
import { actorOf } from "../shared/request.ts";
import { assignedSchema, jobJson, jobSchema, jobsQuery, jobsSchema, lastRunsSchema, startedSchema } from "./json.ts";
import { providerError, startRun } from "./runs.ts";
import type { Integrations } from "./service.ts";
import { JOB_KINDS, type JobKind } from "./settings.ts";
import { assignAccountNumbers } from "./sync/account-numbers.ts";
import { getJob, lastJob, listJobs, liveState } from "./sync/jobs.ts";

const tags: [string] = ["Sync"];

/** A route starting a run of `kind`: it answers at once (202), with where to follow it. */
const startRoute = (kind: JobKind, path: string, access: typeof ACCESS.admin, summary: string) => ({
  kind,
  route: apiRoute({
    method: "post",
    path,
    access,
    tags,
    summary,
    responses: { 202: jsonAnswer(startedSchema, "The run, started") },
  }),
});
const START_ROUTES = [
  startRoute("psa", "/sync/psa", ACCESS.admin, "Sync companies, contacts and agents from Freshservice"),
  startRoute("tickets", "/sync/tickets", ACCESS.data, "Sync tickets updated since the last run"),
  startRoute(
    "tickets_full",
    "/sync/tickets/full-history",
    ACCESS.admin,
    "Sync every ticket since the configured start date",
  ),
  startRoute("rmm", "/sync/rmm", ACCESS.admin, "Sync Datto RMM sites and devices"),
];

const accountNumbersRoute = apiRoute({
  method: "post",
  path: "/sync/create-account-numbers",
  access: ACCESS.admin,
  tags,
  summary: "Give Freshservice departments without an account number a unique one",
  responses: { 200: jsonAnswer(assignedSchema, "The departments that got one") },
});

const statusRoute = apiRoute({
  method: "get",
  path: "/sync/status/{job_id}",
  access: ACCESS.staff,
  tags,
  summary: "One sync run and its progress",
  request: { params: z.object({ job_id: z.string() }) },
  responses: { 200: jsonAnswer(jobSchema, "The run") },
});

const lastRoute = apiRoute({
  method: "get",
  path: "/sync/last/{kind}",
  access: ACCESS.staff,
  tags,
  summary: "The latest run and the latest successful run of a kind",
  request: { params: z.object({ kind: z.enum(JOB_KINDS) }) },
  responses: { 200: jsonAnswer(lastRunsSchema, "The latest runs") },
});

const jobsRoute = apiRoute({
  method: "get",
  path: "/api/sync/jobs",
  access: ACCESS.staff,
  tags,
  summary: "Sync runs, newest first",
  request: { query: jobsQuery },
  responses: { 200: jsonAnswer(jobsSchema, "The runs and the schedule") },
});

const agentSyncRoute = apiRoute({
  method: "post",
  path: "/api/agents/sync",
  access: ACCESS.admin,
  tags: ["Agents"],
  summary: "Sync agents from Keycloak's staff groups (every page); waits for the result",
  responses: {
    200: jsonAnswer(z.object({ success: z.literal(true), job: jobSchema }), "The finished run"),
    502: errorAnswer("The sync failed (its run in error.details)"),
  },
});

/** Sync runs through the API: start one, follow it, list them. */
export function syncApi(routes: RouteTable, deps: Deps, integrations: Integrations) {
  const { db } = deps;
  const who = (c: Context<AppEnv>) => actorOf(c).name;
  const started = (c: Context<AppEnv>, job: SyncJob) =>
    c.json(
      {
        success: true as const,
        job_id: job.id,
        message: `${job.kind} sync started`,
        status_url: appUrl(c, `/sync/status/${job.id}`),
        job: jobJson(job),
      },
      202,
    );

  for (const { kind, route } of START_ROUTES)
    routes.api(route, async (c) => started(c, await startRun(integrations, kind, who(c))));

  routes.api(accountNumbersRoute, async (c) => {
    try {
      const assigned = await assignAccountNumbers(integrations.ctx);
      const message = `${assigned.length} department(s) got an account number; run the PSA sync to bring them in.`;
      return c.json({ success: true as const, assigned, message }, 200);
    } catch (e) {
      return providerError(e);
    }
  });

  routes.api(statusRoute, async (c) => {
    const job = await getJob(db, c.req.valid("param").job_id);
    if (!job) throw notFound("No such sync job.");
    return c.json(jobJson(job, await liveState(db, job)), 200);
  });

  routes.api(lastRoute, async (c) => {
    const { kind } = c.req.valid("param");
    const [last, success] = [await lastJob(db, kind), await lastJob(db, kind, true)];
    return c.json(
      {
        kind,
        last: last ? jobJson(last) : null,
        last_success: success ? jobJson(success) : null,
        last_success_at: success?.finishedAt?.toISOString() ?? null,
      },
      200,
    );
  });

  routes.api(jobsRoute, async (c) => {
    const query = c.req.valid("query");
    const jobs = await listJobs(db, {
      kind: query.kind,
      limit: query.limit,
      before: query.before ? new Date(query.before) : undefined,
    });
    const schedule = integrations.schedule().map(({ kind, enabled, cron, nextRun }) => ({
      kind,
      enabled,
      cron,
      next_run: nextRun?.toISOString() ?? null,
    }));
    return c.json({ jobs: jobs.map((job) => jobJson(job)), schedule }, 200);
  });

  routes.api(agentSyncRoute, async (c) => {
    const job = await startRun(integrations, "agents", who(c));
    const done = (await integrations.finished(job.id)) ?? (await getJob(db, job.id)) ?? job;
    if (done.status === "failed")
      throw new HttpError(502, "sync_failed", done.error ?? "The agent sync failed.", jobJson(done));
    return c.json({ success: true as const, job: jobJson(done) }, 200);
  });
}
