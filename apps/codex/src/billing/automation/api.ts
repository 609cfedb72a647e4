import { z } from "zod";
import { jsonBody, queryParams } from "@hivematrix/lib/validate";
import type { Deps } from "../deps.ts";
import { assertMonthStarted, periodSchema } from "../billing/bills.ts";
import {
  listRuns,
  readSchedule,
  runJson,
  scheduleSchema,
  writeSchedule,
  type BillingAutomation,
} from "../billing/automation.ts";
import type { RouteTable } from "./registry.ts";
import { actorOf } from "../shared/request.ts";

const runsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) }).strict();

export async function scheduleJson(deps: Deps, automation: BillingAutomation) {
  const stored = await readSchedule(deps.db);
  const armed = automation.view();
  return {
    ...stored.schedule,
    next_runs: armed.nextRuns.map((d) => d.toISOString()),
    updated_by: stored.updatedBy,
    updated_at: stored.updatedAt?.toISOString() ?? null,
  };
}

/**
 * Scheduled acceptance over the API. Registered before /api/billing/:acct, whose parameter
 * would otherwise take "schedule" and "runs" as account numbers.
 */
export function billingAutomationApi(r: RouteTable, deps: Deps, automation: BillingAutomation) {
  const h = deps.db;
  const tag = "Billing";
  r.add(
    {
      method: "get",
      path: "/api/billing/schedule",
      access: "admin",
      tag,
      summary: "The schedule that accepts the previous month's bills automatically",
    },
    async (c) => c.json(await scheduleJson(deps, automation)),
  );
  r.add(
    {
      method: "put",
      path: "/api/billing/schedule",
      access: "admin",
      tag,
      summary: "Set the acceptance schedule { enabled, cron, timezone }",
      body: scheduleSchema,
    },
    async (c) => {
      await writeSchedule(h, await jsonBody(c, scheduleSchema), actorOf(c));
      await automation.apply();
      return c.json(await scheduleJson(deps, automation));
    },
  );
  r.add(
    {
      method: "get",
      path: "/api/billing/runs",
      access: "staff",
      tag,
      summary: "Runs of month acceptance (scheduled and by hand), newest first",
      query: runsQuery,
    },
    async (c) => {
      const q = queryParams(c, runsQuery);
      return c.json({ items: (await listRuns(h, q.limit)).map(runJson) });
    },
  );
  r.add(
    {
      method: "post",
      path: "/api/billing/accept-month",
      access: "billing",
      tag,
      summary:
        "Accept every bill of a month not accepted yet (bills with nothing on them are left out); recorded as a run",
      body: periodSchema,
    },
    async (c) => {
      const body = await jsonBody(c, periodSchema);
      assertMonthStarted(body.year, body.month);
      const run = await automation.runNow(body.year, body.month, actorOf(c).name);
      return c.json(runJson(run), 201);
    },
  );
}
