import type { Context } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { formFields } from "@hivematrix/lib/validate";
import { PAGES } from "../../access.ts";
import { requireCompany } from "../../companies/data.ts";
import type { Company } from "../../db/schema.ts";
import type { Deps } from "../../deps.ts";
import { attempt } from "../../shared/forms.ts";
import { acctParam, actorOf, intParam } from "../../shared/request.ts";
import { featureChoices, firstIssues } from "../form-values.ts";
import { renderBillingPage } from "../render.ts";
import { createManual, deleteManual, requireManual } from "../manual/data.ts";
import { setAssetOverride, setCompanyOverrides, setUserOverride } from "../overrides/data.ts";
import { type AssetOverrideInput, companyOverridesSchema, type UserOverrideInput } from "../overrides/json.ts";
import { setFeatures } from "../plans/data-features.ts";
import { companyBillingSettings, featureRows } from "./data.ts";
import { MANUAL_FORMS, manualFromForm, overrideChanges, ratesFromForm } from "./forms.ts";
import { CompanyBillingSettingsPage } from "./views.tsx";

const NOTICES: Record<string, string> = {
  rates: "Rates saved.",
  assets: "Device billing saved.",
  users: "User billing saved.",
  features: "Features saved.",
  added: "Added.",
  removed: "Removed.",
};

/** A company's billing settings page and its forms: rates, device and user billing, manual items, features. */
export function billingSettingsPages(routes: RouteTable, deps: Deps) {
  const { db } = deps;
  const companyOf = (c: Context<AppEnv>) => requireCompany(db, acctParam(c));
  const path = (suffix: string) => `/companies/{acct}/billing${suffix}`;
  const post = (suffix: string) => pageRoute({ method: "post", path: path(suffix), access: PAGES.billing });

  const render = async (
    c: Context<AppEnv>,
    company: Company,
    errors: Record<string, string> = {},
    values: Record<string, string> = {},
  ) => {
    const settings = await companyBillingSettings(db, company);
    const done = NOTICES[c.req.query("notice") ?? ""];
    return renderBillingPage(
      c,
      <CompanyBillingSettingsPage
        settings={settings}
        features={await featureRows(db, company)}
        errors={errors}
        values={values}
      />,
      {
        title: `Billing settings: ${settings.company_name}`,
        done,
        errors,
        failed: "Nothing was saved: check the fields marked below.",
      },
    );
  };
  const saved = (c: Context<AppEnv>, company: Company, notice: string, anchor: string) =>
    c.redirect(
      c.get("page")!.url(`/companies/${encodeURIComponent(company.accountNumber)}/billing?notice=${notice}#${anchor}`),
      303,
    );

  routes.page(pageRoute({ method: "get", path: path(""), access: PAGES.staff }), async (c) =>
    render(c, await companyOf(c)),
  );

  routes.page(post("/rates"), async (c) => {
    const company = await companyOf(c);
    const raw = await formFields(c);
    const { input, errors } = ratesFromForm(raw);
    const parsed = companyOverridesSchema.safeParse(input);
    if (!parsed.success)
      for (const [field, message] of Object.entries(firstIssues(parsed.error))) errors[field] ??= message;
    if (Object.keys(errors).length || !parsed.success) return render(c, company, errors, raw);
    await setCompanyOverrides(db, company, parsed.data, actorOf(c));
    return saved(c, company, "rates", "rates");
  });

  routes.page(post("/assets"), async (c) => {
    const company = await companyOf(c);
    const raw = await formFields(c);
    const { changes, errors } = overrideChanges(raw, "asset_", (await companyBillingSettings(db, company)).assets);
    if (Object.keys(errors).length) return render(c, company, errors, raw);
    for (const change of changes)
      await setAssetOverride(db, change.id, company.id, change.set as AssetOverrideInput | null, actorOf(c));
    return saved(c, company, "assets", "assets");
  });

  routes.page(post("/users"), async (c) => {
    const company = await companyOf(c);
    const raw = await formFields(c);
    const { changes, errors } = overrideChanges(raw, "user_", (await companyBillingSettings(db, company)).users);
    if (Object.keys(errors).length) return render(c, company, errors, raw);
    for (const change of changes)
      await setUserOverride(db, company, change.id, change.set as UserOverrideInput | null, actorOf(c));
    return saved(c, company, "users", "users");
  });

  routes.page(post("/features"), async (c) => {
    const company = await companyOf(c);
    const raw = await formFields(c);
    const result = await attempt(() => setFeatures(db, { companyId: company.id }, featureChoices(raw), actorOf(c)));
    if (result.ok) return saved(c, company, "features", "features");
    const errors = Object.fromEntries(
      Object.entries(result.errors).map(([key, message]) => [`feature_${key}`, message]),
    );
    return render(c, company, errors, raw);
  });

  for (const form of MANUAL_FORMS) {
    routes.page(post(`/${form.path}`), async (c) => {
      const company = await companyOf(c);
      const raw = await formFields(c);
      const parsed = manualFromForm(form, raw);
      if (!parsed.ok) return render(c, company, parsed.errors, raw);
      await createManual(db, form.kind, company, parsed.input, actorOf(c));
      return saved(c, company, "added", form.path);
    });

    routes.page(post(`/${form.path}/{item_id}/delete`), async (c) => {
      const company = await companyOf(c);
      const item = await requireManual(db, form.kind, company, intParam(c, "item_id"));
      await deleteManual(db, form.kind, item, actorOf(c));
      return saved(c, company, "removed", form.path);
    });
  }
}
