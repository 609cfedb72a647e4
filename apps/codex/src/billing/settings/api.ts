import { apiRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { ACCESS } from "../../access.ts";
import { requireCompany } from "../../companies/data.ts";
import type { Deps } from "../../deps.ts";
import { jsonAnswer } from "../../shared/route-schemas.ts";
import { companyParams } from "../input.ts";
import { companyFeatures } from "../plans/data-features.ts";
import { companyBillingSettings } from "./data.ts";
import { billingSettingsAnswer } from "./json.ts";

const settingsRoute = apiRoute({
  method: "get",
  path: "/api/companies/{acct}/billing-settings",
  access: ACCESS.staff,
  tags: ["Billing"],
  summary:
    "Everything that decides a company's bill: plan rates, overrides, asset and user billing, manual items," +
    " charges, features",
  request: { params: companyParams },
  responses: { 200: jsonAnswer(billingSettingsAnswer, "The company's billing settings") },
});

/** A company's billing settings in one read. */
export function billingSettingsApi(routes: RouteTable, deps: Deps) {
  routes.api(settingsRoute, async (c) => {
    const company = await requireCompany(deps.db, c.req.valid("param").acct);
    return c.json(
      {
        ...(await companyBillingSettings(deps.db, company)),
        features: await companyFeatures(deps.db, company.id, company.billingPlanId),
      },
      200,
    );
  });
}
