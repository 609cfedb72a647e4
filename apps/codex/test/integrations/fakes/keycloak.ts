import type { Server } from "bun";
import { FaultBook } from "./faults.ts";

/**
 * The slice of Keycloak's admin REST API the agent sync uses: the admin-cli password grant on
 * the master realm, GET groups and group members with first/max paging (max capped at 100,
 * Keycloak's default page when none is asked).
 */
export interface FakeKeycloakUser {
  id: string;
  username: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  enabled?: boolean;
  groups: string[];
}

export interface FakeKeycloak {
  url: string;
  realm: string;
  admin: { username: string; password: string };
  users: FakeKeycloakUser[];
  faults: FaultBook;
  stop(): Promise<void>;
}

export async function startFakeKeycloak(users: FakeKeycloakUser[], realm = "hivematrix"): Promise<FakeKeycloak> {
  const faults = new FaultBook();
  const admin = { username: "admin", password: "kc-admin-pass" };
  const tokens = new Set<string>();
  const groups = ["admins", "technicians", "billing", "client"].map((name) => ({ id: `g-${name}`, name, path: `/${name}` }));
  const page = <T,>(url: URL, items: T[]) => {
    const first = Number(url.searchParams.get("first") ?? 0);
    const max = Math.min(100, Number(url.searchParams.get("max") ?? 100));
    return Response.json(items.slice(first, first + max));
  };
  const server: Server<undefined> = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const injected = await faults.take(req);
      if (injected) return injected;
      const url = new URL(req.url);
      if (url.pathname === "/realms/master/protocol/openid-connect/token" && req.method === "POST") {
        const form = new URLSearchParams(await req.text());
        if (form.get("client_id") !== "admin-cli" || form.get("username") !== admin.username || form.get("password") !== admin.password) {
          return Response.json({ error: "invalid_grant", error_description: "Invalid user credentials" }, { status: 401 });
        }
        const token = crypto.randomUUID();
        tokens.add(token);
        return Response.json({ access_token: token, expires_in: 60, token_type: "Bearer" });
      }
      const bearer = /^Bearer (.+)$/.exec(req.headers.get("authorization") ?? "")?.[1];
      if (!bearer || !tokens.has(bearer)) return Response.json({ error: "HTTP 401 Unauthorized" }, { status: 401 });
      const prefix = `/admin/realms/${realm}`;
      if (url.pathname === `${prefix}/groups`) return page(url, groups);
      const m = new RegExp(`^${prefix}/groups/([^/]+)/members$`).exec(url.pathname);
      if (m) {
        const group = groups.find((g) => g.id === decodeURIComponent(m[1]!));
        if (!group) return Response.json({ error: "Could not find group by id" }, { status: 404 });
        return page(
          url,
          users.filter((u) => u.groups.includes(group.name)).map(({ groups: _g, ...u }) => ({ enabled: true, ...u })),
        );
      }
      return Response.json({ error: "RESTEASY003210: Could not find resource" }, { status: 404 });
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, realm, admin, users, faults, stop: () => server.stop(true) };
}
