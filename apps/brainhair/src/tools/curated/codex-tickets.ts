import { z } from "zod";
import { oneCall } from "../define.ts";
import { acct, cursor, limit, recordId, text } from "./fields.ts";

/** A ticket is numbered by Codex, as its path takes it (at most nine digits). */
const id = recordId;

const STATUS = z.enum([
  "open",
  "pending",
  "resolved",
  "closed",
  "scheduled",
  "waiting_customer",
  "waiting_third_party",
  "under_investigation",
  "job_complete_bill",
  "billing_complete",
  "update_needed",
  "on_hold",
  "customer_replied",
]);

export const codexTicketTools = [
  oneCall({
    name: "list_tickets",
    description:
      "List tickets, newest first: of a company, by status or priority, open ones only, or matching words. " +
      "`open: true` gives every ticket not resolved or closed.",
    input: z
      .object({
        company: acct.optional(),
        status: STATUS.optional(),
        priority: z.enum(["low", "medium", "high", "urgent"]).optional(),
        open: z.boolean().optional(),
        q: z.string().max(200).optional(),
        limit,
        cursor,
      })
      .strict(),
    operation: "codex GET /api/tickets",
    map: (input) => ({
      query: {
        company: input.company,
        status: input.status,
        priority: input.priority,
        open: input.open,
        q: input.q,
        limit: input.limit ?? 25,
        cursor: input.cursor,
      },
    }),
  }),
  oneCall({
    name: "get_ticket",
    description: "One ticket by id, with its conversation (replies and notes).",
    input: z.object({ id }).strict(),
    operation: "codex GET /api/tickets/{id}",
    map: (input) => ({ params: { id: input.id } }),
  }),
  oneCall({
    name: "reply_to_ticket",
    description: "Send a public reply on a ticket, which the client sees (waits for approval).",
    input: z.object({ id, body: text("The reply, as the client will read it") }).strict(),
    operation: "codex POST /api/tickets/{id}/replies",
    map: (input) => ({ params: { id: input.id }, body: { body: input.body } }),
  }),
  oneCall({
    name: "add_ticket_note",
    description: "Add a private note to a ticket, for staff only (waits for approval).",
    input: z.object({ id, body: text("The note") }).strict(),
    operation: "codex POST /api/tickets/{id}/notes",
    map: (input) => ({ params: { id: input.id }, body: { body: input.body } }),
  }),
  oneCall({
    name: "log_ticket_time",
    description: "Log time worked on a ticket, in minutes (waits for approval).",
    input: z
      .object({
        id,
        minutes: z.number().int().min(1).max(1440),
        note: z.string().max(2000).optional(),
        billable: z.boolean().optional(),
      })
      .strict(),
    operation: "codex POST /api/tickets/{id}/time-entries",
    map: (input) => ({
      params: { id: input.id },
      body: { minutes: input.minutes, note: input.note, billable: input.billable },
    }),
  }),
  oneCall({
    name: "set_ticket_status",
    description: "Change a ticket's status, and optionally its priority (waits for approval).",
    input: z.object({ id, status: STATUS, priority: z.enum(["low", "medium", "high", "urgent"]).optional() }).strict(),
    operation: "codex PUT /api/tickets/{id}",
    map: (input) => ({
      params: { id: input.id },
      body: { status: input.status, ...(input.priority ? { priority: input.priority } : {}) },
    }),
  }),
  oneCall({
    name: "assign_ticket",
    description:
      "Assign a ticket to an agent by the agent's id (list_agents via api_operation finds ids), " +
      "or unassign with null (waits for approval).",
    input: z.object({ id, assignee_id: z.number().int().positive().nullable() }).strict(),
    operation: "codex PUT /api/tickets/{id}",
    map: (input) => ({ params: { id: input.id }, body: { assignee_id: input.assignee_id } }),
  }),
];
