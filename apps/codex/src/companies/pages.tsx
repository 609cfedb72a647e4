import type { Context } from "hono";
import type { AppEnv } from "@hivematrix/lib/app";
import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { fieldErrors, formFields as formFieldsOf } from "@hivematrix/lib/validate";
import { PAGES } from "../access.ts";
import type { Company } from "../db/schema.ts";
import type { Deps } from "../deps.ts";
import { psaLinks } from "../integrations/psa-links.ts";
import { createLocation, deleteLocation, requireLocation } from "../locations/data.ts";
import { LOCATION_FORM, locationCreate } from "../locations/json.ts";
import { visibleCompany } from "../shared/client-scope.ts";
import { attempt, formToInput, formValuesOf, pageNotice, pageQueryOf } from "../shared/forms.ts";
import { acctParam, actorOf, intParam, isClient } from "../shared/request.ts";
import { createCompany, listCompanies, loadPlans, planNames, requireCompany, updateCompany } from "./data.ts";
import { relatedRows } from "./data-related.ts";
import { COMPANY_FORM, companyCreate, companyJson, companyListQuery, companyUpdate } from "./json.ts";
import { CompanyFormPage, CompanyListPage } from "./views.tsx";
import { CompanyDetailPage } from "./views-detail.tsx";

const NOTICES: Record<string, string> = {
  created: "Company created.",
  saved: "Changes saved.",
  location: "Location added.",
  "location-deleted": "Location deleted.",
};

const section = "companies";
const formError = { variant: "error" as const, text: "Check the fields marked below." };

export function companiesPages(routes: RouteTable, deps: Deps) {
  const { db } = deps;
  const companyUrl = (c: Context<AppEnv>, company: Company, notice: string) =>
    c.get("page")!.url(`/companies/${encodeURIComponent(company.accountNumber)}?notice=${notice}`);

  /** A company's page; a failed location form comes back to it with its values and errors. */
  const detail = async (
    c: Context<AppEnv>,
    location: { errors?: Record<string, string>; values?: Record<string, string> } = {},
  ) => {
    const company = await visibleCompany(c, deps, acctParam(c));
    return c.render(
      <CompanyDetailPage
        company={companyJson(company, await loadPlans(db))}
        related={await relatedRows(db, company)}
        psa={isClient(c) ? null : await psaLinks(db)}
        locationErrors={location.errors}
        locationValues={location.values}
      />,
      { title: company.name, section, notice: pageNotice(c, NOTICES) },
    );
  };

  routes.page(pageRoute({ method: "get", path: "/companies", access: PAGES.read }), async (c) => {
    const query = pageQueryOf(c, companyListQuery);
    const list = await listCompanies(db, { ...query.data, limit: 50 }, null);
    return c.render(<CompanyListPage items={list.items} next={list.next_cursor} query={query.data} />, {
      title: "Companies",
      section,
      notice: query.error ? { variant: "info", text: query.error } : null,
    });
  });

  routes.page(pageRoute({ method: "get", path: "/companies/new", access: PAGES.data }), async (c) =>
    c.render(
      <CompanyFormPage mode="new" values={{ compliance_level: "standard" }} errors={{}} plans={await planNames(db)} />,
      { title: "New company", section },
    ),
  );

  routes.page(pageRoute({ method: "post", path: "/companies", access: PAGES.data }), async (c) => {
    const raw = await formFieldsOf(c);
    const parsed = companyCreate.safeParse(formToInput(raw, COMPANY_FORM));
    const result = parsed.success
      ? await attempt(() => createCompany(db, parsed.data, actorOf(c)))
      : ({ ok: false, errors: fieldErrors(parsed.error) } as const);
    if (result.ok) return c.redirect(companyUrl(c, result.value, "created"), 303);
    c.status(422);
    return c.render(<CompanyFormPage mode="new" values={raw} errors={result.errors} plans={await planNames(db)} />, {
      title: "New company",
      section,
      notice: formError,
    });
  });

  routes.page(pageRoute({ method: "get", path: "/companies/{acct}", access: PAGES.readWithClientScope }), (c) =>
    detail(c),
  );

  routes.page(pageRoute({ method: "get", path: "/companies/{acct}/edit", access: PAGES.data }), async (c) => {
    const company = await requireCompany(db, acctParam(c));
    const values = formValuesOf(companyJson(company, await loadPlans(db)), COMPANY_FORM);
    return c.render(<CompanyFormPage mode="edit" values={values} errors={{}} plans={await planNames(db)} />, {
      title: `Edit ${company.name}`,
      section,
    });
  });

  routes.page(pageRoute({ method: "post", path: "/companies/{acct}/edit", access: PAGES.data }), async (c) => {
    const company = await requireCompany(db, acctParam(c));
    const raw = await formFieldsOf(c);
    const { account_number: _account, ...input } = formToInput(raw, COMPANY_FORM, { keepEmpty: true });
    const parsed = companyUpdate.safeParse(input);
    const result = parsed.success
      ? await attempt(() => updateCompany(db, company, parsed.data, actorOf(c)))
      : ({ ok: false, errors: fieldErrors(parsed.error) } as const);
    if (result.ok) return c.redirect(companyUrl(c, company, "saved"), 303);
    c.status(422);
    const values = { ...raw, account_number: company.accountNumber };
    return c.render(
      <CompanyFormPage mode="edit" values={values} errors={result.errors} plans={await planNames(db)} />,
      {
        title: `Edit ${raw.name ?? company.name}`,
        section,
        notice: formError,
      },
    );
  });

  routes.page(pageRoute({ method: "post", path: "/companies/{acct}/locations", access: PAGES.data }), async (c) => {
    const company = await requireCompany(db, acctParam(c));
    const raw = await formFieldsOf(c);
    const parsed = locationCreate.safeParse(formToInput(raw, LOCATION_FORM));
    if (!parsed.success) {
      c.status(422);
      return detail(c, { errors: fieldErrors(parsed.error), values: raw });
    }
    await createLocation(db, company, parsed.data, actorOf(c));
    return c.redirect(companyUrl(c, company, "location"), 303);
  });

  routes.page(
    pageRoute({ method: "post", path: "/companies/{acct}/locations/{location_id}/delete", access: PAGES.data }),
    async (c) => {
      const company = await requireCompany(db, acctParam(c));
      await deleteLocation(db, await requireLocation(db, company, intParam(c, "location_id")), actorOf(c));
      return c.redirect(companyUrl(c, company, "location-deleted"), 303);
    },
  );
}
