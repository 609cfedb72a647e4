import type { Context } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { formFields } from "@hivematrix/lib/validate";
import { PAGES } from "../../access.ts";
import { requireCompany } from "../../companies/data.ts";
import type { Deps } from "../../deps.ts";
import { visibleCompany } from "../../shared/client-scope.ts";
import { qs } from "../../shared/format.ts";
import { attempt } from "../../shared/forms.ts";
import { acctParam, actorOf, intParam, isClient } from "../../shared/request.ts";
import { findRun } from "../automation/data.ts";
import { runJson, runNotice } from "../automation/json.ts";
import type { BillingAutomation } from "../automation/scheduler.ts";
import { AMOUNT_MESSAGE, firstIssues, parseMoney } from "../form-values.ts";
import { assertMonthStarted, pagePeriod } from "../months.ts";
import { renderBillingPage } from "../render.ts";
import { createLineItem, deleteLineItem, lineItemsOf, requireLineItem } from "../overrides/data-line-items.ts";
import { lineItemCreateSchema, lineItemJson } from "../overrides/json.ts";
import { acceptBill, billFor } from "./data.ts";
import { billingDashboard } from "./data-dashboard.ts";
import { acceptSchema, forClient, periodSchema } from "./json.ts";
import { BillingDashboardPage } from "./views.tsx";
import { CompanyBillPage } from "./views-bill.tsx";

const BILL_NOTICES: Record<string, string> = {
  accepted: "Bill accepted. It will not change any more.",
  added: "Charge added.",
  removed: "Charge removed.",
};

/** The billing dashboard with every company's bill for a month, and one company's bill with its extra charges. */
export function billsPages(routes: RouteTable, deps: Deps, automation: BillingAutomation) {
  const { db } = deps;
  const periodOf = (c: Context<AppEnv>) => pagePeriod({ year: c.req.query("year"), month: c.req.query("month") });
  const url = (c: Context<AppEnv>, path: string) => c.get("page")!.url(path);

  const dashboardPage = async (
    c: Context<AppEnv>,
    year: number,
    month: number,
    errors: Record<string, string> = {},
  ) => {
    const { dashboard, bills } = await billingDashboard(db, year, month);
    const runId = Number(c.req.query("run"));
    const run = Number.isInteger(runId) && runId > 0 ? await findRun(db, runId) : null;
    return renderBillingPage(
      c,
      <BillingDashboardPage year={year} month={month} bills={bills} dashboard={dashboard} />,
      {
        title: "Billing",
        done: run && runNotice(runJson(run)),
        errors,
        failed: Object.values(errors)[0],
      },
    );
  };

  routes.page(pageRoute({ method: "get", path: "/billing", access: PAGES.staff }), (c) => {
    const { year, month } = periodOf(c);
    return dashboardPage(c, year, month);
  });

  routes.page(pageRoute({ method: "post", path: "/billing/accept-month", access: PAGES.billing }), async (c) => {
    const raw = await formFields(c);
    const parsed = periodSchema.safeParse({ year: raw.year, month: raw.month });
    const { year, month } = parsed.success ? parsed.data : periodOf(c);
    if (!parsed.success) return dashboardPage(c, year, month, { month: "Choose a month to accept." });
    const started = await attempt(async () => assertMonthStarted(year, month));
    if (!started.ok) return dashboardPage(c, year, month, started.errors);
    const run = await automation.runNow(year, month, actorOf(c).name);
    return c.redirect(url(c, `/billing${qs({ year, month, run: run.id })}`), 303);
  });

  const billPage = async (
    c: Context<AppEnv>,
    errors: Record<string, string> = {},
    values: Record<string, string> = {},
  ) => {
    const company = await visibleCompany(c, deps, acctParam(c));
    const { year, month } = periodOf(c);
    const items = isClient(c) ? [] : (await lineItemsOf(db, company.id)).map(lineItemJson);
    const bill = await billFor(db, company, year, month);
    const done = BILL_NOTICES[c.req.query("notice") ?? ""];
    return renderBillingPage(
      c,
      <CompanyBillPage bill={isClient(c) ? forClient(bill) : bill} items={items} errors={errors} values={values} />,
      { title: `Bill ${bill.invoice_number}`, done, errors },
    );
  };
  const backToBill = (c: Context<AppEnv>, acct: string, year: number, month: number, notice: string) =>
    c.redirect(url(c, `/companies/${encodeURIComponent(acct)}/bill${qs({ year, month, notice })}`), 303);

  routes.page(pageRoute({ method: "get", path: "/companies/{acct}/bill", access: PAGES.readWithClientScope }), (c) =>
    billPage(c),
  );

  routes.page(
    pageRoute({ method: "post", path: "/companies/{acct}/bill/accept", access: PAGES.billing }),
    async (c) => {
      const company = await requireCompany(db, acctParam(c));
      const raw = await formFields(c);
      const parsed = acceptSchema.safeParse({
        year: raw.year,
        month: raw.month,
        ...(raw.notes?.trim() ? { notes: raw.notes } : {}),
      });
      if (!parsed.success) return billPage(c, firstIssues(parsed.error), raw);
      const { year, month, notes } = parsed.data;
      const result = await attempt(() => acceptBill(db, company, year, month, notes ?? null, actorOf(c)));
      if (!result.ok) return billPage(c, result.errors, raw);
      return backToBill(c, company.accountNumber, year, month, "accepted");
    },
  );

  routes.page(pageRoute({ method: "post", path: "/companies/{acct}/line-items", access: PAGES.billing }), async (c) => {
    const company = await requireCompany(db, acctParam(c));
    const raw = await formFields(c);
    const amount = parseMoney(raw.amount);
    const parsed = lineItemCreateSchema.safeParse({
      name: raw.name ?? "",
      kind: raw.kind,
      amount_cents: amount ?? 0,
      ...(raw.year ? { year: Number(raw.year) } : {}),
      ...(raw.month ? { month: Number(raw.month) } : {}),
    });
    const errors: Record<string, string> = amount === null ? { amount: AMOUNT_MESSAGE } : {};
    if (!parsed.success)
      for (const [field, message] of Object.entries(firstIssues(parsed.error))) errors[field] ??= message;
    if (Object.keys(errors).length || !parsed.success) return billPage(c, errors, raw);
    await createLineItem(db, company, parsed.data, actorOf(c));
    const { year, month } = periodOf(c);
    return backToBill(c, company.accountNumber, year, month, "added");
  });

  routes.page(
    pageRoute({ method: "post", path: "/companies/{acct}/line-items/{item_id}/delete", access: PAGES.billing }),
    async (c) => {
      const company = await requireCompany(db, acctParam(c));
      await deleteLineItem(db, await requireLineItem(db, company, intParam(c, "item_id")), actorOf(c));
      const { year, month } = periodOf(c);
      return backToBill(c, company.accountNumber, year, month, "removed");
    },
  );
}
