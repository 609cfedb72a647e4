import type { Context } from "hono";
import { appUrl, type AppEnv } from "@hivematrix/lib/app";
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
import { AutomationPage } from "../views/billing-automation.tsx";
import { pageCtx } from "../views/shell.tsx";
import { qs, when } from "../shared/format.ts";
import type { RouteTable } from "./registry.ts";
import { actorOf } from "../shared/request.ts";
import { attempt } from "../shared/forms.ts";
import { formFields } from "@hivematrix/lib/validate";
import { runNotice } from "./pages-billing.tsx";

/** The admin page for scheduled acceptance: the schedule, "run now" and the recent runs. */
export function billingAutomationPages(r: RouteTable, deps: Deps, automation: BillingAutomation) {
  const h = deps.db;
  const tag = "Pages";

  const render = async (
    c: Context<AppEnv>,
    values: Record<string, string> | null,
    errors: Record<string, string> = {},
    status: 200 | 422 = 200,
  ) => {
    const stored = await readSchedule(h);
    const v = {
      enabled: stored.schedule.enabled ? "on" : "",
      cron: stored.schedule.cron,
      timezone: stored.schedule.timezone ?? "",
      ...(values ?? {}),
    };
    const runs = (await listRuns(h, 20)).map(runJson);
    const runId = Number(c.req.query("run"));
    const run = runs.find((x) => x.id === runId);
    const notice = c.req.query("notice") === "saved" ? "Schedule saved." : run ? runNotice(run) : null;
    const updated = stored.updatedAt ? `${when(stored.updatedAt)} by ${stored.updatedBy}` : null;
    return c.html(
      <AutomationPage
        p={pageCtx(c)}
        values={v}
        errors={errors}
        nextRuns={automation.view().nextRuns}
        runs={runs}
        updated={updated}
        notice={notice}
      />,
      status,
    );
  };

  r.add(
    {
      method: "get",
      path: "/billing/automation",
      access: "admin",
      page: true,
      tag,
      summary: "Scheduled acceptance of the previous month's bills",
    },
    (c) => render(c, null),
  );
  r.add(
    {
      method: "post",
      path: "/billing/automation",
      access: "admin",
      page: true,
      tag,
      summary: "Save the acceptance schedule",
    },
    async (c) => {
      const raw = await formFields(c);
      const parsed = scheduleSchema.safeParse({
        enabled: raw.enabled === "on",
        cron: raw.cron ?? "",
        timezone: raw.timezone ?? "",
      });
      if (!parsed.success)
        return render(c, raw, Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])), 422);
      await writeSchedule(h, parsed.data, actorOf(c));
      await automation.apply();
      return c.redirect(appUrl(c, "/billing/automation?notice=saved"), 303);
    },
  );
  r.add(
    {
      method: "post",
      path: "/billing/automation/run",
      access: "admin",
      page: true,
      tag,
      summary: "Accept a month's bills now",
    },
    async (c) => {
      const raw = await formFields(c);
      const values = { run_year: raw.year ?? "", run_month: raw.month ?? "" };
      const parsed = periodSchema.safeParse({ year: raw.year, month: raw.month });
      if (!parsed.success)
        return render(
          c,
          values,
          Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), "Choose a month and a year."])),
          422,
        );
      const started = await attempt(async () => assertMonthStarted(parsed.data.year, parsed.data.month));
      if (!started.ok) return render(c, values, started.errors, 422);
      const run = await automation.runNow(parsed.data.year, parsed.data.month, actorOf(c).name);
      return c.redirect(appUrl(c, `/billing/automation${qs({ run: run.id })}`), 303);
    },
  );
}
