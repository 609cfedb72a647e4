import { and, count, desc, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import type { Context } from "hono";
import { appUrl, type AppEnv } from "@hivematrix/lib/app";
import type { Deps } from "../deps.ts";
import {
  companyJson,
  createCompany,
  loadPlans,
  requireCompany,
  updateCompany,
  type CompanyJson,
} from "../data/companies.ts";
import { createLocation, deleteLocation, locationCreateSchema, requireLocation } from "../data/locations.ts";
import { companyListQuery, listCompanies } from "./api-companies.ts";
import { companyFeatures } from "./api-billing.ts";
import { CompanyDetailPage, CompanyFormPage, CompanyListPage, type RelatedRows } from "../views/companies.tsx";
import { pageCtx } from "../views/shell.tsx";
import { psaLinks } from "../integrations/psa-links.ts";
import type { RouteTable } from "./registry.ts";
import { acctParam, actorOf, assertVisible, intParam, isClient } from "./scope.ts";
import { attempt, formInput, pageQueryOf } from "./page-helpers.ts";
import { formFields } from "@hivematrix/lib/validate";

const COMPANY_FIELDS = [
  "account_number",
  "name",
  "domain",
  "phone",
  "billing_plan",
  "contract_term",
  "contract_start",
  "contract_end",
  "compliance_level",
  "email_system",
  "phone_system",
  "head_name",
  "prime_user_name",
  "address",
  "notes",
] as const;

const NOTICES: Record<string, string> = {
  created: "Company created.",
  saved: "Changes saved.",
  location: "Location added.",
  "location-deleted": "Location deleted.",
};

function formValues(c: CompanyJson): Record<string, string> {
  return Object.fromEntries(COMPANY_FIELDS.map((f) => [f, String((c as Record<string, unknown>)[f] ?? "")]));
}

export function companyPages(r: RouteTable, deps: Deps) {
  const h = deps.db;
  const tag = "Pages";
  const planNames = async () => [...new Set([...(await loadPlans(h)).values()].map((x) => x.name))].sort();

  r.add(
    { method: "get", path: "/companies", access: "read", page: true, tag, summary: "Companies list" },
    async (c) => {
      const q = pageQueryOf(c, companyListQuery);
      const list = await listCompanies(deps, { ...q.data, limit: 50 }, null);
      return c.html(
        <CompanyListPage p={pageCtx(c)} items={list.items} next={list.next_cursor} query={q.data} notice={q.error} />,
      );
    },
  );

  r.add(
    { method: "get", path: "/companies/new", access: "data", page: true, tag, summary: "New company form" },
    async (c) =>
      c.html(
        <CompanyFormPage
          p={pageCtx(c)}
          mode="new"
          values={{ compliance_level: "standard" }}
          errors={{}}
          plans={await planNames()}
        />,
      ),
  );

  r.add(
    { method: "post", path: "/companies", access: "data", page: true, tag, summary: "Create a company from the form" },
    async (c) => {
      const raw = await formFields(c);
      const result = await attempt(() => createCompany(h, formInput(raw, COMPANY_FIELDS), actorOf(c)));
      if (!result.ok)
        return c.html(
          <CompanyFormPage p={pageCtx(c)} mode="new" values={raw} errors={result.errors} plans={await planNames()} />,
          422,
        );
      return c.redirect(appUrl(c, `/companies/${encodeURIComponent(result.value.accountNumber)}?notice=created`), 303);
    },
  );

  const detail = async (
    c: Context<AppEnv>,
    extra: { locationErrors?: Record<string, string>; locationValues?: Record<string, string> } = {},
    status: 200 | 422 = 200,
  ) => {
    const company = await requireCompany(h, acctParam(c));
    await assertVisible(c, deps, company.id, "company");
    const t = h.t;
    const contacts = await h.db
      .select()
      .from(t.contacts)
      .where(
        inArray(
          t.contacts.id,
          h.db
            .select({ id: t.contactCompanies.contactId })
            .from(t.contactCompanies)
            .where(eq(t.contactCompanies.companyId, company.id)),
        ),
      )
      .orderBy(t.contacts.name);
    const related: RelatedRows = {
      contacts: contacts.map((x) => ({ id: x.id, name: x.name, email: x.email, job_title: x.jobTitle })),
      assets: (
        await h.db
          .select()
          .from(t.assets)
          .where(and(eq(t.assets.companyId, company.id), isNull(t.assets.staleSince)))
          .orderBy(t.assets.hostname)
          .limit(500)
      ).map((a) => ({
        id: a.id,
        hostname: a.hostname,
        asset_type: a.assetType,
        operating_system: a.operatingSystem,
        online: a.online,
      })),
      staleAssets: Number(
        (
          await h.db
            .select({ n: count() })
            .from(t.assets)
            .where(and(eq(t.assets.companyId, company.id), isNotNull(t.assets.staleSince)))
        )[0]?.n ?? 0,
      ),
      locations: (
        await h.db.select().from(t.locations).where(eq(t.locations.companyId, company.id)).orderBy(t.locations.name)
      ).map((l) => ({ id: l.id, name: l.name, address: l.address, phone: l.phone })),
      tickets: (
        await h.db
          .select()
          .from(t.tickets)
          .where(eq(t.tickets.companyId, company.id))
          .orderBy(desc(t.tickets.updatedAt))
          .limit(10)
      ).map((x) => ({
        id: x.id,
        subject: x.subject,
        status: x.status,
        priority: x.priority,
        updated_at: x.updatedAt.toISOString(),
      })),
      features: (await companyFeatures(deps, company.id, company.billingPlanId)).filter((f) => f.display_name),
    };
    const notice = NOTICES[c.req.query("notice") ?? ""] ?? null;
    const psa = isClient(c) ? null : await psaLinks(h);
    return c.html(
      <CompanyDetailPage
        p={pageCtx(c)}
        company={companyJson(company, await loadPlans(h))}
        related={related}
        notice={notice}
        psa={psa}
        {...extra}
      />,
      status,
    );
  };

  r.add(
    {
      method: "get",
      path: "/companies/:acct",
      access: "read",
      client: true,
      page: true,
      tag,
      summary: "A company: overview, contacts, assets, locations, tickets",
    },
    (c) => detail(c),
  );

  r.add(
    { method: "get", path: "/companies/:acct/edit", access: "data", page: true, tag, summary: "Edit company form" },
    async (c) => {
      const company = await requireCompany(h, acctParam(c));
      return c.html(
        <CompanyFormPage
          p={pageCtx(c)}
          mode="edit"
          values={formValues(companyJson(company, await loadPlans(h)))}
          errors={{}}
          plans={await planNames()}
        />,
      );
    },
  );

  r.add(
    {
      method: "post",
      path: "/companies/:acct/edit",
      access: "data",
      page: true,
      tag,
      summary: "Save the company form",
    },
    async (c) => {
      const company = await requireCompany(h, acctParam(c));
      const raw = await formFields(c);
      const { account_number: _a, ...input } = formInput(raw, COMPANY_FIELDS, { keepEmpty: true });
      const result = await attempt(() => updateCompany(h, company, input as never, actorOf(c)));
      if (!result.ok)
        return c.html(
          <CompanyFormPage
            p={pageCtx(c)}
            mode="edit"
            values={{ ...raw, account_number: company.accountNumber }}
            errors={result.errors}
            plans={await planNames()}
          />,
          422,
        );
      return c.redirect(appUrl(c, `/companies/${encodeURIComponent(company.accountNumber)}?notice=saved`), 303);
    },
  );

  r.add(
    {
      method: "post",
      path: "/companies/:acct/locations",
      access: "data",
      page: true,
      tag,
      summary: "Add a location from the form",
    },
    async (c) => {
      const company = await requireCompany(h, acctParam(c));
      const raw = await formFields(c);
      const parsed = locationCreateSchema.safeParse(formInput(raw, ["name", "address", "phone"]));
      if (!parsed.success) {
        const errors = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? "name"), i.message]));
        return detail(c, { locationErrors: errors, locationValues: raw }, 422);
      }
      await createLocation(h, company, parsed.data, actorOf(c));
      return c.redirect(appUrl(c, `/companies/${encodeURIComponent(company.accountNumber)}?notice=location`), 303);
    },
  );

  r.add(
    {
      method: "post",
      path: "/companies/:acct/locations/:location_id/delete",
      access: "data",
      page: true,
      tag,
      summary: "Delete a location",
    },
    async (c) => {
      const company = await requireCompany(h, acctParam(c));
      await deleteLocation(h, await requireLocation(h, company, intParam(c, "location_id")), actorOf(c));
      return c.redirect(
        appUrl(c, `/companies/${encodeURIComponent(company.accountNumber)}?notice=location-deleted`),
        303,
      );
    },
  );
}
