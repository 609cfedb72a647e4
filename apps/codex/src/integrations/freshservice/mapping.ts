import type { CONTRACT_TERMS, TICKET_PRIORITIES, TICKET_STATUSES } from "../../db/schema.ts";
import type { FreshserviceSettings } from "../settings.ts";
import { cleanEmail, htmlToText, isoTime } from "../sync/common.ts";
import {
  hoursFromTimeSpent,
  type FsAgent,
  type FsDepartment,
  type FsRequester,
  type FsTicket,
  type FsTimeEntry,
  type FsWorkspace,
} from "./types.ts";

/** Freshservice → Codex rows, in the field names of Codex's data functions. */
export const SOURCE = "freshservice";

/**
 * Spam and trashed tickets are flags, not statuses (https://api.freshservice.com/#ticket_attributes):
 * such a ticket keeps its status, so a tenant's custom status 6 or 7 is an ordinary one.
 */
export function isDiscarded(t: FsTicket): boolean {
  return t.spam === true || t.deleted === true;
}

function customText(d: FsDepartment, key: string): string | null {
  const v = d.custom_fields?.[key];
  if (v === null || v === undefined) return null;
  const s = String(v).trim();
  return s || null;
}

/** "1 Year", "2 years", "Month to Month" → Codex's contract term; null when it is not one. */
export function contractTerm(value: string | null): (typeof CONTRACT_TERMS)[number] | null {
  if (!value) return null;
  const v = value.toLowerCase();
  if (/month/.test(v)) return "month_to_month";
  const m = /([123])\s*-?\s*y/.exec(v);
  return m ? (`${m[1]}_year` as (typeof CONTRACT_TERMS)[number]) : null;
}

export function accountNumberOf(d: FsDepartment, settings: FreshserviceSettings): string | null {
  return customText(d, settings.accountNumberField);
}

/** A department → a company row; the details come from the department fields this tenant named in the settings. */
export function companyRow(
  d: FsDepartment,
  account: string,
  people: Map<number, string>,
  fields: FreshserviceSettings["companyFields"],
): Record<string, unknown> {
  const start = customText(d, fields.contract_start);
  const domains = (d.domains ?? []).map((x) => x.trim().toLowerCase()).filter(Boolean);
  return {
    account_number: account,
    name: d.name.trim(),
    description: d.description ?? null,
    domains,
    domain: domains[0] ?? null,
    head_name: d.head_user_id ? (people.get(d.head_user_id) ?? null) : null,
    prime_user_name: d.prime_user_id ? (people.get(d.prime_user_id) ?? null) : null,
    phone: customText(d, fields.phone),
    address: customText(d, fields.address),
    email_system: customText(d, fields.email_system),
    phone_system: customText(d, fields.phone_system),
    rmm_portal_url: customText(d, fields.rmm_portal_url),
    contract_term: contractTerm(customText(d, fields.contract_term)),
    contract_start: start && /^\d{4}-\d{2}-\d{2}/.test(start) ? start.slice(0, 10) : null,
    external_id: String(d.id),
    external_source: SOURCE,
  };
}

/**
 * A client workspace (Freshservice for MSPs) → a company row. Its external id is marked as a
 * workspace's, so it never collides with a department id and gets no department link.
 */
export function workspaceCompanyRow(w: FsWorkspace, account: string): Record<string, unknown> {
  return {
    account_number: account,
    name: w.name.trim(),
    external_id: workspaceExternalId(w.id),
    external_source: SOURCE,
  };
}

const WORKSPACE_PREFIX = "workspace:";
export const workspaceExternalId = (id: number) => `${WORKSPACE_PREFIX}${id}`;

/** The workspace a company was made from (its external id), or null for a department's company. */
export function workspaceOfCompany(externalId: string | null): number | null {
  const m = externalId?.startsWith(WORKSPACE_PREFIX) ? /^\d+$/.exec(externalId.slice(WORKSPACE_PREFIX.length)) : null;
  return m ? Number(m[0]) : null;
}

export function personName(
  p: { first_name?: string | null; last_name?: string | null },
  fallback: string | null = null,
): string | null {
  return (
    [p.first_name, p.last_name]
      .filter((x) => x?.trim())
      .join(" ")
      .trim() || fallback
  );
}

export function contactRow(r: FsRequester, companies: string[]): Record<string, unknown> | null {
  const email = cleanEmail(r.primary_email);
  const name = personName(r, email);
  if (!name) return null;
  return {
    name,
    first_name: r.first_name ?? null,
    last_name: r.last_name ?? null,
    email,
    secondary_emails: (r.secondary_emails ?? []).map(cleanEmail).filter((e): e is string => e !== null && e !== email),
    job_title: r.job_title ?? null,
    work_phone: r.work_phone_number ?? null,
    mobile_phone: r.mobile_phone_number ?? null,
    address: r.address ?? null,
    time_zone: r.time_zone ?? null,
    notes: r.background_information ?? null,
    active: r.active ?? true,
    vip: r.vip_user ?? false,
    companies,
    external_id: String(r.id),
    external_source: SOURCE,
  };
}

export function agentRow(a: FsAgent): Record<string, unknown> | null {
  const email = cleanEmail(a.email);
  if (!email) return null;
  return { email, name: personName(a, email), external_id: String(a.id), external_source: SOURCE };
}

export type StatusName = (typeof TICKET_STATUSES)[number];
export type PriorityName = (typeof TICKET_PRIORITIES)[number];

/** The configured name for a status/priority id, or null when the mapping does not know it. */
export function mapStatus(id: number, settings: FreshserviceSettings): StatusName | null {
  return (settings.statusMap[String(id)] as StatusName | undefined) ?? null;
}
export function mapPriority(id: number | null | undefined, settings: FreshserviceSettings): PriorityName | null {
  return id === null || id === undefined
    ? null
    : ((settings.priorityMap[String(id)] as PriorityName | undefined) ?? null);
}

export interface TicketLookups {
  /** Freshservice department id → account number. */
  companyOfDepartment: Map<number, string>;
  /** Client workspace id → account number (Freshservice for MSPs; none for department tenants). */
  companyOfWorkspace?: Map<number, string>;
  /** Freshservice requester id → Codex contact (id, name, email, account numbers). */
  contacts: Map<number, { id: number; name: string; email: string | null; companies: string[] }>;
  /** Freshservice agent id → Codex agent (id, name). */
  agents: Map<number, { id: number; name: string }>;
}

export interface MappedTicket {
  row: Record<string, unknown> | null;
  /** Why the ticket was not mapped (no company), for the run's log. */
  skipped?: string;
  unmappedStatus?: number;
  unmappedPriority?: number;
  timeErrors: number;
}

/** The company of a contact who belongs to exactly one. */
function soleCompany(personId: number | null | undefined, lookups: TicketLookups): string | undefined {
  const companies = personId ? lookups.contacts.get(personId)?.companies : undefined;
  return companies?.length === 1 ? companies[0] : undefined;
}

/**
 * A Freshservice ticket (with conversations and stats) and its time entries → one upsertTickets
 * row. Unknown status or priority ids fall back to open/medium, and are reported, while the
 * raw id is kept in status_id/priority_id.
 */
export function ticketRow(
  t: FsTicket,
  timeEntries: FsTimeEntry[],
  settings: FreshserviceSettings,
  lookups: TicketLookups,
): MappedTicket {
  // Raised by an agent on someone's behalf: the person it is for is the contact that counts.
  const requester =
    (t.requester_id ? lookups.contacts.get(t.requester_id) : undefined) ??
    (t.requested_for_id ? lookups.contacts.get(t.requested_for_id) : undefined);
  const company =
    (t.workspace_id ? lookups.companyOfWorkspace?.get(t.workspace_id) : undefined) ??
    (t.department_id ? lookups.companyOfDepartment.get(t.department_id) : undefined) ??
    soleCompany(t.requester_id, lookups) ??
    soleCompany(t.requested_for_id, lookups);
  if (!company)
    return {
      row: null,
      skipped:
        `ticket ${t.id} has no client workspace, department, requester or requested-for person ` +
        "linked to a Codex company",
      timeErrors: 0,
    };
  const status = mapStatus(t.status, settings);
  const priority = mapPriority(t.priority, settings);
  const assignee = t.responder_id ? lookups.agents.get(t.responder_id) : undefined;
  const authorOf = (userId: number | null | undefined, fromEmail: string | null | undefined) => {
    if (userId && lookups.agents.has(userId)) return lookups.agents.get(userId)!.name;
    if (userId && lookups.contacts.has(userId)) return lookups.contacts.get(userId)!.name;
    return cleanEmail(fromEmail) ?? "Freshservice";
  };
  const entries = (t.conversations ?? []).flatMap((c) => {
    const body = (c.body_text?.trim() || htmlToText(c.body)).slice(0, 100_000);
    if (!body) return [];
    return [
      {
        kind: c.private ? "note" : "reply",
        body,
        author_name: authorOf(c.user_id, c.from_email).slice(0, 200),
        author_email: cleanEmail(c.from_email),
        incoming: c.incoming ?? false,
        created_at: isoTime(c.created_at) ?? undefined,
        external_id: String(c.id),
        external_source: SOURCE,
      },
    ];
  });
  let timeErrors = 0;
  const time_entries = timeEntries.flatMap((e) => {
    const hours = hoursFromTimeSpent(e.time_spent);
    const minutes = hours === null ? null : Math.round(hours * 60);
    if (minutes === null || minutes > 24 * 60) {
      timeErrors++;
      return [];
    }
    if (minutes === 0) return [];
    return [
      {
        minutes,
        logged_at: isoTime(e.executed_at) ?? undefined,
        agent_name: e.agent_id ? (lookups.agents.get(e.agent_id)?.name ?? null) : null,
        note: e.note ? e.note.slice(0, 2000) : null,
        billable: e.billable ?? true,
        external_id: String(e.id),
        external_source: SOURCE,
      },
    ];
  });
  const closedAt = isoTime(t.stats?.closed_at) ?? isoTime(t.stats?.resolved_at);
  return {
    row: {
      company,
      subject: (t.subject?.trim() || `(no subject) #${t.id}`).slice(0, 500),
      description: (t.description_text ?? htmlToText(t.description)).slice(0, 100_000),
      status: status ?? "open",
      priority: priority ?? "medium",
      status_id: t.status,
      priority_id: t.priority ?? null,
      ticket_type: t.type ?? null,
      ticket_number: String(t.id),
      requester_id: requester?.id ?? null,
      requester_name: requester?.name ?? null,
      requester_email: requester?.email ?? null,
      assignee_id: assignee?.id ?? null,
      first_response_due_at: isoTime(t.fr_due_by),
      due_at: isoTime(t.due_by),
      first_responded_at: isoTime(t.stats?.first_responded_at),
      agent_responded_at: isoTime(t.stats?.agent_responded_at),
      ...(closedAt ? { closed_at: closedAt } : {}),
      created_at: isoTime(t.created_at) ?? undefined,
      entries,
      time_entries,
      external_id: String(t.id),
      external_source: SOURCE,
    },
    unmappedStatus: status ? undefined : t.status,
    unmappedPriority: priority || t.priority === null || t.priority === undefined ? undefined : t.priority,
    timeErrors,
  };
}
