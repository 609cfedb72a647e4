import type { FreshserviceClient } from "../freshservice/client.ts";
import { accountNumberOf, companyRow, workspaceCompanyRow, workspaceExternalId } from "../freshservice/mapping.ts";
import type { FreshserviceSettings } from "../settings.ts";
import type { JobReport } from "./report.ts";

/** The companies Freshservice defines, read completely, and how its departments map to them. */
export interface PsaCompanies {
  rows: Record<string, unknown>[];
  /** Department id → account number: requesters' departments say which companies they belong to. */
  accountOfDepartment: Map<number, string>;
  /** External ids of every company source Freshservice listed (mapped or not): absence from it is real. */
  listed: Set<string>;
}

/**
 * Reads the companies of either tenancy model. Departments: each department with an account
 * number is a company. Workspaces (Freshservice for MSPs, where each client is a workspace and
 * departments belong to a client): each client the settings map to an account number is a
 * company, and its departments, listed with its workspace_id, count as it.
 */
export async function readPsaCompanies(
  fs: FreshserviceClient,
  settings: FreshserviceSettings,
  people: Map<number, string>,
  report: JobReport,
): Promise<PsaCompanies> {
  const out: PsaCompanies = { rows: [], accountOfDepartment: new Map(), listed: new Set() };
  if (settings.companiesFrom === "departments") {
    const departments = await fs.departments();
    report.add("departments_fetched", departments.length);
    for (const d of departments) {
      out.listed.add(String(d.id));
      const account = accountNumberOf(d, settings);
      if (!account) {
        report.add("departments_without_account_number");
        report.log(`department ${d.id} "${d.name}" has no ${settings.accountNumberField}; skipped`);
        continue;
      }
      out.accountOfDepartment.set(d.id, account);
      out.rows.push(companyRow(d, account, people, settings.companyFields));
    }
    return out;
  }
  const workspaces = await fs.workspaces();
  report.add("workspaces_fetched", workspaces.length);
  for (const w of workspaces) {
    out.listed.add(workspaceExternalId(w.id));
    const account = settings.clients[String(w.id)];
    if (!account) {
      report.add("workspaces_without_account_number");
      report.log(`workspace ${w.id} "${w.name}" is not mapped to an account number; skipped`);
      continue;
    }
    out.rows.push(workspaceCompanyRow(w, account));
    for (const d of await fs.departments(w.id)) out.accountOfDepartment.set(d.id, account);
  }
  for (const id of Object.keys(settings.clients))
    if (!workspaces.some((w) => String(w.id) === id))
      report.log(`workspace ${id} is mapped to ${settings.clients[id]} but Freshservice does not list it`);
  return out;
}
