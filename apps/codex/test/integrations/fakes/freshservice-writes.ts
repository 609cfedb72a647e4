import type { FakeTicket } from "./freshservice-lists.ts";

/**
 * The fake Freshservice's writes, as API v2 documents them (https://api.freshservice.com/, sections
 * after the #): #create_a_reply and #create_a_note (POST /tickets/{id}/reply, /notes; 201 with
 * `{"conversation"}`) and #update_ticket (PUT /tickets/{id}; 200 with `{"ticket"}`). Refusals use
 * the bodies of #error_codes: 415 for a body that is not JSON, 400 `{"code","message"}` for JSON
 * that does not parse, and 400 `{"description":"Validation failed","errors":[{field,message,code}]}`
 * for fields that are missing, unknown, of the wrong type or naming nothing.
 */

/** One write the fake was asked for, answered or refused. */
export interface RecordedWrite {
  method: string;
  path: string;
  ticketId: number;
  /** The JSON body as sent (null when it did not parse). */
  body: Record<string, unknown> | null;
  contentType: string | null;
  authorization: string | null;
  status: number;
  at: number;
}

export interface WriteState {
  tickets: (id: number) => FakeTicket | undefined;
  agents: Record<string, unknown>[];
  requesters: Record<string, unknown>[];
  /** The tenant's status ids: 2–5 built in, plus any custom ones (#ticket_attributes). */
  statuses: number[];
  writes: RecordedWrite[];
  nextConversationId: () => number;
}

interface FieldError {
  field: string;
  message: string;
  code: "missing_field" | "invalid_value" | "invalid_field" | "datatype_mismatch";
}

const validationFailed = (errors: FieldError[]) =>
  Response.json({ description: "Validation failed", errors }, { status: 400 });

type Check = (value: unknown, field: string, state: WriteState) => FieldError | null;
const positiveInteger: Check = (value, field) =>
  Number.isInteger(value) && (value as number) > 0
    ? null
    : { field, message: "It should be a/an Positive Integer", code: "datatype_mismatch" };
const boolean: Check = (value, field) =>
  typeof value === "boolean" ? null : { field, message: "It should be a/an Boolean", code: "datatype_mismatch" };
const emails: Check = (value, field) =>
  Array.isArray(value) && value.every((v) => typeof v === "string" && /^[^@\s]+@[^@\s]+$/.test(v))
    ? null
    : { field, message: "It should be an array of valid email addresses", code: "invalid_value" };
const html: Check = (value, field) => {
  if (typeof value !== "string") return { field, message: "It should be a/an String", code: "datatype_mismatch" };
  return value.trim()
    ? null
    : { field, message: "It should not be blank as this is a mandatory field", code: "invalid_value" };
};
const known =
  (what: "user" | "agent"): Check =>
  (value, field, state) => {
    const type = positiveInteger(value, field, state);
    if (type) return type;
    const people = what === "agent" ? state.agents : [...state.agents, ...state.requesters];
    return people.some((person) => person.id === value)
      ? null
      : { field, message: `There is no ${what} with id ${value}`, code: "invalid_value" };
  };
const oneOf =
  (values: (state: WriteState) => number[]): Check =>
  (value, field, state) =>
    values(state).includes(value as number)
      ? null
      : { field, message: `It should be one of these values: '${values(state).join(",")}'`, code: "invalid_value" };

const REPLY: Record<string, Check> = {
  body: html,
  user_id: known("user"),
  from_email: html,
  cc_emails: emails,
  bcc_emails: emails,
};
const NOTE: Record<string, Check> = {
  body: html,
  user_id: known("user"),
  private: boolean,
  incoming: boolean,
  notify_emails: emails,
};
const UPDATE: Record<string, Check> = {
  status: oneOf((state) => state.statuses),
  priority: oneOf(() => [1, 2, 3, 4]),
  responder_id: (value, field, state) => (value === null ? null : known("agent")(value, field, state)),
  group_id: (value, field, state) => (value === null ? null : positiveInteger(value, field, state)),
  subject: html,
};

/** The fields of `body` against `fields`: unknown ones, wrong ones, and the required ones missing. */
function fieldErrors(
  body: Record<string, unknown>,
  fields: Record<string, Check>,
  required: string[],
  state: WriteState,
) {
  const errors: FieldError[] = required
    .filter((field) => body[field] === undefined)
    .map((field) => ({ field, message: "It should not be blank as this is a mandatory field", code: "missing_field" }));
  for (const [field, value] of Object.entries(body)) {
    const check = fields[field];
    const error = check
      ? check(value, field, state)
      : ({ field, message: "Unexpected/invalid field in request", code: "invalid_field" } as const);
    if (error) errors.push(error);
  }
  return errors;
}

function textOf(body: string): string {
  return body
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

/** Answers a write to a ticket, or null when the request is not one. */
export async function ticketWrite(req: Request, path: string, state: WriteState): Promise<Response | null> {
  const match = /^\/tickets\/(\d+)(\/reply|\/notes)?$/.exec(path);
  const kind = match?.[2] === "/reply" ? "reply" : match?.[2] === "/notes" ? "note" : "update";
  if (!match || (kind === "update" ? req.method !== "PUT" : req.method !== "POST")) return null;
  const ticketId = Number(match[1]);
  const contentType = req.headers.get("content-type");
  const record = (status: number, body: Record<string, unknown> | null) =>
    state.writes.push({
      method: req.method,
      path,
      ticketId,
      body,
      contentType,
      authorization: req.headers.get("authorization"),
      status,
      at: Date.now(),
    });
  if (!contentType?.toLowerCase().startsWith("application/json")) {
    record(415, null);
    const message = `Content-Type header is set to ${contentType ?? "nothing"}. It should be set to application/json`;
    return Response.json({ code: "invalid_content_type", message }, { status: 415 });
  }
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    record(400, null);
    return Response.json({ code: "invalid_json", message: "Request body has invalid json format" }, { status: 400 });
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    record(400, null);
    return Response.json({ code: "invalid_json", message: "Request body has invalid json format" }, { status: 400 });
  }
  const fields = body as Record<string, unknown>;
  const ticket = state.tickets(ticketId);
  if (!ticket || ticket.deleted) {
    record(404, fields);
    return Response.json({ code: "not_found", message: "Record not found" }, { status: 404 });
  }
  const spec = kind === "reply" ? REPLY : kind === "note" ? NOTE : UPDATE;
  const errors = fieldErrors(fields, spec, kind === "update" ? [] : ["body"], state);
  record(errors.length ? 400 : kind === "update" ? 200 : 201, fields);
  if (errors.length) return validationFailed(errors);
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  ticket.updated_at = now;
  if (kind === "update") {
    Object.assign(ticket, fields);
    const { conversations, time_entries, stats, ...view } = ticket;
    return Response.json({ ticket: view });
  }
  const conversation = {
    id: state.nextConversationId(),
    ticket_id: ticketId,
    user_id: (fields.user_id as number | undefined) ?? state.agents[0]?.id ?? null,
    body: fields.body,
    body_text: textOf(fields.body as string),
    private: kind === "note" ? (fields.private ?? true) : false,
    incoming: kind === "note" ? (fields.incoming ?? false) : false,
    // 0 email (a reply is mailed to the requester), 2 note (the conversation attributes).
    source: kind === "reply" ? 0 : 2,
    created_at: now,
    updated_at: now,
  };
  ticket.conversations = [...(ticket.conversations ?? []), conversation];
  return Response.json({ conversation }, { status: 201 });
}
