import { describe, expect, test } from "bun:test";
import { ASSET_CSV, assetCreate, assetJson } from "../src/assets/json.ts";
import { COMPANY_CSV, COMPANY_FORM, companyCreate, companyJson, companySchema } from "../src/companies/json.ts";
import { CONTACT_CSV, CONTACT_FORM, contactCreate } from "../src/contacts/json.ts";
import { getTableColumns } from "drizzle-orm";
import { type Asset, type Company, companies } from "../src/db/schema.ts";

const names = (columns: readonly (readonly [string, string])[]) => columns.map(([name]) => name);

describe("one field spec per entity", () => {
  test("the CSV columns are the import format people's spreadsheets already have, in its order", () => {
    expect(names(COMPANY_CSV)).toEqual([
      "account_number",
      "name",
      "description",
      "domain",
      "domains",
      "billing_plan",
      "contract_term",
      "contract_start",
      "contract_end",
      "compliance_level",
      "phone",
      "address",
      "notes",
      "email_system",
      "phone_system",
      "head_name",
      "prime_user_name",
      "rmm_portal_url",
      "external_id",
      "external_source",
    ]);
    expect(names(CONTACT_CSV)).toEqual([
      "id",
      "name",
      "first_name",
      "last_name",
      "email",
      "secondary_emails",
      "job_title",
      "mobile_phone",
      "work_phone",
      "address",
      "time_zone",
      "notes",
      "active",
      "vip",
      "companies",
      "external_id",
      "external_source",
    ]);
    expect(ASSET_CSV.slice(0, 3)).toEqual([
      ["id", "int"],
      ["company", "text"],
      ["hostname", "text"],
    ]);
    expect(ASSET_CSV.filter(([, kind]) => kind !== "text")).toEqual([
      ["id", "int"],
      ["location_id", "int"],
      ["online", "bool"],
      ["backed_up", "bool"],
      ["backup_bytes", "int"],
      ["custom_fields", "json"],
      ["contact_ids", "intlist"],
    ]);
  });

  test("every CSV column is a field the create schema takes, so an export imports back", () => {
    for (const [columns, schema] of [
      [COMPANY_CSV, companyCreate],
      [CONTACT_CSV, contactCreate],
      [ASSET_CSV, assetCreate],
    ] as const)
      for (const name of names(columns)) expect([name, name in schema.shape]).toEqual([name, true]);
  });

  test("the serializer answers the response schema: dates as ISO timestamps, the plan by name", () => {
    const at = new Date("2026-03-04T05:06:07.000Z");
    const company = {
      ...Object.fromEntries(Object.keys(getTableColumns(companies)).map((column) => [column, null])),
      id: 7,
      accountNumber: "ACME-001",
      name: "Acme",
      domains: [],
      complianceLevel: "hipaa",
      billingPlanId: 2,
      contractTerm: "1_year",
      staleSince: at,
      createdAt: at,
      updatedAt: at,
    } as unknown as Company;
    const plans = new Map([[2, { id: 2, name: "Gold", supportLevel: "24/7" }]]) as never;
    const json = companyJson(company, plans);
    expect(companySchema.parse(json)).toEqual(json);
    expect(json).toMatchObject({
      billing_plan: "Gold",
      support_level: "24/7",
      stale_since: "2026-03-04T05:06:07.000Z",
    });
    const asset = assetJson({ id: 1, lastSeenAt: null, customFields: {} } as unknown as Asset, "ACME-001", [3]);
    expect(asset).toMatchObject({ company: "ACME-001", contact_ids: [3], last_seen_at: null });
  });

  test("the forms show their fields in the order people know, each with its label", () => {
    expect(COMPANY_FORM.map((field) => field.name)).toEqual([
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
    ]);
    expect(CONTACT_FORM.find((field) => field.name === "companies")).toMatchObject({ label: "Companies", list: true });
    expect(CONTACT_FORM.find((field) => field.name === "vip")).toMatchObject({ type: "checkbox" });
  });
});
