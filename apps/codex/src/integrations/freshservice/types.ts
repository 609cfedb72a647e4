import { z } from "zod";

/**
 * The parts of Freshservice API v2 objects Codex reads. Unknown fields are kept (loose objects)
 * so a new provider field never breaks a sync; a missing id or a wrong type is a clear error.
 */
const id = z.number().int();
const text = z.string().nullish();
const ids = z.array(id).nullish();
const stamp = z.string().nullish();

export const departmentSchema = z.looseObject({
  id,
  name: z.string(),
  /** In Freshservice for MSPs a department belongs to a client, which the API calls a workspace. */
  workspace_id: id.nullish(),
  description: text,
  head_user_id: id.nullish(),
  prime_user_id: id.nullish(),
  domains: z.array(z.string()).nullish(),
  custom_fields: z.record(z.string(), z.unknown()).nullish(),
  created_at: stamp,
  updated_at: stamp,
});
export type FsDepartment = z.infer<typeof departmentSchema>;

export const requesterSchema = z.looseObject({
  id,
  first_name: text,
  last_name: text,
  primary_email: text,
  secondary_emails: z.array(z.string()).nullish(),
  job_title: text,
  work_phone_number: text,
  mobile_phone_number: text,
  department_ids: ids,
  active: z.boolean().nullish(),
  vip_user: z.boolean().nullish(),
  address: text,
  time_zone: text,
  language: text,
  location_id: id.nullish(),
  background_information: text,
  reporting_manager_id: id.nullish(),
  created_at: stamp,
  updated_at: stamp,
});
export type FsRequester = z.infer<typeof requesterSchema>;

export const agentSchema = z.looseObject({
  id,
  first_name: text,
  last_name: text,
  email: text,
  active: z.boolean().nullish(),
  job_title: text,
  department_ids: ids,
  member_of: ids,
  created_at: stamp,
  updated_at: stamp,
});
export type FsAgent = z.infer<typeof agentSchema>;

export const conversationSchema = z.looseObject({
  id,
  body: text,
  body_text: text,
  incoming: z.boolean().nullish(),
  private: z.boolean().nullish(),
  user_id: id.nullish(),
  from_email: text,
  to_emails: z.array(z.string()).nullish(),
  source: z.number().nullish(),
  created_at: stamp,
  updated_at: stamp,
});
export type FsConversation = z.infer<typeof conversationSchema>;

/** POST /tickets/{id}/reply (#create_a_reply): `body` (HTML) is required; `user_id` is the agent replying. */
export interface FsReplyRequest {
  body: string;
  user_id?: number;
}

/** POST /tickets/{id}/notes (#create_a_note): private unless told otherwise. */
export interface FsNoteRequest {
  body: string;
  private: boolean;
  incoming?: boolean;
  user_id?: number;
}

/** PUT /tickets/{id} (#update_ticket): the fields Codex writes back; responder_id null unassigns. */
export interface FsTicketChanges {
  status?: number;
  priority?: number;
  responder_id?: number | null;
}

/**
 * A ticket (https://api.freshservice.com/#ticket_attributes). Spam and trash are the `spam` and
 * `deleted` booleans; `status` keeps its value (2–5, or a tenant's custom id) either way.
 */
export const ticketSchema = z.looseObject({
  id,
  subject: text,
  description: text,
  description_text: text,
  status: z.number().int(),
  priority: z.number().int().nullish(),
  spam: z.boolean().nullish(),
  deleted: z.boolean().nullish(),
  workspace_id: id.nullish(),
  type: text,
  requester_id: id.nullish(),
  /** Service requests raised on someone's behalf name that person here. */
  requested_for_id: id.nullish(),
  responder_id: id.nullish(),
  group_id: id.nullish(),
  department_id: id.nullish(),
  due_by: stamp,
  fr_due_by: stamp,
  created_at: stamp,
  updated_at: stamp,
  stats: z
    .looseObject({
      first_responded_at: stamp,
      agent_responded_at: stamp,
      resolved_at: stamp,
      closed_at: stamp,
    })
    .nullish(),
  conversations: z.array(conversationSchema).nullish(),
});
export type FsTicket = z.infer<typeof ticketSchema>;

/** A workspace, or in Freshservice for MSPs a client (https://api.freshservice.com/#workspaces). */
export const workspaceSchema = z.looseObject({
  id,
  name: z.string(),
  primary: z.boolean().nullish(),
  state: text,
});
export type FsWorkspace = z.infer<typeof workspaceSchema>;

/** A department field as GET /department_fields lists it (https://api.freshservice.com/#list_all_department_fields). */
export const departmentFieldSchema = z.looseObject({
  id: id.nullish(),
  name: z.string(),
  label: text,
  field_type: text,
});
export type FsDepartmentField = z.infer<typeof departmentFieldSchema>;

export const timeEntrySchema = z.looseObject({
  id,
  time_spent: z.string().nullish(),
  agent_id: id.nullish(),
  billable: z.boolean().nullish(),
  executed_at: stamp,
  note: text,
});
export type FsTimeEntry = z.infer<typeof timeEntrySchema>;

/** "hh:mm" (Freshservice's time_spent) → hours; unreadable values count as 0 and are reported by the caller. */
export function hoursFromTimeSpent(value: string | null | undefined): number | null {
  if (!value) return 0;
  const m = /^(\d+):([0-5]\d)$/.exec(value.trim());
  if (!m) return null;
  return Number(m[1]) + Number(m[2]) / 60;
}
