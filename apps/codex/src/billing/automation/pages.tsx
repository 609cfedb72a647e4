import type { Context } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { formFields } from "@hivematrix/lib/validate";
import { PAGES } from "../../access.ts";
import type { Deps } from "../../deps.ts";
import { qs, when } from "../../shared/format.ts";
import { attempt } from "../../shared/forms.ts";
import { actorOf } from "../../shared/request.ts";
import { assertMonthStarted } from "../months.ts";
import { periodSchema } from "../bills/json.ts";
import { firstIssues } from "../form-values.ts";
import { renderBillingPage } from "../render.ts";
import { listRuns, readSchedule, writeSchedule } from "./data.ts";
import { runJson, runNotice, scheduleSchema } from "./json.ts";
import type { BillingAutomation } from "./scheduler.ts";
import { AutomationPage } from "./views.tsx";

/** The admin page for scheduled acceptance: the schedule, "run now" and the recent runs. */
export function automationPages(routes: RouteTable, deps: Deps, automation: BillingAutomation) {
  const { db } = deps;
  const page = (method: "get" | "post", path: string) => pageRoute({ method, path, access: PAGES.admin });

  const render = async (
    c: Context<AppEnv>,
    values: Record<string, string> | null,
    errors: Record<string, string> = {},
  ) => {
    const stored = await readSchedule(db);
    const shown = {
      enabled: stored.schedule.enabled ? "on" : "",
      cron: stored.schedule.cron,
      timezone: stored.schedule.timezone ?? "",
      ...(values ?? {}),
    };
    const runs = (await listRuns(db, 20)).map(runJson);
    const run = runs.find((candidate) => candidate.id === Number(c.req.query("run")));
    const done = c.req.query("notice") === "saved" ? "Schedule saved." : run ? runNotice(run) : null;
    return renderBillingPage(
      c,
      <AutomationPage
        values={shown}
        errors={errors}
        nextRuns={automation.view().nextRuns}
        runs={runs}
        updated={stored.updatedAt ? `${when(stored.updatedAt)} by ${stored.updatedBy}` : null}
      />,
      { title: "Scheduled acceptance", done, errors, failed: "Check the fields marked below." },
    );
  };

  routes.page(page("get", "/billing/automation"), (c) => render(c, null));

  routes.page(page("post", "/billing/automation"), async (c) => {
    const raw = await formFields(c);
    const parsed = scheduleSchema.safeParse({
      enabled: raw.enabled === "on",
      cron: raw.cron ?? "",
      timezone: raw.timezone ?? "",
    });
    if (!parsed.success) return render(c, raw, firstIssues(parsed.error));
    await writeSchedule(db, parsed.data, actorOf(c));
    await automation.apply();
    return c.redirect(c.get("page")!.url("/billing/automation?notice=saved"), 303);
  });

  routes.page(page("post", "/billing/automation/run"), async (c) => {
    const raw = await formFields(c);
    const values = { run_year: raw.year ?? "", run_month: raw.month ?? "" };
    const parsed = periodSchema.safeParse({ year: raw.year, month: raw.month });
    if (!parsed.success) {
      const fields = Object.keys(firstIssues(parsed.error));
      return render(c, values, Object.fromEntries(fields.map((field) => [field, "Choose a month and a year."])));
    }
    const { year, month } = parsed.data;
    const started = await attempt(async () => assertMonthStarted(year, month));
    if (!started.ok) return render(c, values, started.errors);
    const run = await automation.runNow(year, month, actorOf(c).name);
    return c.redirect(c.get("page")!.url(`/billing/automation${qs({ run: run.id })}`), 303);
  });
}
