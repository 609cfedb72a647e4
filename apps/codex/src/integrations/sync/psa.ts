import { and, eq } from "drizzle-orm";
import { upsertAgents } from "../../agents/data.ts";
import { upsertCompanies } from "../../companies/data.ts";
import { companiesOfContacts, upsertContacts } from "../../contacts/data.ts";
import { setStale } from "../../data/stale.ts";
import { freshserviceClient, type IntegrationContext } from "../context.ts";
import { agentRow, contactRow, personName, SOURCE, workspaceOfCompany } from "../freshservice/mapping.ts";
import { readSettings } from "../settings.ts";
import { locallyEditedFields, syncActor, upsertInBatches, withoutLocalEdits } from "./common.ts";
import { readPsaCompanies } from "./psa-companies.ts";
import type { JobReport } from "./report.ts";

const actor = syncActor(SOURCE);

/**
 * PSA base sync: Freshservice departments (or client workspaces) → companies, requesters →
 * contacts, agents → agents.
 * Every list is fetched completely before anything is written (a failed page fails the run
 * with nothing changed). Nothing is ever deleted: contacts missing from a complete list are
 * marked inactive; companies missing are marked stale (and unmarked when they come back).
 * Fields people edited in Codex are kept.
 */
export async function syncPsaBase(ctx: IntegrationContext, report: JobReport): Promise<void> {
  const h = ctx.db;
  const fs = await freshserviceClient(ctx, { monitor: report });
  const { settings } = await readSettings(h, "freshservice");
  report.phase("reading requesters and agents");
  const [requesters, agents] = [await fs.requesters(), await fs.agents()];
  report.add("requesters_fetched", requesters.length);
  report.add("agents_fetched", agents.length);

  // Companies.
  const people = new Map<number, string>();
  for (const r of requesters) people.set(r.id, personName(r, r.primary_email ?? null) ?? "");
  for (const a of agents) people.set(a.id, personName(a, a.email ?? null) ?? "");
  report.phase(`reading companies (from ${settings.companiesFrom})`);
  const {
    rows: companyRows,
    accountOfDepartment: accountOf,
    listed,
  } = await readPsaCompanies(fs, settings, people, report);
  report.log(`fetched ${companyRows.length} companies, ${requesters.length} requesters, ${agents.length} agents`);
  report.phase("writing companies, contacts and agents");
  const existingCompanies = await h.db
    .select({ id: h.t.companies.id, externalId: h.t.companies.externalId, accountNumber: h.t.companies.accountNumber })
    .from(h.t.companies)
    .where(eq(h.t.companies.externalSource, SOURCE));
  const companyByExternal = new Map(existingCompanies.map((c) => [c.externalId!, c]));
  const companyEdits = await locallyEditedFields(
    h,
    "company",
    existingCompanies.map((c) => c.id),
  );
  await upsertInBatches(
    (rows) => upsertCompanies(h, rows, actor),
    companyRows.map((r) => {
      const current = companyByExternal.get(r.external_id as string);
      const edits = current ? companyEdits.get(current.id) : undefined;
      // The account number identifies the row, so it is always sent: the local one when people changed it.
      const row = withoutLocalEdits(r, edits, { keep: ["external_id", "external_source", "account_number"] });
      return edits?.has("account_number") ? { ...row, account_number: current!.accountNumber } : row;
    }),
    report,
    "companies",
    (r) => `${r.account_number} (department ${r.external_id})`,
  );
  // The company list was complete (any failed page would have thrown), so absence is real.
  const missing = existingCompanies.filter((c) => !listed.has(c.externalId!));
  if (missing.length) {
    report.add("companies_missing_in_psa", missing.length);
    report.log(`no longer in Freshservice (kept, marked stale): ${missing.map((c) => c.accountNumber).join(", ")}`);
  }
  const stale = await setStale(
    h,
    "company",
    {
      stale: missing.map((c) => c.id),
      fresh: existingCompanies.filter((c) => listed.has(c.externalId!)).map((c) => c.id),
    },
    actor,
  );
  if (stale.marked) report.add("companies_marked_stale", stale.marked);
  if (stale.cleared) report.add("companies_no_longer_stale", stale.cleared);

  // Contacts: company links from the requester's departments, added to the links made in Codex.
  const existingContacts = await h.db
    .select({
      id: h.t.contacts.id,
      externalId: h.t.contacts.externalId,
      name: h.t.contacts.name,
      active: h.t.contacts.active,
    })
    .from(h.t.contacts)
    .where(eq(h.t.contacts.externalSource, SOURCE));
  const contactIdByExternal = new Map(existingContacts.map((c) => [c.externalId!, c.id]));
  const contactById = new Map(existingContacts.map((c) => [c.id, c]));
  const links = await companiesOfContacts(
    h,
    existingContacts.map((c) => c.id),
  );
  const contactEdits = await locallyEditedFields(
    h,
    "contact",
    existingContacts.map((c) => c.id),
  );
  const known = new Set(
    (await h.db.select({ acct: h.t.companies.accountNumber }).from(h.t.companies)).map((c) => c.acct),
  );
  const contactRows: Record<string, unknown>[] = [];
  for (const r of requesters) {
    const id = contactIdByExternal.get(String(r.id));
    const fromPsa = (r.department_ids ?? [])
      .map((d) => accountOf.get(d))
      .filter((a): a is string => !!a && known.has(a));
    const companies = [...new Set([...(id ? (links.get(id) ?? []) : []), ...fromPsa])].sort();
    const row = contactRow(r, companies);
    if (!row) {
      report.add("requesters_without_name_or_email");
      continue;
    }
    const edits = id ? contactEdits.get(id) : undefined;
    const kept = withoutLocalEdits(row, edits, { keep: ["external_id", "external_source", "name"] });
    contactRows.push(edits?.has("name") ? { ...kept, name: contactById.get(id!)!.name } : kept);
  }
  // The requester list was complete (any failed page would have thrown), so absence is real.
  const seenRequesters = new Set(requesters.map((r) => String(r.id)));
  for (const c of existingContacts) {
    if (c.active && !seenRequesters.has(c.externalId!) && !contactEdits.get(c.id)?.has("active")) {
      contactRows.push({ name: c.name, active: false, external_id: c.externalId, external_source: SOURCE });
      report.add("contacts_deactivated");
    }
  }
  await upsertInBatches(
    (rows) => upsertContacts(h, rows, actor),
    contactRows,
    report,
    "contacts",
    (r) => `${r.email ?? r.name} (requester ${r.external_id})`,
  );

  // Agents: PSA agents join the agents Keycloak made (matched by email); never deleted.
  const agentRows = agents.map(agentRow).filter((r): r is Record<string, unknown> => r !== null);
  report.add("agents_without_email", agents.length - agentRows.length);
  await upsertInBatches(
    (rows) => upsertAgents(h, rows, actor),
    agentRows,
    report,
    "agents",
    (r) => `${r.email} (agent ${r.external_id})`,
  );
}

/** Freshservice-sourced rows as maps from provider id to Codex record, for ticket mapping. */
export async function psaLookups(ctx: IntegrationContext) {
  const h = ctx.db;
  const companies = await h.db
    .select({ externalId: h.t.companies.externalId, accountNumber: h.t.companies.accountNumber })
    .from(h.t.companies)
    .where(eq(h.t.companies.externalSource, SOURCE));
  const contacts = await h.db
    .select({
      id: h.t.contacts.id,
      externalId: h.t.contacts.externalId,
      name: h.t.contacts.name,
      email: h.t.contacts.email,
    })
    .from(h.t.contacts)
    .where(eq(h.t.contacts.externalSource, SOURCE));
  const links = await companiesOfContacts(
    h,
    contacts.map((c) => c.id),
  );
  const agents = await h.db
    .select({ id: h.t.agents.id, externalId: h.t.agents.externalId, name: h.t.agents.name })
    .from(h.t.agents)
    .where(and(eq(h.t.agents.externalSource, SOURCE)));
  const companyOfWorkspace = new Map<number, string>();
  const companyOfDepartment = new Map<number, string>();
  for (const c of companies) {
    const workspace = workspaceOfCompany(c.externalId);
    if (workspace !== null) companyOfWorkspace.set(workspace, c.accountNumber);
    else companyOfDepartment.set(Number(c.externalId), c.accountNumber);
  }
  return {
    companyOfDepartment,
    companyOfWorkspace,
    contacts: new Map(
      contacts.map((c) => [
        Number(c.externalId),
        { id: c.id, name: c.name, email: c.email, companies: links.get(c.id) ?? [] },
      ]),
    ),
    agents: new Map(agents.map((a) => [Number(a.externalId), { id: a.id, name: a.name }])),
  };
}
