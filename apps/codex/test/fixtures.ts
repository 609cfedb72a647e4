import type { CodexDb } from "../src/deps.ts";
import { upsertCompanies } from "../src/companies/data.ts";
import { upsertContacts } from "../src/contacts/data.ts";
import { upsertAssets } from "../src/assets/data.ts";
import { upsertTickets } from "../src/tickets/data.ts";
import { upsertAgents } from "../src/agents/data.ts";
import { createPlan } from "../src/billing/plans/data.ts";
import { createLocation } from "../src/locations/data.ts";
import { requireCompany } from "../src/companies/data.ts";

const actor = { name: "fixture" };

export const GOLD = {
  name: "Gold",
  term: "1_year" as const,
  per_user_cents: 1500,
  per_workstation_cents: 3000,
  per_server_cents: 12000,
  per_vm_cents: 6000,
  per_switch_cents: 1000,
  per_firewall_cents: 2500,
  per_hour_cents: 12500,
  prepaid_minutes_monthly: 120,
  prepaid_minutes_yearly: 0,
  backup_base_workstation_cents: 2500,
  backup_base_server_cents: 5000,
  backup_included_tb: 1,
  backup_per_tb_cents: 1500,
};

/** A small MSP: three companies (ACME-001 is the dev client's), people, devices and tickets. */
export async function seedFixture(h: CodexDb) {
  const gold = await createPlan(h, GOLD, actor);
  await createPlan(h, { ...GOLD, name: "Silver", term: "month_to_month", per_user_cents: 1000 }, actor);
  await upsertCompanies(
    h,
    [
      {
        account_number: "ACME-001",
        name: "Acme Dental",
        domain: "acme.example",
        billing_plan: "Gold",
        contract_term: "1_year",
        compliance_level: "hipaa",
      },
      {
        account_number: "BETA-002",
        name: "Beta Logistics",
        domain: "beta.example",
        billing_plan: "Silver",
        contract_term: "month_to_month",
      },
      { account_number: "GAMMA-003", name: "Gamma Law", domain: "gamma.example", compliance_level: "cjis" },
    ],
    actor,
  );
  await upsertContacts(
    h,
    [
      { name: "Ann Archer", email: "ann@acme.example", companies: ["ACME-001"], job_title: "Office manager" },
      { name: "Bob Baker", email: "bob@beta.example", companies: ["BETA-002"] },
      { name: "Carol Chen", email: "carol@consult.example", companies: ["ACME-001", "BETA-002"] },
      { name: "Dan Drake", email: "dan@gamma.example", companies: ["GAMMA-003"], active: false },
    ],
    actor,
  );
  await upsertAssets(
    h,
    [
      { company: "ACME-001", hostname: "ACME-WS-01", operating_system: "Windows 11 Pro", online: true },
      {
        company: "ACME-001",
        hostname: "ACME-SRV-01",
        operating_system: "Windows Server 2022",
        backed_up: true,
        backup_bytes: 2 * 2 ** 40,
      },
      { company: "BETA-002", hostname: "BETA-WS-01", operating_system: "macOS 15" },
      { company: "GAMMA-003", hostname: "GAMMA-FW-01", hardware_type: "Firewall" },
    ],
    actor,
  );
  await upsertAgents(
    h,
    [{ idp_user_id: "kc-tech", username: "tech", email: "tech@msp.example", name: "Terry Tech" }],
    actor,
  );
  await upsertTickets(
    h,
    [
      {
        company: "ACME-001",
        subject: "Printer jammed on floor 2",
        priority: "high",
        requester_email: "ann@acme.example",
        entries: [
          { kind: "reply", body: "Have you tried turning it off?", author_name: "Terry Tech" },
          { kind: "note", body: "Internal: toner supplier is slow", author_name: "Terry Tech" },
        ],
      },
      { company: "BETA-002", subject: "VPN down for warehouse", priority: "urgent" },
      { company: "GAMMA-003", subject: "New laptop for paralegal", status: "closed" },
    ],
    actor,
  );
  await createLocation(h, await requireCompany(h, "ACME-001"), { name: "Main office", address: "1 Acme Way" }, actor);
  await createLocation(h, await requireCompany(h, "BETA-002"), { name: "Warehouse" }, actor);
  return { gold };
}
