import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import type { PermissionLevel } from "@hivematrix/lib/config";
import { assertClassesDefined } from "@hivematrix/lib/testing/design-system";
import { startCodex, type CodexUnderTest } from "./harness.ts";
import { seedFixture } from "./fixtures.ts";

let codex: CodexUnderTest;
const PREFIX = "/codex";

beforeAll(async () => {
  codex = await startCodex("sqlite");
  await seedFixture(codex.deps.db);
  await codex.call("technician", "PUT", "/api/companies/BETA-002", {
    contract_end: new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10),
  });
});
afterAll(() => codex.stop());

const page = async (level: PermissionLevel, path: string, status = 200) => {
  const res = await codex.call(level, "GET", path, undefined, { accept: "text/html", "x-forwarded-prefix": PREFIX });
  const html = await res.text();
  expect([path, res.status]).toEqual([path, status]);
  if (status === 200) {
    assertClassesDefined(html, `${path} as ${level}`);
    expect(html).not.toMatch(/ style=|<style|<script/);
    // Links stay behind Codex's prefix, except the platform's home (Nexus's "/").
    for (const m of html.matchAll(/(?:href|action)="(\/[^"]*)"/g))
      expect([path, m[1]!.startsWith(`${PREFIX}/`) || m[1] === "/"]).toEqual([path, true]);
  }
  return html;
};
const post = async (level: PermissionLevel, path: string, fields: Record<string, string>, csrf = true) => {
  const res = await codex.call(
    level,
    "POST",
    path,
    new URLSearchParams({ ...fields, ...(csrf ? { _csrf: await codex.csrf(level) } : {}) }).toString(),
    {
      accept: "text/html",
      "content-type": "application/x-www-form-urlencoded",
      "x-forwarded-prefix": PREFIX,
    },
  );
  return { status: res.status, location: res.headers.get("location"), html: await res.text() };
};
const api = async (path: string) => (await codex.call("billing", "GET", path)).json();

describe("billing pages", () => {
  test("the dashboard: figures, revenue by plan, expiring contracts, the month's bills and its exports", async () => {
    const html = await page("technician", "/billing?year=2026&month=3");
    expect(html).toContain("Total clients");
    expect(html).toContain("Active contracts");
    expect(html).toContain("Revenue by plan, March 2026");
    expect(html).toContain("<svg");
    expect(html).toContain("Beta Logistics");
    expect(html).toMatch(/Contract end[\s\S]*Beta Logistics/);
    expect(html).toContain(`${PREFIX}/api/billing/invoices.zip?year=2026&amp;month=3`);
    expect(html).toContain(`${PREFIX}/api/billing/quickbooks.csv?year=2026&amp;month=3`);
    expect(html).not.toContain("draft bills");
    expect(await page("billing", "/billing?year=2026&month=3")).toContain("Accept all 2 draft bills");
    await page("client", "/billing", 403);
  });

  test("accepting every draft bill of a month from the dashboard", async () => {
    const early = await post("billing", "/billing/accept-month", { year: "2099", month: "1" });
    expect(early.status).toBe(422);
    expect(early.html).toContain("A month that has not started cannot be billed yet.");
    const done = await post("billing", "/billing/accept-month", { year: "2026", month: "3" });
    expect(done.status).toBe(303);
    const html = await page("billing", done.location!.slice(PREFIX.length));
    // GAMMA-003 has no plan and nothing on its bill: no invoice for it.
    expect(html).toContain("2026-03: 2 bills accepted, 0 were already accepted, 1 had nothing to bill.");
    expect(html).not.toContain("draft bill");
    expect((await post("technician", "/billing/accept-month", { year: "2026", month: "3" })).status).toBe(403);
  });

  test("company billing settings: technicians read, billing staff change rates with errors next to the fields", async () => {
    const tech = await page("technician", "/companies/ACME-001/billing");
    expect(tech).toContain("How each device is billed");
    expect(tech).not.toContain("Save rates");
    await page("client", "/companies/ACME-001/billing", 403);
    const form = await page("billing", "/companies/ACME-001/billing");
    expect(form).toContain("Save rates");
    expect(form).toContain("Plan: $15.00");

    const bad = await post("billing", "/companies/ACME-001/billing/rates", {
      per_user_cents_on: "on",
      per_user_cents: "lots",
      prepaid_minutes_monthly_on: "on",
      prepaid_minutes_monthly: "1.5",
    });
    expect(bad.status).toBe(422);
    assertClassesDefined(bad.html);
    expect(bad.html).toContain('id="field-per_user_cents-error"');
    expect(bad.html).toContain("An amount like 25 or 25.50.");
    expect(bad.html).toContain('value="lots"');
    expect((await api("/api/companies/ACME-001/billing-overrides")).per_user_cents).toBeNull();

    const ok = await post("billing", "/companies/ACME-001/billing/rates", {
      per_user_cents_on: "on",
      per_user_cents: "12.50",
      prepaid_minutes_monthly_on: "on",
      prepaid_minutes_monthly: "1.5",
      per_server_cents: "999",
    });
    expect(ok.status).toBe(303);
    expect(ok.location).toBe(`${PREFIX}/companies/ACME-001/billing?notice=rates#rates`);
    expect(await api("/api/companies/ACME-001/billing-overrides")).toMatchObject({
      per_user_cents: 1250,
      prepaid_minutes_monthly: 90,
      per_server_cents: null,
    });
    expect(
      (
        await post(
          "billing",
          "/companies/ACME-001/billing/rates",
          { per_user_cents_on: "on", per_user_cents: "1" },
          false,
        )
      ).status,
    ).toBe(403);
    expect(
      (await post("technician", "/companies/ACME-001/billing/rates", { per_user_cents_on: "on", per_user_cents: "1" }))
        .status,
    ).toBe(403);
    // The bill shows where its numbers came from.
    const bill = await page("billing", "/companies/ACME-001/bill?year=2026&month=4");
    expect(bill).toContain("Overrides in this bill");
    expect(bill).toMatch(/Per user[\s\S]*\$15\.00[\s\S]*\$12\.50/);
    expect(await page("client", "/companies/ACME-001/bill?year=2026&month=4")).not.toContain("Overrides in this bill");
  });

  test("an override switched off keeps its value, shown ready to switch on again", async () => {
    const set = (fields: Record<string, string>) => post("billing", "/companies/ACME-001/billing/rates", fields);
    expect(
      (await set({ per_user_cents_on: "on", per_user_cents: "12.50", per_hour_cents_on: "on", per_hour_cents: "110" }))
        .status,
    ).toBe(303);
    // Both boxes unticked: the plan's rates are billed again, the values are kept aside.
    expect((await set({ per_user_cents: "12.50", per_hour_cents: "110" })).status).toBe(303);
    const off = await api("/api/companies/ACME-001/billing-overrides");
    expect(off).toMatchObject({
      per_user_cents: null,
      per_hour_cents: null,
      parked: { per_user_cents: 1250, per_hour_cents: 11000 },
    });
    const settings = await api("/api/companies/ACME-001/billing-settings");
    expect(settings.effective_rates.per_user_cents).toBe(settings.plan_rates.per_user_cents);
    const form = await page("billing", "/companies/ACME-001/billing");
    expect(form).toContain('value="12.50" id="field-per_user_cents"');
    expect(form).toContain("Switched off; tick the box to use this value again.");
    // Ticking one box again puts its value back in force and takes it out of the parked ones.
    expect((await set({ per_user_cents_on: "on", per_user_cents: "12.50", per_hour_cents: "110" })).status).toBe(303);
    expect(await api("/api/companies/ACME-001/billing-overrides")).toMatchObject({
      per_user_cents: 1250,
      per_hour_cents: null,
      parked: { per_hour_cents: 11000 },
    });
    expect((await api("/api/companies/ACME-001/billing-overrides")).parked.per_user_cents).toBeUndefined();
    // The API parks the same way.
    await codex.call("billing", "PUT", "/api/companies/ACME-001/billing-overrides", { per_user_cents: null });
    expect((await api("/api/companies/ACME-001/billing-overrides")).parked).toMatchObject({
      per_hour_cents: 11000,
      per_user_cents: 1250,
    });
  });

  test("device and user billing, manual devices and users, and features from the settings page", async () => {
    const h = codex.deps.db;
    const [ws] = await h.db.select().from(h.t.assets).where(eq(h.t.assets.hostname, "ACME-WS-01"));
    const [ann] = await h.db.select().from(h.t.contacts).where(eq(h.t.contacts.email, "ann@acme.example"));
    const noPrice = await post("billing", "/companies/ACME-001/billing/assets", {
      [`asset_${ws!.id}`]: "custom",
      [`asset_${ws!.id}_price`]: "",
    });
    expect(noPrice.status).toBe(422);
    expect(noPrice.html).toContain(`id="field-asset_${ws!.id}_price-error"`);
    expect(
      (
        await post("billing", "/companies/ACME-001/billing/assets", {
          [`asset_${ws!.id}`]: "custom",
          [`asset_${ws!.id}_price`]: "44",
        })
      ).status,
    ).toBe(303);
    expect((await post("billing", "/companies/ACME-001/billing/users", { [`user_${ann!.id}`]: "free" })).status).toBe(
      303,
    );
    const settings = await api("/api/companies/ACME-001/billing-settings");
    expect(settings.assets.find((a: { id: number }) => a.id === ws!.id).billing_override).toEqual({
      billing_type: "custom",
      custom_cents: 4400,
    });
    expect(settings.users.find((u: { id: number }) => u.id === ann!.id).billing_override).toEqual({
      billing_type: "free",
      custom_cents: null,
    });

    const missing = await post("billing", "/companies/ACME-001/billing/manual-assets", {
      ma_hostname: "",
      ma_billing_type: "server",
      ma_price: "",
      ma_notes: "",
    });
    expect(missing.status).toBe(422);
    expect(missing.html).toContain('id="field-ma_hostname-error"');
    const custom = await post("billing", "/companies/ACME-001/billing/manual-users", {
      mu_name: "Consultant",
      mu_billing_type: "custom",
      mu_price: "",
      mu_notes: "",
    });
    expect(custom.status).toBe(422);
    expect(custom.html).toContain('id="field-mu_price-error"');
    expect(
      (
        await post("billing", "/companies/ACME-001/billing/manual-assets", {
          ma_hostname: "Closet NAS",
          ma_billing_type: "server",
          ma_price: "",
          ma_notes: "bought 2024",
        })
      ).status,
    ).toBe(303);
    expect(
      (
        await post("billing", "/companies/ACME-001/billing/manual-users", {
          mu_name: "Consultant",
          mu_billing_type: "custom",
          mu_price: "9.99",
          mu_notes: "",
        })
      ).status,
    ).toBe(303);
    const html = await page("billing", "/companies/ACME-001/billing");
    expect(html).toContain("Closet NAS");
    expect(html).toContain("Custom price, $9.99");
    const [nas] = (await api("/api/companies/ACME-001/manual-assets")).items;
    expect((await post("billing", `/companies/ACME-001/billing/manual-assets/${nas.id}/delete`, {})).status).toBe(303);
    expect((await api("/api/companies/ACME-001/manual-assets")).items).toEqual([]);

    await codex.call("billing", "POST", "/api/feature-categories", { key: "antivirus", name: "Antivirus" });
    await codex.call("billing", "POST", "/api/feature-options", {
      category: "antivirus",
      value: "defender",
      display_name: "Defender",
    });
    expect(
      (await post("billing", "/companies/ACME-001/billing/features", { feature_antivirus: "norton" })).status,
    ).toBe(422);
    expect(
      (await post("billing", "/companies/ACME-001/billing/features", { feature_antivirus: "defender" })).status,
    ).toBe(303);
    expect((await api("/api/companies/ACME-001/features")).items).toContainEqual(
      expect.objectContaining({ key: "antivirus", value: "defender", source: "override" }),
    );
    expect(await page("billing", "/companies/ACME-001/billing")).toContain("Plan default (not included)");
  });

  test("the archive: search, pages, a snapshot as accepted, and a client's own invoices only", async () => {
    for (const month of [1, 2])
      for (const acct of ["ACME-001", "BETA-002"])
        await codex.call("billing", "POST", `/api/billing/${acct}/accept`, { year: 2026, month });
    const all = await page("billing", "/billing/invoices");
    expect(all).toContain("ACME-001-202603");
    expect(all).toContain("BETA-002-202601");
    const beta = await page("billing", "/billing/invoices?company=beta&from=2026-02");
    expect(beta).toContain("BETA-002-202603");
    expect(beta).toContain("BETA-002-202602");
    expect(beta).not.toContain("BETA-002-202601");
    expect(beta).not.toContain("ACME-001-2026");
    await page("billing", "/billing/invoices?from=March", 422);
    const client = await page("client", "/billing/invoices");
    expect(client).toContain("ACME-001-202601");
    expect(client).not.toContain("BETA-002");
    const detail = await page("client", "/billing/invoices/ACME-001-202603");
    expect(detail).toContain("Invoice ACME-001-202603");
    expect(detail).toContain(`${PREFIX}/api/invoices/ACME-001-202603/csv`);
    await page("client", "/billing/invoices/BETA-002-202603", 404);
    expect(await page("billing", "/billing/invoices/ACME-001-202603")).toContain("Overrides in this bill");
  });

  test("scheduled acceptance: admins set the schedule and run a month; others may not", async () => {
    expect(await page("admin", "/billing/automation")).toContain("Accept the previous month&#39;s bills automatically");
    await page("billing", "/billing/automation", 403);
    const bad = await post("admin", "/billing/automation", { enabled: "on", cron: "whenever", timezone: "" });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('id="field-cron-error"');
    const ok = await post("admin", "/billing/automation", { enabled: "on", cron: "0 7 1 * *", timezone: "" });
    expect(ok.status).toBe(303);
    const html = await page("admin", "/billing/automation?notice=saved");
    expect(html).toContain("Schedule saved.");
    expect(html).toMatch(/Next runs[\s\S]*07:00 UTC/);
    const run = await post("admin", "/billing/automation/run", { year: "2025", month: "12" });
    expect(run.status).toBe(303);
    expect(await page("admin", run.location!.slice(PREFIX.length))).toContain("2025-12: 2 bills accepted");
    expect((await post("admin", "/billing/automation/run", { year: "2025", month: "" })).status).toBe(422);
    await post("admin", "/billing/automation", { cron: "0 7 1 * *", timezone: "" });
  });

  test("plans: copy terms and import from the plans page", async () => {
    const h = codex.deps.db;
    const [gold] = await h.db.select().from(h.t.billingPlans).where(eq(h.t.billingPlans.name, "Gold"));
    const copied = await post("billing", `/billing/plans/${gold!.id}/copy-terms`, { create_missing: "on" });
    expect(copied.status).toBe(303);
    expect(await page("billing", copied.location!.slice(PREFIX.length))).toContain(
      "Rates copied: 0 terms updated, 3 added, 0 already the same.",
    );
    expect(await page("billing", `/billing/plans/${gold!.id}`)).toContain("Copy terms");

    const upload = async (text: string) => {
      const form = new FormData();
      form.set("_csrf", await codex.csrf("admin"));
      form.set("file", new File([text], "plans.json", { type: "application/json" }));
      const res = await codex.app.fetch(
        new Request("http://codex.test/billing/plans/import", {
          method: "POST",
          body: form,
          headers: {
            authorization: `Bearer ${await codex.token("admin")}`,
            accept: "text/html",
            "x-forwarded-prefix": PREFIX,
          },
        }),
      );
      return { status: res.status, location: res.headers.get("location"), html: await res.text() };
    };
    expect((await upload("{not json")).html).toContain("This file is not JSON.");
    const exported = await (await codex.call("admin", "GET", "/api/billing-plans/export")).json();
    const broken = await upload(JSON.stringify({ ...exported, plans: [{ ...exported.plans[0], per_user_cents: -5 }] }));
    expect(broken.status).toBe(422);
    assertClassesDefined(broken.html);
    expect(broken.html).toContain("Nothing was imported");
    expect(broken.html).toContain("plans.0.per_user_cents");
    const good = await upload(
      JSON.stringify({ ...exported, plans: [...exported.plans, { ...exported.plans[0], name: "Platinum" }] }),
    );
    expect(good.status).toBe(303);
    expect(await page("admin", good.location!.slice(PREFIX.length))).toContain("Imported: 1 plans created");
    expect(await page("admin", "/billing/plans")).toContain("Export JSON");
    expect(await page("billing", "/billing/plans")).not.toContain("Import plans");
  });
});
