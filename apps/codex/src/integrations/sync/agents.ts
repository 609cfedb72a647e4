import { isNotNull } from "drizzle-orm";
import { z } from "zod";
import { KeycloakAdminError } from "@hivematrix/lib/keycloak-admin";
import { upsertAgents } from "../../agents/data.ts";
import { keycloakClient, type IntegrationContext, type KeycloakSource } from "../context.ts";
import { IntegrationError } from "../http.ts";
import { cleanEmail, syncActor, upsertInBatches } from "./common.ts";
import type { JobReport } from "./report.ts";

/** The IdP groups whose members are MSP staff (client users are not agents). */
export const STAFF_GROUPS = ["admins", "technicians", "billing"] as const;

/** Keycloak's page size; a shorter page is the last one. */
const PAGE_SIZE = 100;

const actor = syncActor("keycloak");

const memberSchema = z.looseObject({
  id: z.string().min(1),
  username: z.string().min(1),
  email: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  enabled: z.boolean().nullish(),
});
type Member = z.infer<typeof memberSchema>;

/** lib's KeycloakAdminError as the integrations' error, which says what to fix and never carries credentials. */
function asIntegrationError(e: unknown): unknown {
  if (e instanceof KeycloakAdminError) {
    if (e.path === "token" && (e.status === 400 || e.status === 401)) {
      return new IntegrationError(
        "keycloak",
        "auth",
        "keycloak: the admin account was refused; check HIVEMATRIX_HOME/secrets/keycloak-admin.secret",
        e.status,
      );
    }
    const kind =
      e.status === 401 || e.status === 403
        ? "auth"
        : e.status === 404
          ? "not_found"
          : e.status >= 500
            ? "server"
            : "bad_request";
    return new IntegrationError("keycloak", kind, `keycloak: ${e.message}`, e.status);
  }
  if (e instanceof TypeError || (e instanceof DOMException && e.name === "TimeoutError")) {
    return new IntegrationError("keycloak", "network", `keycloak: cannot reach the identity provider (${e.message})`);
  }
  return e;
}

/** Every member of the staff groups, each once with the groups they are in; every page of every group. */
async function staffMembers(kc: KeycloakSource): Promise<{ user: Member; groups: string[] }[]> {
  const groups = (await kc.admin.listGroups(kc.realm)).filter((g) =>
    (STAFF_GROUPS as readonly string[]).includes(g.name),
  );
  const byId = new Map<string, { user: Member; groups: string[] }>();
  for (const g of groups) {
    const members = z.array(memberSchema).safeParse(await kc.admin.allGroupMembers(kc.realm, g.id!, PAGE_SIZE));
    if (!members.success)
      throw new IntegrationError(
        "keycloak",
        "bad_response",
        `keycloak: unexpected answer listing the members of ${g.name}`,
      );
    for (const user of members.data) {
      const entry = byId.get(user.id) ?? byId.set(user.id, { user, groups: [] }).get(user.id)!;
      entry.groups.push(g.name);
    }
  }
  return [...byId.values()];
}

/**
 * Agents from Keycloak (or the dev IdP, through the same admin API): every member of the staff
 * groups, read page by page to the end. An agent that was synced before and is no longer in any
 * staff group (after a complete read) is disabled, never deleted; a failed read changes nothing.
 */
export async function syncAgents(ctx: IntegrationContext, report: JobReport, source?: KeycloakSource): Promise<void> {
  const h = ctx.db;
  const kc = source ?? keycloakClient(ctx);
  const members = await staffMembers(kc).catch((e) => {
    throw asIntegrationError(e);
  });
  report.add("users_fetched", members.length);
  const rows: Record<string, unknown>[] = [];
  for (const { user } of members) {
    const email = cleanEmail(user.email);
    if (!email) {
      report.add("users_without_email");
      report.log(`user ${user.username} has no valid email; skipped`);
      continue;
    }
    const name =
      [user.firstName, user.lastName]
        .filter((x) => x?.trim())
        .join(" ")
        .trim() || user.username;
    rows.push({ idp_user_id: user.id, username: user.username, email, name, enabled: user.enabled ?? true });
  }
  const seen = new Set(members.map((m) => m.user.id));
  const known = await h.db.select().from(h.t.agents).where(isNotNull(h.t.agents.idpUserId));
  for (const a of known) {
    if (a.enabled && !seen.has(a.idpUserId!)) {
      rows.push({ idp_user_id: a.idpUserId, email: a.email, name: a.name, enabled: false });
      report.add("agents_disabled");
      report.log(`${a.username ?? a.email} is no longer in a staff group; disabled`);
    }
  }
  await upsertInBatches(
    (batch) => upsertAgents(h, batch, actor),
    rows,
    report,
    "agents",
    (r) => String(r.username ?? r.email),
  );
}
