import type { Context } from "hono";
import { eq } from "drizzle-orm";
import { appUrl, type AppEnv } from "@hivematrix/lib/app";
import type { Deps } from "../deps.ts";
import type { Company } from "../db/schema.ts";
import { requireCompany } from "../companies/data.ts";
import { featureCatalog, setFeatures, type RateField } from "../data/plans.ts";
import { companyOverridesSchema, setAssetOverride, setCompanyOverrides, setUserOverride } from "../billing/config.ts";
import { companyBillingSettings } from "../billing/settings.ts";
import {
  createManual,
  deleteManual,
  manualAssetCreateSchema,
  manualUserCreateSchema,
  requireManual,
} from "../billing/manual.ts";
import { CompanyBillingSettingsPage, type FeatureRow } from "../views/billing-settings.tsx";
import { RATE_INPUTS } from "../views/billing.tsx";
import { pageCtx } from "../views/shell.tsx";
import type { RouteTable } from "./registry.ts";
import { acctParam, intParam } from "../shared/request.ts";
import { actorOf } from "../shared/request.ts";
import { attempt } from "../shared/forms.ts";
import { formFields } from "@hivematrix/lib/validate";
import { parseMoney } from "./pages-billing.tsx";

/** "1.5" hours → 90 minutes; at most two decimals. */
export function parseHours(text: string | undefined): number | null {
  const m = /^\s*(\d{1,6})(?:\.(\d{1,2}))?\s*$/.exec(text ?? "");
  if (!m) return null;
  return Math.round((Number(m[1]) + Number(`0.${m[2] ?? "0"}`)) * 60);
}

/** The rates form as API input: a checked box sets the override, an unchecked one returns to the plan. */
export function ratesFromForm(raw: Record<string, string>): {
  input: Record<string, number | null>;
  errors: Record<string, string>;
} {
  const input: Record<string, number | null> = {};
  const errors: Record<string, string> = {};
  for (const [name, , kind] of RATE_INPUTS) {
    if (raw[`${name}_on`] !== "on") {
      input[name] = null;
      continue;
    }
    const text = raw[name];
    const value =
      kind === "money"
        ? parseMoney(text)
        : kind === "minutes"
          ? parseHours(text)
          : /^\s*\d{1,5}\s*$/.test(text ?? "")
            ? Number(text!.trim())
            : null;
    if (value === null || value < 0)
      errors[name] =
        kind === "money"
          ? "An amount like 25 or 25.50."
          : kind === "minutes"
            ? "Hours, like 2 or 1.5."
            : "A whole number of TB.";
    else input[name] = value;
  }
  return { input, errors };
}

/** A select-plus-price row of the device or user form: the override to store, null to remove it, or an error. */
function overrideFromForm(
  raw: Record<string, string>,
  key: string,
  allowed: readonly string[],
): { set: { billing_type: string; custom_cents: number | null } | null } | { error: [string, string] } | null {
  const type = raw[key];
  if (type === undefined) return null;
  if (type === "") return { set: null };
  if (!allowed.includes(type)) return { error: [key, "Choose one of the options."] };
  if (type !== "custom") return { set: { billing_type: type, custom_cents: null } };
  const cents = parseMoney(raw[`${key}_price`]);
  if (cents === null || cents < 0)
    return { error: [`${key}_price`, "A custom price needs an amount like 25 or 25.50."] };
  return { set: { billing_type: type, custom_cents: cents } };
}

export function billingSettingsPages(r: RouteTable, deps: Deps) {
  const h = deps.db;
  const tag = "Pages";
  const companyOf = (c: Context<AppEnv>) => requireCompany(h, acctParam(c));

  const render = async (
    c: Context<AppEnv>,
    company: Company,
    errors: Record<string, string> = {},
    values: Record<string, string> = {},
    status: 200 | 422 = 200,
  ) => {
    const s = await companyBillingSettings(h, company);
    const catalog = await featureCatalog(h);
    const planFeatures = company.billingPlanId
      ? await h.db.select().from(h.t.planFeatures).where(eq(h.t.planFeatures.planId, company.billingPlanId))
      : [];
    const own = await h.db
      .select()
      .from(h.t.companyFeatureOverrides)
      .where(eq(h.t.companyFeatureOverrides.companyId, company.id));
    const optionValue = (id: number | undefined) =>
      catalog.flatMap((cat) => cat.options).find((o) => o.id === id)?.value ?? null;
    const features: FeatureRow[] = catalog.map((cat) => ({
      key: cat.key,
      name: cat.name,
      plan: optionValue(
        planFeatures.find((f) => f.planId === company.billingPlanId && f.categoryId === cat.id)?.optionId,
      ),
      own: optionValue(own.find((f) => f.companyId === company.id && f.categoryId === cat.id)?.optionId),
      options: cat.options,
    }));
    const notice =
      {
        rates: "Rates saved.",
        assets: "Device billing saved.",
        users: "User billing saved.",
        features: "Features saved.",
        added: "Added.",
        removed: "Removed.",
      }[c.req.query("notice") ?? ""] ?? null;
    return c.html(
      <CompanyBillingSettingsPage
        p={pageCtx(c)}
        s={s}
        features={features}
        errors={errors}
        values={values}
        notice={notice}
      />,
      status,
    );
  };
  const saved = (c: Context<AppEnv>, company: Company, notice: string, anchor: string) =>
    c.redirect(
      appUrl(c, `/companies/${encodeURIComponent(company.accountNumber)}/billing?notice=${notice}#${anchor}`),
      303,
    );

  r.add(
    {
      method: "get",
      path: "/companies/:acct/billing",
      access: "staff",
      page: true,
      tag,
      summary: "A company's billing settings: rates, device and user billing, manual items, features",
    },
    async (c) => render(c, await companyOf(c)),
  );

  r.add(
    {
      method: "post",
      path: "/companies/:acct/billing/rates",
      access: "billing",
      page: true,
      tag,
      summary: "Save a company's rate overrides",
    },
    async (c) => {
      const company = await companyOf(c);
      const raw = await formFields(c);
      const { input, errors } = ratesFromForm(raw);
      const parsed = companyOverridesSchema.safeParse(input);
      if (!parsed.success) for (const i of parsed.error.issues) errors[String(i.path[0])] ??= i.message;
      if (Object.keys(errors).length || !parsed.success) return render(c, company, errors, raw, 422);
      await setCompanyOverrides(h, company, parsed.data as Record<RateField, number | null>, actorOf(c));
      return saved(c, company, "rates", "rates");
    },
  );

  r.add(
    {
      method: "post",
      path: "/companies/:acct/billing/assets",
      access: "billing",
      page: true,
      tag,
      summary: "Save how a company's devices are billed",
    },
    async (c) => {
      const company = await companyOf(c);
      const raw = await formFields(c);
      const s = await companyBillingSettings(h, company);
      const errors: Record<string, string> = {};
      const changes: { id: number; set: { billing_type: string; custom_cents: number | null } | null }[] = [];
      for (const a of s.assets) {
        const row = overrideFromForm(raw, `asset_${a.id}`, [
          "workstation",
          "server",
          "vm",
          "switch",
          "firewall",
          "no_charge",
          "custom",
        ]);
        if (!row) continue;
        if ("error" in row) errors[row.error[0]] = row.error[1];
        else if (JSON.stringify(row.set) !== JSON.stringify(a.billing_override))
          changes.push({ id: a.id, set: row.set });
      }
      if (Object.keys(errors).length) return render(c, company, errors, raw, 422);
      for (const ch of changes)
        await setAssetOverride(h, ch.id, company.id, ch.set as Parameters<typeof setAssetOverride>[3], actorOf(c));
      return saved(c, company, "assets", "assets");
    },
  );

  r.add(
    {
      method: "post",
      path: "/companies/:acct/billing/users",
      access: "billing",
      page: true,
      tag,
      summary: "Save how a company's users are billed",
    },
    async (c) => {
      const company = await companyOf(c);
      const raw = await formFields(c);
      const s = await companyBillingSettings(h, company);
      const errors: Record<string, string> = {};
      const changes: { id: number; set: { billing_type: string; custom_cents: number | null } | null }[] = [];
      for (const u of s.users) {
        const row = overrideFromForm(raw, `user_${u.id}`, ["free", "custom"]);
        if (!row) continue;
        if ("error" in row) errors[row.error[0]] = row.error[1];
        else if (JSON.stringify(row.set) !== JSON.stringify(u.billing_override))
          changes.push({ id: u.id, set: row.set });
      }
      if (Object.keys(errors).length) return render(c, company, errors, raw, 422);
      for (const ch of changes)
        await setUserOverride(h, company, ch.id, ch.set as Parameters<typeof setUserOverride>[3], actorOf(c));
      return saved(c, company, "users", "users");
    },
  );

  r.add(
    {
      method: "post",
      path: "/companies/:acct/billing/features",
      access: "billing",
      page: true,
      tag,
      summary: "Save a company's feature overrides",
    },
    async (c) => {
      const company = await companyOf(c);
      const raw = await formFields(c);
      const choices = Object.fromEntries(
        Object.entries(raw)
          .filter(([k]) => k.startsWith("feature_"))
          .map(([k, v]) => [k.slice(8), v || null]),
      );
      const result = await attempt(() => setFeatures(h, { companyId: company.id }, choices, actorOf(c)));
      if (!result.ok)
        return render(
          c,
          company,
          Object.fromEntries(Object.entries(result.errors).map(([k, m]) => [`feature_${k}`, m])),
          raw,
          422,
        );
      return saved(c, company, "features", "features");
    },
  );

  const manualForms = [
    {
      kind: "asset" as const,
      path: "manual-assets",
      prefix: "ma_",
      nameField: "hostname",
      schema: manualAssetCreateSchema,
    },
    { kind: "user" as const, path: "manual-users", prefix: "mu_", nameField: "name", schema: manualUserCreateSchema },
  ];
  for (const m of manualForms) {
    r.add(
      {
        method: "post",
        path: `/companies/:acct/billing/${m.path}`,
        access: "billing",
        page: true,
        tag,
        summary: `Add a ${m.kind} billed by hand`,
      },
      async (c) => {
        const company = await companyOf(c);
        const raw = await formFields(c);
        const type = raw[`${m.prefix}billing_type`] ?? "";
        const errors: Record<string, string> = {};
        let cents: number | null = null;
        if (type === "custom") {
          cents = parseMoney(raw[`${m.prefix}price`]);
          if (cents === null || cents < 0)
            errors[`${m.prefix}price`] = "A custom price needs an amount like 25 or 25.50.";
        }
        const parsed = m.schema.safeParse({
          [m.nameField]: raw[`${m.prefix}${m.nameField}`] ?? "",
          billing_type: type,
          custom_cents: cents,
          notes: raw[`${m.prefix}notes`] ?? "",
        });
        if (!parsed.success)
          for (const i of parsed.error.issues)
            errors[`${m.prefix}${i.path[0] === "custom_cents" ? "price" : String(i.path[0])}`] ??= i.message;
        if (Object.keys(errors).length || !parsed.success) return render(c, company, errors, raw, 422);
        await createManual(h, m.kind, company, parsed.data, actorOf(c));
        return saved(c, company, "added", m.path);
      },
    );
    r.add(
      {
        method: "post",
        path: `/companies/:acct/billing/${m.path}/:item_id/delete`,
        access: "billing",
        page: true,
        tag,
        summary: `Remove a ${m.kind} billed by hand`,
      },
      async (c) => {
        const company = await companyOf(c);
        const item =
          m.kind === "asset"
            ? await requireManual(h, "asset", company, intParam(c, "item_id"))
            : await requireManual(h, "user", company, intParam(c, "item_id"));
        await deleteManual(h, m.kind, item, actorOf(c));
        return saved(c, company, "removed", m.path);
      },
    );
  }
}
