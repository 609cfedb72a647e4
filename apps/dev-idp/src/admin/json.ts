import { z } from "zod";
import type { GroupRow } from "../db/schema.ts";
import type { DevUser } from "../users/data.ts";

export const realmParams = z.object({ realm: z.string().meta({ description: "The realm, e.g. hivematrix" }) });
export const userParams = realmParams.extend({ id: z.string().meta({ description: "The user's id" }) });

/** Keycloak's booleans in a query string. */
const bool = z.enum(["true", "false"]).transform((v) => v === "true");
const count = z.coerce.number().int().min(0);

/** GET /users and /users/count; unknown parameters are ignored, as by Keycloak. */
export const userQuery = z.looseObject({
  search: z.string().optional().meta({ description: 'Words matched as prefixes; *x* for infix, "x" exact' }),
  username: z.string().optional(),
  email: z.string().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  exact: bool.optional(),
  enabled: bool.optional(),
  briefRepresentation: bool.optional(),
  first: count.optional(),
  max: count.optional(),
});

export const pageQuery = z.looseObject({
  first: count.optional(),
  max: count.optional(),
  briefRepresentation: bool.optional(),
  search: z.string().optional(),
  exact: bool.optional(),
});

const attributes = z.record(z.string(), z.array(z.string()));

/** A user as PUT /users/{id} takes it; fields Keycloak has and the dev IdP does not keep are ignored. */
export const userInput = z
  .looseObject({
    username: z.string().optional(),
    email: z.string().nullish(),
    firstName: z.string().nullish(),
    lastName: z.string().nullish(),
    enabled: z.boolean().optional(),
    emailVerified: z.boolean().optional(),
    attributes: attributes.optional(),
    requiredActions: z.array(z.string()).optional(),
  })
  .meta({ id: "UserInput" });

export const credentialInput = z
  .looseObject({
    type: z.string().optional(),
    value: z.string().optional(),
    temporary: z.boolean().optional(),
  })
  .meta({ id: "CredentialRepresentation" });

/** A user as POST /users takes it: with its first password and groups. */
export const newUserInput = userInput
  .extend({
    credentials: z.array(credentialInput.extend({ value: z.string() })).optional(),
    groups: z.array(z.string()).optional().meta({ description: 'Group names or paths ("/technicians")' }),
  })
  .meta({ id: "NewUser" });

const accessSchema = z.object({
  manageGroupMembership: z.boolean(),
  view: z.boolean(),
  mapRoles: z.boolean(),
  impersonate: z.boolean(),
  manage: z.boolean(),
});

export const userRepresentation = z
  .object({
    id: z.string(),
    username: z.string(),
    firstName: z.string().optional(),
    lastName: z.string().optional(),
    email: z.string().optional(),
    emailVerified: z.boolean(),
    createdTimestamp: z.number().int(),
    enabled: z.boolean(),
    access: accessSchema,
    attributes: attributes.optional(),
    totp: z.boolean().optional(),
    disableableCredentialTypes: z.array(z.string()).optional(),
    requiredActions: z.array(z.string()).optional(),
    notBefore: z.number().int().optional(),
  })
  .meta({ id: "UserRepresentation" });

export const groupRepresentation = z
  .object({
    id: z.string(),
    name: z.string(),
    path: z.string(),
    subGroupCount: z.number().int().optional(),
    subGroups: z.array(z.object({ id: z.string(), name: z.string() })).optional(),
  })
  .meta({ id: "GroupRepresentation" });

const ACCESS = { manageGroupMembership: true, view: true, mapRoles: true, impersonate: false, manage: true };

/** A user as Keycloak 26 answers it (absent values left out, as Keycloak's JSON does). */
export function userRep(user: DevUser, brief: boolean): z.infer<typeof userRepresentation> {
  const rep = {
    id: user.id,
    username: user.username,
    ...(user.firstName ? { firstName: user.firstName } : {}),
    ...(user.lastName ? { lastName: user.lastName } : {}),
    ...(user.email ? { email: user.email } : {}),
    emailVerified: user.emailVerified,
    createdTimestamp: user.createdTimestamp,
    enabled: user.enabled,
    access: ACCESS,
  };
  if (brief) return rep;
  return {
    ...rep,
    ...(Object.keys(user.attributes).length ? { attributes: user.attributes } : {}),
    totp: false,
    disableableCredentialTypes: [],
    requiredActions: user.requiredActions,
    notBefore: 0,
  };
}

/** A group as the user's groups list it; the realm's group list adds its (absent) subgroups. */
export const groupRep = (group: GroupRow) => ({ id: group.id, name: group.name, path: `/${group.name}` });
