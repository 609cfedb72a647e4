import { createSelectSchema } from "drizzle-zod";
import { z } from "zod";
import { type Agent, agents, HOME_PAGES, THEMES } from "../db/schema.ts";
import { fromColumn, inputShape, responseSchema, toJson } from "../shared/fields.ts";
import { externalCheck, optText } from "../shared/input.ts";

const columns = createSelectSchema(agents).shape;

/** An agent's fields, written once: its request schemas and JSON come from here. */
export const agentFields = {
  id: fromColumn(columns, "id"),
  /** The identity provider's user id; none for PSA agents without a HiveMatrix login. */
  idp_user_id: { ...fromColumn(columns, "idpUserId"), input: optText(100) },
  username: { ...fromColumn(columns, "username"), input: optText(100) },
  email: {
    ...fromColumn(columns, "email"),
    input: z
      .email("Not a valid email address.")
      .max(254)
      .transform((email) => email.toLowerCase()),
  },
  name: { ...fromColumn(columns, "name"), input: z.string().trim().min(1, "Required.").max(200) },
  enabled: { ...fromColumn(columns, "enabled"), input: z.boolean().optional() },
  theme: { ...fromColumn(columns, "theme"), input: z.enum(THEMES).optional() },
  home_page: { ...fromColumn(columns, "homePage"), input: z.enum(HOME_PAGES).optional() },
  /** False: no ticket emails for this agent (My settings). */
  email_notifications: { ...fromColumn(columns, "emailNotifications"), input: z.boolean().optional() },
  external_id: { ...fromColumn(columns, "externalId"), input: optText(100) },
  external_source: { ...fromColumn(columns, "externalSource"), input: optText(50) },
  last_synced_at: fromColumn(columns, "lastSyncedAt"),
  created_at: fromColumn(columns, "createdAt"),
  updated_at: fromColumn(columns, "updatedAt"),
} as const;

export const agentSchema = responseSchema(agentFields, "Agent");
export type AgentJson = z.infer<typeof agentSchema>;

export const agentCreate = z.object(inputShape(agentFields)).strict().superRefine(externalCheck);
export type AgentCreate = z.infer<typeof agentCreate>;
export const agentUpdate = z.object(inputShape(agentFields)).partial().strict().superRefine(externalCheck);
export type AgentUpdate = z.infer<typeof agentUpdate>;

export const agentJson = (agent: Agent): AgentJson => toJson(agentFields, agent, {});

/** What a person may change about themselves. */
export const preferencesSchema = z
  .object({
    theme: z.enum(THEMES).optional(),
    home_page: z.enum(HOME_PAGES).optional(),
    email_notifications: z.boolean().optional(),
  })
  .strict();
export type Preferences = z.infer<typeof preferencesSchema>;

/** A person's preferences as the API answers them. */
export const preferencesJson = z
  .object({
    theme: z.enum(THEMES),
    home_page: z.enum(HOME_PAGES),
    email_notifications: z
      .boolean()
      .meta({ description: "Whether ticket emails (assignments, client replies) are sent" }),
  })
  .meta({ id: "Preferences" });
export type PreferencesJson = z.infer<typeof preferencesJson>;

/** What someone without an agent record gets. */
export const DEFAULT_PREFERENCES: PreferencesJson = { theme: "system", home_page: "nexus", email_notifications: true };

/** An agent's preferences as the API answers them. */
export const preferencesOf = (agent: Agent): PreferencesJson => ({
  theme: agent.theme,
  home_page: agent.homePage,
  email_notifications: agent.emailNotifications,
});

/** A signed-in person as the identity provider names them (from their token). */
export interface Person {
  idp_user_id: string;
  username: string;
  email: string | null;
  name: string;
}

/** An agent as an assignee field offers it. */
export interface AgentChoice {
  id: number;
  name: string;
}

export const agentListQuery = z.object({ enabled: z.enum(["true", "false"]).optional() }).strict();

/** An agent's path: its id, or its identity-provider user id. */
export const agentParams = z.object({ id: z.string().max(200) });

export const agentListSchema = z.object({ items: z.array(agentSchema), total: z.number().int() });
