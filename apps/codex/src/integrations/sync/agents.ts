import { isNotNull } from "drizzle-orm";
import { upsertAgents } from "../../data/agents.ts";
import { keycloakClient, type IntegrationContext } from "../context.ts";
import type { KeycloakAdminClient } from "../keycloak/client.ts";
import { cleanEmail, syncActor, upsertInBatches } from "./common.ts";
import type { JobReport } from "./jobs.ts";

/** The IdP groups whose members are MSP staff (client users are not agents). */
export const STAFF_GROUPS = ["admins", "technicians", "billing"] as const;

const actor = syncActor("keycloak");

/**
 * Agents from Keycloak: every member of the staff groups, read page by page to the end. An
 * agent that was synced before and is no longer in any staff group (after a complete read)
 * is disabled, never deleted.
 */
export async function syncAgents(ctx: IntegrationContext, report: JobReport, client: KeycloakAdminClient = keycloakClient(ctx)): Promise<void> {
  const h = ctx.db;
  const members = await client.usersOfGroups(STAFF_GROUPS);
  report.add("users_fetched", members.length);
  const rows: Record<string, unknown>[] = [];
  for (const { user } of members) {
    const email = cleanEmail(user.email);
    if (!email) {
      report.add("users_without_email");
      report.log(`user ${user.username} has no valid email; skipped`);
      continue;
    }
    const name = [user.firstName, user.lastName].filter((x) => x?.trim()).join(" ").trim() || user.username;
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
  await upsertInBatches((batch) => upsertAgents(h, batch, actor), rows, report, "agents", (r) => String(r.username ?? r.email));
}
