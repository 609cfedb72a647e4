import { z } from "zod";
import { oneCall } from "../define.ts";
import { acct, cursor, limit, recordId } from "./fields.ts";

const LEVEL = z.enum(["standard", "hipaa", "cjis"]);
const companyFields = {
  name: z.string().min(1).max(200).optional(),
  description: z.string().max(2000).nullable().optional(),
  domain: z.string().max(253).nullable().optional(),
  phone: z.string().max(50).nullable().optional(),
  address: z.string().max(500).nullable().optional(),
  notes: z.string().max(5000).nullable().optional(),
  compliance_level: LEVEL.optional(),
};
const contactFields = {
  first_name: z.string().max(100).nullable().optional(),
  last_name: z.string().max(100).nullable().optional(),
  email: z.email().max(254).nullable().optional(),
  job_title: z.string().max(200).nullable().optional(),
  mobile_phone: z.string().max(50).nullable().optional(),
  work_phone: z.string().max(50).nullable().optional(),
  active: z.boolean().optional(),
  vip: z.boolean().optional(),
  companies: z.array(acct).max(50).optional().describe("Account numbers of the companies the contact belongs to"),
};
const assetFields = {
  hostname: z.string().min(1).max(255).optional(),
  asset_type: z.enum(["workstation", "server", "vm", "switch", "firewall", "other"]).optional(),
  manufacturer: z.string().max(100).nullable().optional(),
  model: z.string().max(100).nullable().optional(),
  serial_number: z.string().max(100).nullable().optional(),
  operating_system: z.string().max(200).nullable().optional(),
  description: z.string().max(2000).nullable().optional(),
};

export const codexRecordTools = [
  oneCall({
    name: "search",
    description: "Search Codex's companies, contacts, assets and tickets by words (names, hostnames, subjects…).",
    input: z
      .object({
        q: z.string().min(1).max(200),
        limit: z.number().int().min(1).max(50).optional().describe("At most 50"),
      })
      .strict(),
    operation: "codex GET /api/search",
    map: (input) => ({ query: { q: input.q, limit: input.limit } }),
  }),
  oneCall({
    name: "list_companies",
    description: "List client companies (optionally matching words or of one compliance level), a page at a time.",
    input: z.object({ q: z.string().max(200).optional(), compliance_level: LEVEL.optional(), limit, cursor }).strict(),
    operation: "codex GET /api/companies",
    map: (input) => ({
      query: { q: input.q, compliance_level: input.compliance_level, limit: input.limit ?? 25, cursor: input.cursor },
    }),
  }),
  oneCall({
    name: "get_company",
    description: "One company by account number: details, plan, contract, compliance level.",
    input: z.object({ acct }).strict(),
    operation: "codex GET /api/companies/{acct}",
    map: (input) => ({ params: { acct: input.acct } }),
  }),
  oneCall({
    name: "create_company",
    description: "Create a client company (waits for the person's approval).",
    input: z.object({ account_number: acct, ...companyFields, name: z.string().min(1).max(200) }).strict(),
    operation: "codex POST /api/companies",
    map: (input) => ({ body: input }),
  }),
  oneCall({
    name: "update_company",
    description: "Change fields of a company; only the fields given change (waits for approval).",
    input: z.object({ acct, changes: z.object(companyFields).strict() }).strict(),
    operation: "codex PUT /api/companies/{acct}",
    map: (input) => ({ params: { acct: input.acct }, body: input.changes }),
  }),
  oneCall({
    name: "list_contacts",
    description: "List contacts (people at client companies), optionally of one company or matching words.",
    input: z.object({ company: acct.optional(), q: z.string().max(200).optional(), limit, cursor }).strict(),
    operation: "codex GET /api/contacts",
    map: (input) => ({ query: { company: input.company, q: input.q, limit: input.limit ?? 25, cursor: input.cursor } }),
  }),
  oneCall({
    name: "get_contact",
    description: "One contact by id.",
    input: z.object({ id: recordId }).strict(),
    operation: "codex GET /api/contacts/{id}",
    map: (input) => ({ params: { id: input.id } }),
  }),
  oneCall({
    name: "create_contact",
    description: "Create a contact at one or more companies (waits for approval).",
    input: z.object({ ...contactFields, companies: z.array(acct).min(1).max(50) }).strict(),
    operation: "codex POST /api/contacts",
    map: (input) => ({ body: input }),
  }),
  oneCall({
    name: "update_contact",
    description: "Change fields of a contact; only the fields given change (waits for approval).",
    input: z.object({ id: recordId, changes: z.object(contactFields).strict() }).strict(),
    operation: "codex PUT /api/contacts/{id}",
    map: (input) => ({ params: { id: input.id }, body: input.changes }),
  }),
  oneCall({
    name: "list_assets",
    description: "List assets (computers, servers, devices), optionally of one company or matching words.",
    input: z.object({ company: acct.optional(), q: z.string().max(200).optional(), limit, cursor }).strict(),
    operation: "codex GET /api/assets",
    map: (input) => ({ query: { company: input.company, q: input.q, limit: input.limit ?? 25, cursor: input.cursor } }),
  }),
  oneCall({
    name: "get_asset",
    description: "One asset by id.",
    input: z.object({ id: recordId }).strict(),
    operation: "codex GET /api/assets/{id}",
    map: (input) => ({ params: { id: input.id } }),
  }),
  oneCall({
    name: "create_asset",
    description: "Create an asset at a company (waits for approval).",
    input: z.object({ company: acct, ...assetFields, hostname: z.string().min(1).max(255) }).strict(),
    operation: "codex POST /api/assets",
    map: (input) => ({ body: input }),
  }),
  oneCall({
    name: "update_asset",
    description: "Change fields of an asset; only the fields given change (waits for approval).",
    input: z.object({ id: recordId, changes: z.object(assetFields).strict() }).strict(),
    operation: "codex PUT /api/assets/{id}",
    map: (input) => ({ params: { id: input.id }, body: input.changes }),
  }),
];
