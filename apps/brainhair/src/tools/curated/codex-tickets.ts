import { z } from "zod";
import { oneCall } from "../define.ts";
import { acct, cursor, id, limit, text } from "./fields.ts";

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
    map: (i) => ({
      query: {
        company: i.company,
        status: i.status,
        priority: i.priority,
        open: i.open,
        q: i.q,
        limit: i.limit ?? 25,
        cursor: i.cursor,
      },
    }),
  }),
  oneCall({
    name: "get_ticket",
    description: "One ticket by id, with its conversation (replies and notes).",
    input: z.object({ id }).strict(),
    operation: "codex GET /api/tickets/{id}",
    map: (i) => ({ params: { id: i.id } }),
  }),
  oneCall({
    name: "reply_to_ticket",
    description: "Send a public reply on a ticket, which the client sees (waits for approval).",
    input: z.object({ id, body: text("The reply, as the client will read it") }).strict(),
    operation: "codex POST /api/tickets/{id}/replies",
    map: (i) => ({ params: { id: i.id }, body: { body: i.body } }),
  }),
  oneCall({
    name: "add_ticket_note",
    description: "Add a private note to a ticket, for staff only (waits for approval).",
    input: z.object({ id, body: text("The note") }).strict(),
    operation: "codex POST /api/tickets/{id}/notes",
    map: (i) => ({ params: { id: i.id }, body: { body: i.body } }),
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
    map: (i) => ({ params: { id: i.id }, body: { minutes: i.minutes, note: i.note, billable: i.billable } }),
  }),
  oneCall({
    name: "set_ticket_status",
    description: "Change a ticket's status, and optionally its priority (waits for approval).",
    input: z.object({ id, status: STATUS, priority: z.enum(["low", "medium", "high", "urgent"]).optional() }).strict(),
    operation: "codex PUT /api/tickets/{id}",
    map: (i) => ({ params: { id: i.id }, body: { status: i.status, ...(i.priority ? { priority: i.priority } : {}) } }),
  }),
  oneCall({
    name: "assign_ticket",
    description:
      "Assign a ticket to an agent by the agent's id (list_agents via api_operation finds ids), or unassign with null (waits for approval).",
    input: z.object({ id, assignee_id: z.number().int().positive().nullable() }).strict(),
    operation: "codex PUT /api/tickets/{id}",
    map: (i) => ({ params: { id: i.id }, body: { assignee_id: i.assignee_id } }),
  }),
];
