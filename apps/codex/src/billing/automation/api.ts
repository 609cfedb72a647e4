import { z } from "zod";
import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../../access.ts";
import type { Deps } from "../../deps.ts";
import { actorOf } from "../../shared/request.ts";
import { jsonAnswer, jsonRequest } from "../../shared/route-schemas.ts";
import { assertMonthStarted } from "../months.ts";
import { periodSchema } from "../bills/json.ts";
import { listRuns, readSchedule, writeSchedule } from "./data.ts";
import { runJson, runSchema, runsQuery, scheduleAnswer, scheduleSchema } from "./json.ts";
import type { BillingAutomation } from "./scheduler.ts";

const tags: [string] = ["Billing"];
const schedule = jsonAnswer(scheduleAnswer, "The schedule and its next runs");

const route = {
  schedule: apiRoute({
    method: "get",
    path: "/api/billing/schedule",
    access: ACCESS.admin,
    tags,
    summary: "The schedule that accepts the previous month's bills automatically",
    responses: { 200: schedule },
  }),
  setSchedule: apiRoute({
    method: "put",
    path: "/api/billing/schedule",
    access: ACCESS.admin,
    tags,
    summary: "Set the acceptance schedule { enabled, cron, timezone }",
    request: { body: jsonRequest(scheduleSchema) },
    responses: { 200: schedule },
  }),
  runs: apiRoute({
    method: "get",
    path: "/api/billing/runs",
    access: ACCESS.staff,
    tags,
    summary: "Runs of month acceptance (scheduled and by hand), newest first",
    request: { query: runsQuery },
    responses: { 200: jsonAnswer(z.object({ items: z.array(runSchema) }), "The runs, newest first") },
  }),
  acceptMonth: apiRoute({
    method: "post",
    path: "/api/billing/accept-month",
    access: ACCESS.billing,
    tags,
    summary:
      "Accept every bill of a month not accepted yet (bills with nothing on them are left out); recorded as a run",
    request: { body: jsonRequest(periodSchema) },
    responses: { 201: jsonAnswer(runSchema, "The run") },
  }),
};

/**
 * Scheduled acceptance over the API. Mounted before /api/billing/{acct}, whose parameter would
 * otherwise take "schedule" and "runs" for account numbers.
 */
export function automationApi(routes: RouteTable, deps: Deps, automation: BillingAutomation) {
  const { db } = deps;
  const scheduleJson = async () => {
    const stored = await readSchedule(db);
    return {
      ...stored.schedule,
      next_runs: automation.view().nextRuns.map((at) => at.toISOString()),
      updated_by: stored.updatedBy,
      updated_at: stored.updatedAt?.toISOString() ?? null,
    };
  };

  routes.api(route.schedule, async (c) => c.json(await scheduleJson(), 200));

  routes.api(route.setSchedule, async (c) => {
    await writeSchedule(db, c.req.valid("json"), actorOf(c));
    await automation.apply();
    return c.json(await scheduleJson(), 200);
  });

  routes.api(route.runs, async (c) =>
    c.json({ items: (await listRuns(db, c.req.valid("query").limit)).map(runJson) }, 200),
  );

  routes.api(route.acceptMonth, async (c) => {
    const period = c.req.valid("json");
    assertMonthStarted(period.year, period.month);
    return c.json(runJson(await automation.runNow(period.year, period.month, actorOf(c).name)), 201);
  });
}
