import type { Context } from "hono";
import { eq } from "drizzle-orm";
import { appUrl, type AppEnv } from "@hivematrix/lib/app";
import type { Deps } from "../deps.ts";
import { requireCompany } from "../companies/data.ts";
import {
  categoryCreateSchema,
  createCategory,
  createOption,
  createPlan,
  deletePlan,
  featureCatalog,
  optionCreateSchema,
  planFeatureMap,
  planJson,
  requirePlan,
  setFeatures,
  updatePlan,
  type PlanInput,
} from "../data/plans.ts";
import { acceptBill, acceptSchema, assertMonthStarted, billFor, forClient, periodSchema } from "../billing/bills.ts";
import { billingDashboard } from "../billing/dashboard.ts";
import { runJson, type BillingAutomation } from "../billing/automation.ts";
import { copyTerms, importPlans, plansFileSchema } from "../billing/plan-transfer.ts";
import {
  createLineItem,
  deleteLineItem,
  lineItemCreateSchema,
  lineItemJson,
  requireLineItem,
} from "../billing/config.ts";
import { BillingDashboardPage, CompanyBillPage, PlanFormPage, PlansPage, RATE_INPUTS } from "../views/billing.tsx";
import { pageCtx } from "../views/shell.tsx";
import { qs } from "../shared/format.ts";
import type { RouteTable } from "./registry.ts";
import { acctParam, intParam } from "../shared/request.ts";
import { actorOf, isClient } from "../shared/request.ts";
import { assertVisible } from "../shared/client-scope.ts";
import { attempt } from "../shared/forms.ts";
import { formFields } from "@hivematrix/lib/validate";

/** "12.50" → 1250; anything but a plain amount with at most two decimals is refused. */
export function parseMoney(text: string | undefined): number | null {
  const m = /^\s*(-?)\$?(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(text ?? "");
  if (!m) return null;
  const cents = Number(m[2]) * 100 + Number((m[3] ?? "0").padEnd(2, "0"));
  return m[1] ? -cents : cents;
}
const cents = (n: number) => (n / 100).toFixed(2);

function period(c: Context<AppEnv>) {
  const now = new Date();
  const year = Number(c.req.query("year"));
  const month = Number(c.req.query("month"));
  return {
    year: Number.isInteger(year) && year >= 2000 && year <= 2100 ? year : now.getUTCFullYear(),
    month: Number.isInteger(month) && month >= 1 && month <= 12 ? month : now.getUTCMonth() + 1,
  };
}

/** The plan form's values as API input, with messages for fields that are not amounts. */
function planInput(raw: Record<string, string>): {
  input: Partial<PlanInput> & Record<string, unknown>;
  errors: Record<string, string>;
} {
  const errors: Record<string, string> = {};
  const input: Record<string, unknown> = {
    name: raw.name,
    term: raw.term,
    ...(raw.support_level?.trim() ? { support_level: raw.support_level } : {}),
  };
  for (const [name, , kind] of RATE_INPUTS) {
    const v = raw[name] ?? "";
    if (kind === "money") {
      const m = parseMoney(v);
      if (m === null || m < 0) errors[name] = "An amount like 25 or 25.50.";
      else input[name] = m;
    } else if (/^\d+$/.test(v.trim())) input[name] = Number(v.trim());
    else errors[name] = "A whole number.";
  }
  return { input: input as Partial<PlanInput> & Record<string, unknown>, errors };
}

export function billingPages(r: RouteTable, deps: Deps, automation: BillingAutomation) {
  const h = deps.db;
  const tag = "Pages";

  const dashboardPage = async (
    c: Context<AppEnv>,
    year: number,
    month: number,
    errors: Record<string, string> = {},
    status: 200 | 422 = 200,
  ) => {
    const { dashboard, bills } = await billingDashboard(h, year, month);
    const runId = Number(c.req.query("run"));
    const [run] =
      Number.isInteger(runId) && runId > 0
        ? await h.db.select().from(h.t.billingRuns).where(eq(h.t.billingRuns.id, runId))
        : [];
    const notice = run ? runNotice(runJson(run)) : null;
    return c.html(
      <BillingDashboardPage
        p={pageCtx(c)}
        year={year}
        month={month}
        bills={bills}
        dashboard={dashboard}
        notice={notice}
        errors={errors}
      />,
      status,
    );
  };
  r.add(
    {
      method: "get",
      path: "/billing",
      access: "staff",
      page: true,
      tag,
      summary: "Billing dashboard and every company's bill for a month",
    },
    async (c) => {
      const { year, month } = period(c);
      return dashboardPage(c, year, month);
    },
  );
  r.add(
    {
      method: "post",
      path: "/billing/accept-month",
      access: "billing",
      page: true,
      tag,
      summary: "Accept every draft bill of a month",
    },
    async (c) => {
      const raw = await formFields(c);
      const parsed = periodSchema.safeParse({ year: raw.year, month: raw.month });
      const { year, month } = parsed.success ? parsed.data : period(c);
      if (!parsed.success) return dashboardPage(c, year, month, { month: "Choose a month to accept." }, 422);
      const started = await attempt(async () => assertMonthStarted(year, month));
      if (!started.ok) return dashboardPage(c, year, month, started.errors, 422);
      const run = await automation.runNow(year, month, actorOf(c).name);
      return c.redirect(appUrl(c, `/billing${qs({ year, month, run: run.id })}`), 303);
    },
  );

  const plansPage = async (
    c: Context<AppEnv>,
    errors: Record<string, string> = {},
    values: Record<string, string> = {},
    status: 200 | 422 = 200,
    importProblems: { field: string; message: string }[] = [],
  ) => {
    const features = await planFeatureMap(h);
    const plans = (
      await h.db.select().from(h.t.billingPlans).orderBy(h.t.billingPlans.name, h.t.billingPlans.term)
    ).map((x) => planJson(x, features.get(x.id) ?? {}));
    const notice =
      {
        created: "Plan created.",
        saved: "Plan saved.",
        deleted: "Plan deleted.",
        feature: "Feature added.",
        imported: `Imported: ${c.req.query("summary") ?? ""}`,
        copied: `Rates copied: ${c.req.query("summary") ?? ""}`,
      }[c.req.query("notice") ?? ""] ?? null;
    return c.html(
      <PlansPage
        p={pageCtx(c)}
        plans={plans}
        catalog={await featureCatalog(h)}
        errors={errors}
        values={values}
        notice={notice}
        importProblems={importProblems}
      />,
      status,
    );
  };
  r.add(
    {
      method: "get",
      path: "/billing/plans",
      access: "staff",
      page: true,
      tag,
      summary: "Billing plans and feature options",
    },
    (c) => plansPage(c),
  );

  const formPage = async (
    c: Context<AppEnv>,
    id: number | null,
    values: Record<string, string>,
    errors: Record<string, string>,
    status: 200 | 422 = 200,
  ) =>
    c.html(
      <PlanFormPage p={pageCtx(c)} id={id} values={values} errors={errors} catalog={await featureCatalog(h)} />,
      status,
    );

  const save = async (c: Context<AppEnv>, id: number | null) => {
    const raw = await formFields(c);
    const { input, errors } = planInput(raw);
    if (Object.keys(errors).length) return formPage(c, id, raw, errors, 422);
    const features = Object.fromEntries(
      Object.entries(raw)
        .filter(([k]) => k.startsWith("feature_"))
        .map(([k, v]) => [k.slice(8), v || null]),
    );
    const result = await attempt(async () => {
      const plan = id
        ? await updatePlan(h, await requirePlan(h, id), input, actorOf(c))
        : await createPlan(h, input as PlanInput, actorOf(c));
      if (Object.keys(features).length) await setFeatures(h, { planId: plan.id }, features, actorOf(c));
      return plan;
    });
    if (!result.ok) return formPage(c, id, raw, result.errors, 422);
    return c.redirect(appUrl(c, `/billing/plans?notice=${id ? "saved" : "created"}`), 303);
  };

  // Before /billing/plans/:id, which would take "import" as an id.
  r.add(
    {
      method: "post",
      path: "/billing/plans/import",
      access: "admin",
      page: true,
      tag,
      summary: "Import plans from an uploaded JSON export",
    },
    async (c) => {
      const body = await c.req.parseBody();
      const file = body.file;
      if (!(file instanceof File) || file.size === 0)
        return plansPage(c, { file: "Choose a plans file (JSON)." }, {}, 422);
      let json: unknown;
      try {
        json = JSON.parse(await file.text());
      } catch {
        return plansPage(c, { file: "This file is not JSON." }, {}, 422);
      }
      const parsed = plansFileSchema.safeParse(json);
      if (!parsed.success)
        return plansPage(
          c,
          { file: "The file has problems; nothing was imported." },
          {},
          422,
          parsed.error.issues.slice(0, 50).map((i) => ({ field: i.path.join("."), message: i.message })),
        );
      const result = await attempt(() => importPlans(h, parsed.data, actorOf(c)));
      if (!result.ok)
        return plansPage(
          c,
          { file: "The file has problems; nothing was imported." },
          {},
          422,
          Object.entries(result.errors).map(([field, message]) => ({ field, message })),
        );
      const s = result.value;
      const summary = `${s.plans.created} plans created, ${s.plans.updated} updated, ${s.plans.unchanged} unchanged; ${s.categories.created + s.options.created} feature entries added, ${s.categories.updated + s.options.updated} updated.`;
      return c.redirect(appUrl(c, `/billing/plans${qs({ notice: "imported", summary })}`), 303);
    },
  );
  r.add(
    {
      method: "post",
      path: "/billing/plans/:id/copy-terms",
      access: "billing",
      page: true,
      tag,
      summary: "Copy a plan's rates to its other terms",
    },
    async (c) => {
      const plan = await requirePlan(h, intParam(c, "id"));
      const raw = await formFields(c);
      const out = await copyTerms(h, plan, raw.create_missing === "on", actorOf(c));
      const summary = `${out.updated.length} terms updated, ${out.created.length} added, ${out.unchanged.length} already the same.`;
      return c.redirect(appUrl(c, `/billing/plans${qs({ notice: "copied", summary })}`), 303);
    },
  );

  r.add(
    { method: "get", path: "/billing/plans/new", access: "billing", page: true, tag, summary: "New plan form" },
    (c) =>
      formPage(
        c,
        null,
        Object.fromEntries([
          ["term", "month_to_month"],
          ...RATE_INPUTS.map(([n, , k]) => [n, k === "money" ? "0.00" : "0"]),
        ]),
        {},
      ),
  );
  r.add(
    {
      method: "post",
      path: "/billing/plans",
      access: "billing",
      page: true,
      tag,
      summary: "Create a plan from the form",
    },
    (c) => save(c, null),
  );
  r.add(
    { method: "get", path: "/billing/plans/:id", access: "billing", page: true, tag, summary: "Edit plan form" },
    async (c) => {
      const plan = planJson(
        await requirePlan(h, intParam(c, "id")),
        (await planFeatureMap(h)).get(intParam(c, "id")) ?? {},
      );
      const values: Record<string, string> = { name: plan.name, term: plan.term, support_level: plan.support_level };
      for (const [n, , k] of RATE_INPUTS)
        values[n] =
          k === "money" ? cents(plan[n as keyof typeof plan] as number) : String(plan[n as keyof typeof plan]);
      for (const [key, value] of Object.entries(plan.features)) values[`feature_${key}`] = value;
      return formPage(c, plan.id, values, {});
    },
  );
  r.add(
    { method: "post", path: "/billing/plans/:id", access: "billing", page: true, tag, summary: "Save the plan form" },
    (c) => save(c, intParam(c, "id")),
  );
  r.add(
    { method: "post", path: "/billing/plans/:id/delete", access: "billing", page: true, tag, summary: "Delete a plan" },
    async (c) => {
      const plan = await requirePlan(h, intParam(c, "id"));
      const result = await attempt(async () => deletePlan(h, plan, actorOf(c)));
      if (!result.ok) return plansPage(c, { plan: "This plan is in use." }, {}, 422);
      return c.redirect(appUrl(c, "/billing/plans?notice=deleted"), 303);
    },
  );
  r.add(
    {
      method: "post",
      path: "/billing/features/categories",
      access: "billing",
      page: true,
      tag,
      summary: "Add a feature category",
    },
    async (c) => {
      const raw = await formFields(c);
      const parsed = categoryCreateSchema.safeParse({ key: raw.key, name: raw.name });
      if (!parsed.success)
        return plansPage(
          c,
          Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])),
          raw,
          422,
        );
      const result = await attempt(() => createCategory(h, parsed.data, actorOf(c)));
      if (!result.ok) return plansPage(c, result.errors, raw, 422);
      return c.redirect(appUrl(c, "/billing/plans?notice=feature"), 303);
    },
  );
  r.add(
    {
      method: "post",
      path: "/billing/features/options",
      access: "billing",
      page: true,
      tag,
      summary: "Add a feature option",
    },
    async (c) => {
      const raw = await formFields(c);
      const parsed = optionCreateSchema.safeParse({
        category: raw.category,
        value: raw.value,
        ...(raw.display_name ? { display_name: raw.display_name } : {}),
      });
      if (!parsed.success)
        return plansPage(
          c,
          Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])),
          raw,
          422,
        );
      const result = await attempt(() => createOption(h, parsed.data, actorOf(c)));
      if (!result.ok) return plansPage(c, result.errors, raw, 422);
      return c.redirect(appUrl(c, "/billing/plans?notice=feature"), 303);
    },
  );

  const billPage = async (
    c: Context<AppEnv>,
    errors: Record<string, string> = {},
    values: Record<string, string> = {},
    status: 200 | 422 = 200,
  ) => {
    const company = await requireCompany(h, acctParam(c));
    await assertVisible(c, deps, company.id, "company");
    const { year, month } = period(c);
    const items =
      c.get("user")!.permission_level === "client"
        ? []
        : (
            await h.db
              .select()
              .from(h.t.lineItems)
              .where(eq(h.t.lineItems.companyId, company.id))
              .orderBy(h.t.lineItems.id)
          ).map(lineItemJson);
    const notice =
      { accepted: "Bill accepted. It will not change any more.", added: "Charge added.", removed: "Charge removed." }[
        c.req.query("notice") ?? ""
      ] ?? null;
    const bill = await billFor(h, company, year, month);
    return c.html(
      <CompanyBillPage
        p={pageCtx(c)}
        bill={isClient(c) ? forClient(bill) : bill}
        items={items}
        errors={errors}
        values={values}
        notice={notice}
      />,
      status,
    );
  };
  const backToBill = (c: Context<AppEnv>, acct: string, year: number, month: number, notice: string) =>
    c.redirect(appUrl(c, `/companies/${encodeURIComponent(acct)}/bill${qs({ year, month, notice })}`), 303);

  r.add(
    {
      method: "get",
      path: "/companies/:acct/bill",
      access: "read",
      client: true,
      page: true,
      tag,
      summary: "A company's bill for a month",
    },
    (c) => billPage(c),
  );
  r.add(
    {
      method: "post",
      path: "/companies/:acct/bill/accept",
      access: "billing",
      page: true,
      tag,
      summary: "Accept a bill (immutable snapshot)",
    },
    async (c) => {
      const company = await requireCompany(h, acctParam(c));
      const raw = await formFields(c);
      const parsed = acceptSchema.safeParse({
        year: raw.year,
        month: raw.month,
        ...(raw.notes?.trim() ? { notes: raw.notes } : {}),
      });
      if (!parsed.success)
        return billPage(
          c,
          Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])),
          raw,
          422,
        );
      const { year, month } = parsed.data;
      const result = await attempt(() => acceptBill(h, company, year, month, parsed.data.notes ?? null, actorOf(c)));
      if (!result.ok) return billPage(c, result.errors, raw, 422);
      return backToBill(c, company.accountNumber, year, month, "accepted");
    },
  );
  r.add(
    {
      method: "post",
      path: "/companies/:acct/line-items",
      access: "billing",
      page: true,
      tag,
      summary: "Add a charge from the form",
    },
    async (c) => {
      const company = await requireCompany(h, acctParam(c));
      const raw = await formFields(c);
      const amount = parseMoney(raw.amount);
      const input = {
        name: raw.name ?? "",
        kind: raw.kind,
        amount_cents: amount ?? 0,
        ...(raw.year ? { year: Number(raw.year) } : {}),
        ...(raw.month ? { month: Number(raw.month) } : {}),
      };
      const parsed = lineItemCreateSchema.safeParse(input);
      const errors: Record<string, string> = amount === null ? { amount: "An amount like 25 or 25.50." } : {};
      if (!parsed.success) for (const i of parsed.error.issues) errors[String(i.path[0])] ??= i.message;
      const { year, month } = period(c);
      if (Object.keys(errors).length || !parsed.success) return billPage(c, errors, raw, 422);
      await createLineItem(h, company, parsed.data, actorOf(c));
      return backToBill(c, company.accountNumber, year, month, "added");
    },
  );
  r.add(
    {
      method: "post",
      path: "/companies/:acct/line-items/:item_id/delete",
      access: "billing",
      page: true,
      tag,
      summary: "Remove a charge",
    },
    async (c) => {
      const company = await requireCompany(h, acctParam(c));
      await deleteLineItem(h, await requireLineItem(h, company, intParam(c, "item_id")), actorOf(c));
      const { year, month } = period(c);
      return backToBill(c, company.accountNumber, year, month, "removed");
    },
  );
}

/** What a month-acceptance run did, in one sentence. */
export function runNotice(r: ReturnType<typeof runJson>): string {
  const when = `${r.year}-${String(r.month).padStart(2, "0")}`;
  if (r.status === "failed" && r.accepted + r.skipped + r.empty === 0)
    return `Accepting ${when} failed: ${r.error ?? "unknown error"}`;
  return `${when}: ${r.accepted} bills accepted, ${r.skipped} were already accepted, ${r.empty} had nothing to bill${r.failed ? `, ${r.failed} failed` : ""}.`;
}
