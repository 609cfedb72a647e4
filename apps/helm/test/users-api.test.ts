import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TestPlatform } from "@hivematrix/lib/testing";
import { bearer, eventually, getLogs, serviceClient } from "./harness.ts";
import { type UserJson, usersPlatform } from "./users-platform.ts";

/** Helm's users API against the dev IdP's admin API, with Core: real processes, real sign-ins. */
const users = usersPlatform();
const { signIn, valid, api, create } = users;
let platform: TestPlatform;
let helm: string;
let cliAdmin: string;
let admin: string;

beforeAll(async () => {
  ({ platform, helm, cliAdmin, admin } = await users.start());
}, 120_000);
afterAll(() => users.stop());

describe("the users API", () => {
  test("admins only, and people only: a technician and a service token are refused", async () => {
    expect((await api(await platform.token("technician"), "GET", "/api/users")).status).toBe(403);
    const probe = serviceClient(platform, "probe");
    expect((await probe.callService("helm", "/api/users")).status).toBe(403);
    expect((await fetch(`${helm}/api/users`)).status).toBe(401);
  });

  test("creates a technician with a generated temporary password, who must choose their own at sign-in", async () => {
    const { user, password } = await create(admin, {
      username: "Tina",
      first_name: "Tina",
      last_name: "Turner",
      email: "tina@msp.example",
      level: "technician",
    });
    expect(user).toMatchObject({
      username: "tina",
      first_name: "Tina",
      last_name: "Turner",
      email: "tina@msp.example",
      enabled: true,
      level: "technician",
      groups: ["technicians"],
      company: null,
      password_change_required: true,
    });
    expect(password).toMatch(/^[A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){3}$/);
    const first = await signIn("tina", password);
    expect(first.location).toContain("/update-password");
    expect((await api(admin, "GET", `/api/users/${user.id}`).then((r) => r.json())).user.password_change_required).toBe(
      true,
    );
  });

  test("a permanent password signs in at once; the level becomes the user's group and permission level", async () => {
    const { user, password } = await create(admin, {
      username: "bill2",
      email: "bill2@msp.example",
      level: "billing",
      temporary: false,
    });
    expect(user.password_change_required).toBe(false);
    const { token } = await signIn("bill2", password);
    const claims = JSON.parse(Buffer.from(token!.split(".")[1]!, "base64url").toString()) as {
      permission_level: string;
      groups: string[];
    };
    expect(claims).toMatchObject({ permission_level: "billing", groups: ["billing"] });
  });

  test("a client user needs a company; its account number reaches the user's claims", async () => {
    const missing = await api(admin, "POST", "/api/users", {
      username: "cara",
      email: "cara@acme.example",
      level: "client",
    });
    expect(missing.status).toBe(422);
    expect(JSON.stringify(await missing.json())).toContain("company");
    const { user, password } = await create(admin, {
      username: "cara",
      email: "cara@acme.example",
      level: "client",
      company: "ACME-001",
      temporary: false,
    });
    expect(user).toMatchObject({ level: "client", company: "ACME-001", groups: ["client"] });
    const claims = JSON.parse(
      Buffer.from((await signIn("cara", password)).token!.split(".")[1]!, "base64url").toString(),
    ) as { company: string };
    expect(claims.company).toBe("ACME-001");
  });

  test("bad input is a 4xx with the field named, never a 500; duplicates are 409 on the right field", async () => {
    for (const [body, status] of [
      [{ username: "x", email: "x@msp.example", level: "technician" }, 422],
      [{ username: "valid", email: "not-an-email", level: "technician" }, 422],
      [{ username: "valid", email: "v@msp.example", level: "overlord" }, 422],
      [{ username: "valid", email: "v@msp.example", level: "technician", extra: 1 }, 422],
    ] as const) {
      const res = await api(admin, "POST", "/api/users", body);
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), status]);
    }
    expect(
      (
        await fetch(`${helm}/api/users`, {
          method: "POST",
          headers: bearer(admin, { "content-type": "application/json" }),
          body: "{oops",
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await fetch(`${helm}/api/users`, {
          method: "POST",
          headers: bearer(admin, { "content-type": "text/plain" }),
          body: "{}",
        })
      ).status,
    ).toBe(415);
    const dupName = await api(admin, "POST", "/api/users", {
      username: "TINA",
      email: "other@msp.example",
      level: "technician",
    });
    expect(dupName.status).toBe(409);
    expect((await dupName.json()).error.details).toEqual([{ field: "username", message: "This username is taken." }]);
    const dupEmail = await api(admin, "POST", "/api/users", {
      username: "tina2",
      email: "tina@msp.example",
      level: "technician",
    });
    expect((await dupEmail.json()).error.details[0].field).toBe("email");
    expect((await api(admin, "GET", "/api/users/not-a-user")).status).toBe(404);
  });

  test("lists with Keycloak's search and pages through everyone", async () => {
    for (let i = 0; i < 7; i++)
      await create(admin, {
        username: `page${i}`,
        email: `page${i}@msp.example`,
        first_name: "Pager",
        level: "technician",
      });
    const search = (await (await api(admin, "GET", "/api/users?q=pag&max=3")).json()) as {
      users: UserJson[];
      total: number;
    };
    expect(search.total).toBe(7);
    expect(search.users.map((u) => u.username)).toEqual(["page0", "page1", "page2"]);
    const last = (await (await api(admin, "GET", "/api/users?q=pager&first=6&max=3")).json()) as { users: UserJson[] };
    expect(last.users.map((u) => u.username)).toEqual(["page6"]);
    const all = (await (await api(admin, "GET", "/api/users")).json()) as { users: UserJson[]; total: number };
    expect(all.users.find((u) => u.username === "admin")).toMatchObject({ level: "admin", groups: ["admins"] });
    expect(all.total).toBe(all.users.length);
    expect((await api(admin, "GET", "/api/users?max=100000")).status).toBe(422);
  });

  test("edits names, email, level and company; a change of access ends the person's sessions at once", async () => {
    const { user, password } = await create(admin, {
      username: "ed",
      email: "ed@msp.example",
      level: "technician",
      temporary: false,
    });
    const { token } = await signIn("ed", password);
    const named = await (
      await api(admin, "PUT", `/api/users/${user.id}`, { first_name: "Ed", last_name: "Edison" })
    ).json();
    expect(named).toMatchObject({
      user: { first_name: "Ed", last_name: "Edison", email: "ed@msp.example", level: "technician" },
      sessions_ended: 0,
    });
    expect(await valid(token!)).toBe(true);
    const promoted = await (await api(admin, "PUT", `/api/users/${user.id}`, { level: "admin" })).json();
    expect(promoted).toMatchObject({
      user: { level: "admin", groups: ["admins"], first_name: "Ed" },
      sessions_ended: 1,
    });
    expect(await valid(token!)).toBe(false);
    const client = await (
      await api(admin, "PUT", `/api/users/${user.id}`, { level: "client", company: "BETA-002" })
    ).json();
    expect(client.user).toMatchObject({ level: "client", company: "BETA-002", groups: ["client"] });
    const staff = await (await api(admin, "PUT", `/api/users/${user.id}`, { level: "technician" })).json();
    expect(staff.user).toMatchObject({ level: "technician", company: null });
    expect((await api(admin, "PUT", `/api/users/${user.id}`, { level: "client" })).status).toBe(422);
    expect((await api(admin, "PUT", `/api/users/${user.id}`, { email: "tina@msp.example" })).status).toBe(409);
  });

  test("moving a client to another company ends their sessions; their next sign-in carries the new one", async () => {
    const { user, password } = await create(admin, {
      username: "mo",
      email: "mo@acme.example",
      level: "client",
      company: "ACME-001",
      temporary: false,
    });
    const { token } = await signIn("mo", password);
    expect(await valid(token!)).toBe(true);
    const moved = await (await api(admin, "PUT", `/api/users/${user.id}`, { company: "BETA-002" })).json();
    expect(moved).toMatchObject({ user: { level: "client", company: "BETA-002" }, sessions_ended: 1 });
    expect(await valid(token!)).toBe(false);
    const again = (await signIn("mo", password)).token!;
    const claims = JSON.parse(Buffer.from(again.split(".")[1]!, "base64url").toString()) as { company: string };
    expect(claims.company).toBe("BETA-002");
    const unchanged = await (await api(admin, "PUT", `/api/users/${user.id}`, { company: "BETA-002" })).json();
    expect(unchanged).toMatchObject({ sessions_ended: 0 });
    expect(await valid(again)).toBe(true);
  });

  test("a disabled user is signed out everywhere and cannot sign in again", async () => {
    const { user, password } = await create(admin, {
      username: "dora",
      email: "dora@msp.example",
      level: "technician",
      temporary: false,
    });
    const { token } = await signIn("dora", password);
    const res = await (await api(admin, "PUT", `/api/users/${user.id}`, { enabled: false })).json();
    expect(res).toMatchObject({ user: { enabled: false }, sessions_ended: 1 });
    expect(await valid(token!)).toBe(false);
    const again = await signIn("dora", password);
    expect(await again.refused!.text()).toContain("Account is disabled");
  });

  test("reset password: generated, temporary or not, shown once; the old one stops working", async () => {
    const { user, password } = await create(admin, {
      username: "rita",
      email: "rita@msp.example",
      level: "technician",
      temporary: false,
    });
    const res = await api(admin, "POST", `/api/users/${user.id}/reset-password`, {});
    const body = (await res.json()) as { password: string; temporary: boolean; user: UserJson };
    expect(body.temporary).toBe(true);
    expect(body.user.password_change_required).toBe(true);
    expect(body.password).not.toBe(password);
    expect((await signIn("rita", password)).refused!.status).toBe(401);
    expect((await signIn("rita", body.password)).location).toContain("update-password");
    const permanent = (await (
      await api(admin, "POST", `/api/users/${user.id}/reset-password`, { temporary: false })
    ).json()) as { password: string };
    expect((await signIn("rita", permanent.password)).token).toBeString();
    const empty = await fetch(`${helm}/api/users/${user.id}/reset-password`, {
      method: "POST",
      headers: bearer(admin, { "content-type": "application/json" }),
    });
    expect(empty.status).toBe(200);
  });

  test("refuses deleting, disabling or demoting yourself, and the last admin; deletes others", async () => {
    const me = (await (await api(admin, "GET", "/api/users?q=admin")).json()).users.find(
      (u: UserJson) => u.username === "admin",
    ) as UserJson;
    const self = await api(admin, "DELETE", `/api/users/${me.id}`);
    expect(self.status).toBe(409);
    expect((await self.json()).error.message).toContain("your own account");
    expect((await api(admin, "PUT", `/api/users/${me.id}`, { enabled: false })).status).toBe(409);
    expect((await api(admin, "PUT", `/api/users/${me.id}`, { level: "technician" })).status).toBe(409);
    // Ed was demoted again above, so the seeded admin is the only enabled admin in the IdP.
    const last = await api(cliAdmin, "DELETE", `/api/users/${me.id}`);
    expect(last.status).toBe(409);
    expect((await last.json()).error.message).toContain("last enabled admin");
    expect((await api(cliAdmin, "PUT", `/api/users/${me.id}`, { enabled: false })).status).toBe(409);
    expect((await api(cliAdmin, "PUT", `/api/users/${me.id}`, { level: "billing" })).status).toBe(409);
    const tina = (await (await api(admin, "GET", "/api/users?q=tina")).json()).users[0] as UserJson;
    const deleted = await api(admin, "DELETE", `/api/users/${tina.id}`);
    expect(deleted.status).toBe(200);
    expect((await api(admin, "GET", `/api/users/${tina.id}`)).status).toBe(404);
    expect((await api(admin, "DELETE", `/api/users/${tina.id}`)).status).toBe(404);
  });

  test("every action is in Helm's log with the admin's name", async () => {
    const logs = await eventually(async () => {
      const found = await getLogs(platform, admin, { q: "users:", service: "helm", limit: "200" });
      return found.logs.some((l) => l.message.includes("deleted tina")) ? found : null;
    });
    const messages = logs.logs.map((l) => l.message);
    for (const text of [
      "admin created tina (technician)",
      "admin updated ed: level technician → admin",
      "admin updated dora: disabled",
      "admin reset the password of rita",
      "admin deleted tina (technician)",
    ]) {
      expect(messages.some((m) => m.includes(text))).toBe(true);
    }
    expect(logs.logs.filter((l) => l.message.startsWith("users: admin ")).every((l) => l.user === "admin")).toBe(true);
    // Refusals are there too, with who tried.
    expect(
      messages.some((m) => m.startsWith("users: admin could not delete user") && m.includes("your own account")),
    ).toBe(true);
    expect(JSON.stringify(logs)).not.toMatch(/[A-Za-z2-9]{5}-[A-Za-z2-9]{5}-[A-Za-z2-9]{5}-[A-Za-z2-9]{5}/);
  });
});
