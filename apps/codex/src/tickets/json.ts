import { createSelectSchema } from "drizzle-zod";
import { z } from "zod";
import {
  CLOSED_STATUSES,
  ENTRY_KINDS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type Ticket,
  type TicketEntry,
  tickets,
} from "../db/schema.ts";
import { writeBackStateSchema } from "../integrations/writeback/json.ts";
import { pageQuery } from "../shared/data-pagination.ts";
import { attachmentIds, attachmentSchema } from "./attachments/json.ts";
import { formFields, fromColumn, inputShape, responseSchema, toJson } from "../shared/fields.ts";
import {
  accountNumberSchema,
  boolish,
  externalCheck,
  externalFields,
  idParam,
  optEmail,
  optText,
  optTimestamp,
} from "../shared/input.ts";

const columns = createSelectSchema(tickets).shape;

const time = <K extends "firstResponseDueAt" | "dueAt" | "firstRespondedAt" | "agentRespondedAt" | "closedAt">(
  column: K,
) => ({ ...fromColumn(columns, column), input: optTimestamp() });
const choices = (values: readonly string[]) => values.map((value) => ({ value, label: value }));

/** A ticket's fields, written once: its request schemas, JSON and the new-ticket form come from here. */
export const ticketFields = {
  id: fromColumn(columns, "id"),
  /** The company's account number. */
  company: { output: z.string(), input: accountNumberSchema, form: { label: "Company (account number)" } },
  ticket_number: { ...fromColumn(columns, "ticketNumber"), input: optText(50) },
  subject: {
    ...fromColumn(columns, "subject"),
    input: z.string().trim().min(1, "Required.").max(500),
    form: { label: "Subject" },
  },
  description: {
    ...fromColumn(columns, "description"),
    input: z.string().max(100_000).optional(),
    form: { label: "Description", type: "textarea", full: true },
  },
  status: { ...fromColumn(columns, "status"), input: z.enum(TICKET_STATUSES).optional() },
  priority: {
    ...fromColumn(columns, "priority"),
    input: z.enum(TICKET_PRIORITIES).optional(),
    form: { label: "Priority", type: "select", options: choices(TICKET_PRIORITIES) },
  },
  /** The PSA's own status and priority ids. */
  status_id: { ...fromColumn(columns, "statusId"), input: z.number().int().nullable().optional() },
  priority_id: { ...fromColumn(columns, "priorityId"), input: z.number().int().nullable().optional() },
  ticket_type: { ...fromColumn(columns, "ticketType"), input: optText(100) },
  requester_id: { ...fromColumn(columns, "requesterId"), input: z.number().int().positive().nullable().optional() },
  requester_name: { ...fromColumn(columns, "requesterName"), input: optText(200) },
  requester_email: {
    ...fromColumn(columns, "requesterEmail"),
    input: optEmail(),
    form: { label: "Requester email", type: "email" },
  },
  assignee_id: { ...fromColumn(columns, "assigneeId"), input: z.number().int().positive().nullable().optional() },
  assignee_name: { output: z.string().nullable() },
  group_name: { ...fromColumn(columns, "groupName"), input: optText(200) },
  first_response_due_at: time("firstResponseDueAt"),
  due_at: time("dueAt"),
  first_responded_at: time("firstRespondedAt"),
  agent_responded_at: time("agentRespondedAt"),
  closed_at: time("closedAt"),
  /** The time logged on it: staff and services only, never a client. */
  total_minutes: { output: z.number().int().optional() },
  hours: { output: z.number().optional() },
  /** Who opened it in HiveMatrix (the IdP's user id, name and email); null for synced tickets. */
  opened_by_id: fromColumn(columns, "openedById"),
  opened_by_name: fromColumn(columns, "openedByName"),
  opened_by_email: fromColumn(columns, "openedByEmail"),
  external_id: { ...fromColumn(columns, "externalId"), input: optText(100) },
  external_source: { ...fromColumn(columns, "externalSource"), input: optText(50) },
  /** When it was opened (a synced ticket's own date); new tickets take now. */
  created_at: { ...fromColumn(columns, "createdAt"), input: optTimestamp() },
  updated_at: fromColumn(columns, "updatedAt"),
} as const;

const inputs = inputShape(ticketFields);

/** A conversation entry as a synced ticket brings it (matched by its external id). */
const entryRow = z
  .object({
    kind: z.enum(ENTRY_KINDS),
    body: z.string().trim().min(1, "Required.").max(100_000),
    author_name: z.string().trim().min(1).max(200),
    author_email: optEmail(),
    incoming: z.boolean().optional(),
    created_at: optTimestamp(),
    ...externalFields,
  })
  .strict()
  .superRefine(externalCheck);

/** Time logged on a ticket: through the API, or as a synced ticket brings it. */
export const timeEntryCreate = z
  .object({
    minutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
    logged_at: optTimestamp(),
    agent_name: optText(200),
    note: optText(2000),
    billable: z.boolean().optional(),
    ...externalFields,
  })
  .strict()
  .superRefine(externalCheck);
export type TimeEntryCreate = z.infer<typeof timeEntryCreate>;

export const ticketCreate = z.object(inputs).strict().superRefine(externalCheck);
export type TicketCreate = z.infer<typeof ticketCreate>;
/** What POST /api/tickets takes: staff name the company; a client's is its own (and it may leave it out). */
export const ticketOpenBody = z
  .object({ ...inputs, company: inputs.company.optional() })
  .strict()
  .superRefine(externalCheck);
export const ticketUpdate = z
  .object(inputs)
  .omit({ company: true, created_at: true })
  .partial()
  .strict()
  .superRefine(externalCheck);
export type TicketUpdate = z.infer<typeof ticketUpdate>;
/** A synced ticket may carry its conversation and time entries (matched by their external ids). */
export const ticketBulkRow = z
  .object({
    ...inputs,
    entries: z.array(entryRow).max(1000).optional(),
    time_entries: z.array(timeEntryCreate).max(1000).optional(),
  })
  .strict()
  .superRefine(externalCheck);
export type TicketRow = z.infer<typeof ticketBulkRow>;

/** A reply or a private note, as the API and the ticket page take it. */
export const entryBody = z.object({ body: z.string().trim().min(1, "Write something.").max(100_000) }).strict();
/** A reply may bring files uploaded to its ticket first. */
export const replyBody = entryBody.extend({ attachment_ids: attachmentIds }).strict();

/** The priorities a client may give a ticket it opens; urgent is for the MSP to decide. */
export const CLIENT_PRIORITIES = ["low", "medium", "high"] as const;

/**
 * A ticket as a client opens it: what it needs and what it wants, nothing the MSP decides
 * (assignee, status, due dates, numbers) and no company but its own.
 */
export const clientTicketCreate = z
  .object({
    subject: ticketFields.subject.input,
    description: ticketFields.description.input,
    priority: z.enum(CLIENT_PRIORITIES, { error: "Choose low, medium or high." }).optional(),
    company: accountNumberSchema.optional(),
  })
  .strict();
export type ClientTicketCreate = z.infer<typeof clientTicketCreate>;

/** The new-ticket form as a client sees it: no company or requester (its own), a client's priorities. */
export const TICKET_CLIENT_FORM = formFields(ticketFields, ["subject", "priority", "description"]).map((field) =>
  field.name === "priority" ? { ...field, options: choices(CLIENT_PRIORITIES) } : field,
);

/** The new-ticket form, in the order it shows the fields. */
export const TICKET_FORM = formFields(ticketFields, [
  "company",
  "subject",
  "priority",
  "requester_email",
  "description",
]);

export const ticketSchema = responseSchema(ticketFields, "Ticket");
export type TicketJson = z.infer<typeof ticketSchema>;

export const isClosedStatus = (status: string) => (CLOSED_STATUSES as readonly string[]).includes(status);

/** Who a ticket is shown to: a client never sees the time logged on it. */
export type TicketViewer = "staff" | "client";

export function ticketJson(
  ticket: Ticket,
  company: string,
  assigneeName: string | null,
  viewer: TicketViewer,
): TicketJson {
  const staff = viewer === "staff";
  return toJson(ticketFields, ticket, {
    company,
    assignee_name: assigneeName,
    total_minutes: staff ? ticket.totalMinutes : undefined,
    hours: staff ? Math.round((ticket.totalMinutes / 60) * 100) / 100 : undefined,
  });
}

export const entrySchema = z
  .object({
    id: z.number().int(),
    ticket_id: z.number().int(),
    kind: z.enum(ENTRY_KINDS),
    /** Replies are public; notes are for staff. */
    public: z.boolean(),
    body: z.string(),
    author_name: z.string(),
    author_email: z.string().nullable(),
    incoming: z.boolean(),
    external_id: z.string().nullable(),
    external_source: z.string().nullable(),
    created_at: z.iso.datetime(),
  })
  .meta({ id: "TicketEntry" });

export function entryJson(entry: TicketEntry): z.infer<typeof entrySchema> {
  return {
    id: entry.id,
    ticket_id: entry.ticketId,
    kind: entry.kind,
    public: entry.kind === "reply",
    body: entry.body,
    author_name: entry.authorName,
    author_email: entry.authorEmail,
    incoming: entry.incoming,
    external_id: entry.externalId,
    external_source: entry.externalSource,
    created_at: entry.createdAt.toISOString(),
  };
}

export const timeEntrySchema = z.object({
  id: z.number().int(),
  minutes: z.number().int(),
  logged_at: z.iso.datetime(),
  agent_name: z.string().nullable(),
  note: z.string().nullable(),
  billable: z.boolean(),
  external_id: z.string().nullable(),
});

/**
 * A ticket with its conversation; staff also see the time entries (clients see public replies
 * only) and, on a ticket from Freshservice, what has not reached Freshservice yet.
 */
export const ticketDetailSchema = ticketSchema
  .extend({
    conversation: z.array(entrySchema),
    time_entries: z.array(timeEntrySchema).optional(),
    /** The ticket's files and its replies' (`entry_id` says which), with their download links. */
    attachments: z.array(attachmentSchema),
    freshservice_writeback: writeBackStateSchema.optional(),
  })
  .meta({ id: "TicketDetail" });
export type TicketDetail = z.infer<typeof ticketDetailSchema>;

const statusList = z
  .string()
  .max(500)
  .transform((list) =>
    list
      .split(",")
      .map((status) => status.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(TICKET_STATUSES)).min(1));

export const ticketListQuery = z
  .object({
    q: z.string().max(200).optional(),
    company: accountNumberSchema.optional(),
    company_id: z.coerce.number().int().positive().optional(),
    status: statusList.optional(),
    priority: z.enum(TICKET_PRIORITIES).optional(),
    assignee_id: z.coerce.number().int().positive().optional(),
    /** Where tickets came from, e.g. `freshservice` (the old /api/psa/tickets?provider=). */
    source: z.string().trim().min(1).max(50).optional(),
    open: boolish.optional(),
    updated_since: optTimestamp(),
    updated_before: optTimestamp(),
    created_since: optTimestamp(),
    created_before: optTimestamp(),
    sort: z.enum(["updated_at", "created_at"]).default("updated_at"),
    ...pageQuery,
  })
  .strict();
export type TicketListQuery = z.infer<typeof ticketListQuery>;

export const ticketPageSchema = z.object({ items: z.array(ticketSchema), next_cursor: z.string().nullable() });

export const ticketParams = z.object({ id: idParam });
