import { z } from "zod";
import { oneCall } from "../define.ts";
import { acct } from "./fields.ts";

const service = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,30}$/)
  .describe("A service's name in services.json, e.g. codex");
const userId = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,64}$/)
  .describe("The user's id (list_users shows it)");
const LEVEL = z.enum(["admin", "technician", "billing", "client"]);

/** A new user's password is for the person to hand over, never for the model or a stored chat. */
const hidePassword = (body: unknown) => {
  const given = body as { password?: unknown } | null;
  if (!given || typeof given !== "object" || typeof given.password !== "string") return { body };
  const { password, ...rest } = given as { password: string };
  return {
    body: { ...rest, password: "(shown to the person once; not given to the assistant)" },
    personOnly: { password },
  };
};

/** Helm (operations) and Core (sessions): admins' tools; for anyone else the apps themselves refuse. */
export const platformTools = [
  oneCall({
    name: "service_status",
    description: "Every HiveMatrix service with its state, health, uptime, memory and recent request rates (Helm).",
    input: z.object({}).strict(),
    operation: "helm GET /api/services",
    map: () => ({}),
  }),
  oneCall({
    name: "control_service",
    description: "Start, stop or restart a HiveMatrix service (Helm; admins only; waits for approval).",
    input: z.object({ name: service, action: z.enum(["start", "stop", "restart"]) }).strict(),
    operation: "helm POST /api/services/{name}/{action}",
    map: (input) => ({ params: { name: input.name, action: input.action }, body: {} }),
  }),
  oneCall({
    name: "search_logs",
    description: "Search the platform's central logs (Helm): by service, level, words, user or time span such as 2h.",
    input: z
      .object({
        service: service.optional(),
        level: z.enum(["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]).optional(),
        q: z.string().max(200).optional(),
        user: z.string().max(200).optional(),
        from: z.string().max(40).optional().describe("2025-01-31, 2025-01-31T14:30 (UTC) or a span back: 15m, 2h, 7d"),
        limit: z.number().int().min(1).max(200).optional(),
      })
      .strict(),
    operation: "helm GET /api/logs",
    map: (input) => ({ query: { ...input, limit: input.limit ?? 50 } }),
  }),
  oneCall({
    name: "security_audit",
    description: "Run Helm's security audit of this installation: what passes, what to fix.",
    input: z.object({}).strict(),
    operation: "helm GET /api/security/audit",
    map: () => ({}),
  }),
  oneCall({
    name: "list_users",
    description: "The people who can sign in, with their level and whether they are enabled (Helm).",
    input: z.object({ q: z.string().max(100).optional(), max: z.number().int().min(1).max(500).optional() }).strict(),
    operation: "helm GET /api/users",
    map: (input) => ({ query: { q: input.q, max: input.max } }),
  }),
  oneCall({
    name: "create_user",
    description:
      "Create a person who can sign in, with a generated password shown to the person, not to you " +
      "(waits for approval).",
    input: z
      .object({
        username: z
          .string()
          .regex(/^[a-z0-9][a-z0-9._@-]{1,63}$/)
          .describe("Lower case: letters, digits and . _ @ -"),
        email: z.string().max(254),
        level: LEVEL,
        first_name: z.string().max(100).optional(),
        last_name: z.string().max(100).optional(),
        company: acct.optional().describe("For a client user: their company's account number"),
      })
      .strict(),
    operation: "helm POST /api/users",
    map: (input) => ({ body: { ...input, temporary: true } }),
    reveal: hidePassword,
  }),
  oneCall({
    name: "set_user_enabled",
    description: "Disable a user (their sessions end) or enable them again (waits for approval).",
    input: z.object({ id: userId, enabled: z.boolean() }).strict(),
    operation: "helm PUT /api/users/{id}",
    map: (input) => ({ params: { id: input.id }, body: { enabled: input.enabled } }),
  }),
  oneCall({
    name: "reset_password",
    description:
      "Give a user a new temporary password, shown to the person, not to you; their sessions end (waits for approval).",
    input: z.object({ id: userId }).strict(),
    operation: "helm POST /api/users/{id}/reset-password",
    map: (input) => ({ params: { id: input.id }, body: { temporary: true } }),
    reveal: hidePassword,
  }),
  oneCall({
    name: "list_sessions",
    description: "Every live session: who is signed in, from where, since when (Core; admins only).",
    input: z.object({}).strict(),
    operation: "core GET /api/sessions",
    map: () => ({}),
  }),
  oneCall({
    name: "revoke_session",
    description: "End a session: its person is signed out at once (Core; admins only; waits for approval).",
    input: z
      .object({
        id: z
          .string()
          .regex(/^[A-Za-z0-9_-]{10,100}$/)
          .describe("The session's id (list_sessions shows it)"),
      })
      .strict(),
    operation: "core DELETE /api/sessions/{id}",
    map: (input) => ({ params: { id: input.id } }),
  }),
];
