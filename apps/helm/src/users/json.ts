import { z } from "zod";
import { PERMISSION_LEVELS, type PermissionLevel } from "@hivematrix/lib/config";

/** The realm group that gives each permission level (DESIGN.md "Identity and sessions"). */
export const LEVEL_GROUP: Record<PermissionLevel, string> = {
  admin: "admins",
  technician: "technicians",
  billing: "billing",
  client: "client",
};
export const HIVEMATRIX_GROUPS = Object.values(LEVEL_GROUP);

/** The level a user's groups give (highest first); null when they are in none of HiveMatrix's groups. */
export function levelOfGroups(groups: readonly string[]): PermissionLevel | null {
  return PERMISSION_LEVELS.find((level) => groups.includes(LEVEL_GROUP[level])) ?? null;
}

/** Empty form fields mean "not given". */
const blank = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema);
const name = (label: string) => blank(z.string().trim().max(100, `${label} is at most 100 characters.`).optional());
const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "An email address is at most 254 characters.")
  .pipe(z.email("Enter a valid email address."));
/** Codex's account numbers. */
const accountNumber = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,49}$/,
    "An account number is letters, digits, dots, dashes and underscores (up to 50).",
  );
const level = z.enum(PERMISSION_LEVELS, "Choose a level.");

/** A client user needs the account number of their company; staff have none. */
function companyRule(v: { level?: PermissionLevel; company?: string }, ctx: z.RefinementCtx) {
  if (v.level === "client" && !v.company)
    ctx.addIssue({
      code: "custom",
      path: ["company"],
      message: "A client user needs the account number of their company.",
    });
}

const userFields = {
  first_name: name("The first name"),
  last_name: name("The last name"),
  email,
  level,
  company: blank(accountNumber.optional()),
};

/** Usernames as Keycloak keeps them: lower case; letters, digits and . _ - @. */
const username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z0-9][a-z0-9._@-]{1,63}$/,
    "2 to 64 characters: letters, digits and . _ - @, starting with a letter or digit.",
  );

const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());

/** The "new user" form. */
export const createForm = z.object({ username, ...userFields, temporary: checkbox }).superRefine(companyRule);
export type CreateInput = z.infer<typeof createForm>;

/** The edit form: an unticked "enabled" box is absent from the form, so it means disabled. */
export const updateForm = z.object({ ...userFields, enabled: checkbox }).superRefine(companyRule);

export const resetForm = z.object({ temporary: checkbox });

/** POST /api/users. */
export const createBody = z
  .object({ username, ...userFields, temporary: z.boolean().default(true) })
  .strict()
  .superRefine(companyRule);

/** PUT /api/users/:id: only the fields given change. */
export const updateBody = z
  .object({
    first_name: z.string().trim().max(100).nullable().optional(),
    last_name: z.string().trim().max(100).nullable().optional(),
    email: email.optional(),
    enabled: z.boolean().optional(),
    level: level.optional(),
    company: accountNumber.nullable().optional(),
  })
  .strict();
export type UpdateBody = z.infer<typeof updateBody>;

export const resetBody = z.object({ temporary: z.boolean().default(true) }).strict();

/** Users on a page of the users list. */
export const PAGE_SIZE = 25;
export const listQuery = z.object({
  q: blank(z.string().trim().max(100, "Search for at most 100 characters.").optional()),
  page: blank(z.coerce.number().int().min(1).max(100_000).default(1)),
});
export const apiListQuery = z
  .object({
    q: blank(z.string().trim().max(100).optional()),
    first: z.coerce.number().int().min(0).default(0),
    max: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

/** Keycloak user ids are UUIDs; the dev IdP's seeded users have UUID-like ids. */
export const idParam = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, "a user id");

/** A user as Helm shows them: the identity provider's account with HiveMatrix's reading of it. */
export const userSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    first_name: z.string().nullable(),
    last_name: z.string().nullable(),
    email: z.string().nullable(),
    enabled: z.boolean(),
    level: z
      .enum(PERMISSION_LEVELS)
      .nullable()
      .meta({ description: "The level HiveMatrix gives this user; null when they are in none of its groups" }),
    groups: z.array(z.string()),
    company: z.string().nullable().meta({ description: "A client user's company (account number)" }),
    created_at: z.iso.datetime().nullable(),
    password_change_required: z
      .boolean()
      .meta({ description: "A temporary password is set: they choose their own at the next sign-in" }),
  })
  .meta({ id: "User" });

export type UserView = z.infer<typeof userSchema>;

/** The edit form's values for a user as stored. */
export function formValuesOf(user: UserView): Record<string, string> {
  return {
    email: user.email ?? "",
    first_name: user.first_name ?? "",
    last_name: user.last_name ?? "",
    level: user.level ?? "",
    company: user.company ?? "",
    enabled: user.enabled ? "on" : "",
  };
}
