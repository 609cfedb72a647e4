import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createKeycloakAdmin, KeycloakAdminError, UPDATE_PASSWORD, type KeycloakAdmin } from "../keycloak-admin.ts";

/** A server speaking Keycloak's admin API: the fake, the dev IdP (or a real Keycloak). */
export interface ContractTarget {
  url: string;
  /** The master realm admin. */
  username: string;
  password: string;
  /** A realm that has the groups admins, technicians, billing and client. */
  realm: string;
  stop(): Promise<void> | void;
}

async function refusal(p: Promise<unknown>): Promise<KeycloakAdminError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof KeycloakAdminError) return e;
    throw e;
  }
  throw new Error("expected Keycloak to refuse");
}

/**
 * The users-and-groups part of Keycloak's admin API that HiveMatrix relies on, checked through
 * lib/keycloak-admin. The same suite runs against lib's fake and the dev IdP, so neither can
 * drift from the shapes, status codes and semantics the client (and a real Keycloak) have.
 */
export function keycloakAdminContract(label: string, start: () => Promise<ContractTarget>) {
  describe(`Keycloak admin API contract: ${label}`, () => {
    let target: ContractTarget;
    let kc: KeycloakAdmin;
    let realm: string;
    // Every user this suite creates starts with this, so searches see only ours.
    const tag = `ct${Math.random().toString(36).slice(2, 8)}`;
    const make = (name: string, extra: Record<string, unknown> = {}) =>
      kc.createUser(realm, {
        username: `${tag}-${name}`,
        enabled: true,
        firstName: name[0]!.toUpperCase() + name.slice(1),
        lastName: `${tag}son`,
        email: `${tag}-${name}@example.com`,
        ...extra,
      });

    beforeAll(async () => {
      target = await start();
      realm = target.realm;
      kc = createKeycloakAdmin({ url: target.url, username: target.username, password: target.password });
    });
    afterAll(() => target.stop());

    test("the admin signs in to the master realm with admin-cli; a wrong password is refused", async () => {
      const wrong = createKeycloakAdmin({ url: target.url, username: target.username, password: "not-the-password" });
      const e = await refusal(wrong.countUsers(realm));
      expect(e.status).toBe(401);
      expect(e.message).toContain("the admin username or password is wrong");
      const raw = await fetch(`${target.url}/realms/master/protocol/openid-connect/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "password",
          client_id: "admin-cli",
          username: target.username,
          password: target.password,
        }),
      });
      expect(raw.status).toBe(200);
      const body = (await raw.json()) as { access_token: string; expires_in: number; token_type: string };
      expect(body.access_token).toBeString();
      expect(body.expires_in).toBeGreaterThan(0);
      expect(body.token_type).toBe("Bearer");
    });

    test("the admin API needs the admin's bearer token", async () => {
      for (const headers of [{}, { authorization: "Bearer not-a-token" }] as Record<string, string>[]) {
        const res = await fetch(`${target.url}/admin/realms/${realm}/users`, { headers });
        expect(res.status).toBe(401);
        expect(((await res.json()) as { error: string }).error).toBeString();
      }
    });

    test("create answers 201 with the new user's absolute Location; the user reads back in Keycloak's shape", async () => {
      const res = await kc.call("POST", `/realms/${realm}/users`, {
        username: `${tag}-Alice`,
        enabled: true,
        firstName: "Alice",
        lastName: "Zephyr",
        email: `${tag}-Alice@Example.com`,
        attributes: { company: ["ACME-001"] },
      });
      expect(res.status).toBe(201);
      const id = res.location!.split("/").pop()!;
      expect(res.location).toBe(`${target.url}/admin/realms/${realm}/users/${id}`);
      const user = await kc.getUser(realm, id);
      expect(user).toMatchObject({
        id,
        username: `${tag}-alice`,
        email: `${tag}-alice@example.com`,
        firstName: "Alice",
        lastName: "Zephyr",
        enabled: true,
        emailVerified: false,
        requiredActions: [],
        attributes: { company: ["ACME-001"] },
      });
      expect(Math.abs(user.createdTimestamp! - Date.now())).toBeLessThan(60_000);
      expect(user.credentials).toBeUndefined();
      expect(JSON.stringify(user)).not.toContain("password");
      expect((await kc.findUser(realm, `${tag}-ALICE`))!.id).toBe(id);
      expect(await kc.findUser(realm, `${tag}-alic`)).toBeNull();
    });

    test("a user created without enabled is disabled; a blank username, a bad email and duplicates are refused", async () => {
      const id = await kc.createUser(realm, { username: `${tag}-quiet` });
      expect((await kc.getUser(realm, id)).enabled).toBe(false);
      expect((await refusal(kc.createUser(realm, { username: "  " }))).status).toBe(400);
      const bad = await refusal(kc.createUser(realm, { username: `${tag}-bademail`, email: "not an email" }));
      expect([bad.status, bad.field]).toEqual([400, "email"]);
      const dupName = await refusal(kc.createUser(realm, { username: `${tag}-QUIET` }));
      expect([dupName.status, dupName.detail]).toEqual([409, "User exists with same username"]);
      const dupEmail = await refusal(
        kc.createUser(realm, { username: `${tag}-other`, email: `${tag}-ALICE@example.com` }),
      );
      expect([dupEmail.status, dupEmail.detail]).toEqual([409, "User exists with same email"]);
      expect(await kc.findUser(realm, `${tag}-other`)).toBeNull();
    });

    test("groups and a temporary password can be given at creation", async () => {
      const id = await make("tina", {
        groups: ["technicians"],
        credentials: [{ type: "password", value: "Initial-Passw0rd", temporary: true }],
      });
      expect((await kc.userGroups(realm, id)).map((g) => ({ name: g.name, path: g.path }))).toEqual([
        { name: "technicians", path: "/technicians" },
      ]);
      expect((await kc.getUser(realm, id)).requiredActions).toEqual([UPDATE_PASSWORD]);
      await kc.resetPassword(realm, id, "Another-Passw0rd", false);
      expect((await kc.getUser(realm, id)).requiredActions).toEqual([]);
      await kc.resetPassword(realm, id, "Third-Passw0rd", true);
      expect((await kc.getUser(realm, id)).requiredActions).toEqual([UPDATE_PASSWORD]);
      expect((await refusal(kc.resetPassword(realm, id, "", true))).status).toBe(400);
      expect((await refusal(kc.resetPassword(realm, "no-such-user", "x-Passw0rd", true))).status).toBe(404);
    });

    test('search matches each word as a prefix of username, email or names; *infix* and "exact" too; count agrees', async () => {
      for (const name of ["bob", "carol", "dave", "erin", "frank"]) await make(name);
      const names = async (query: Parameters<KeycloakAdmin["searchUsers"]>[1]) =>
        (await kc.searchUsers(realm, query)).map((u) => u.username);
      expect(await names({ search: `${tag}-` })).toEqual(
        ["alice", "bob", "carol", "dave", "erin", "frank", "quiet", "tina"].map((n) => `${tag}-${n}`),
      );
      expect(await names({ search: `${tag}-CA` })).toEqual([`${tag}-carol`]);
      expect(await names({ search: `Dave ${tag}` })).toEqual([`${tag}-dave`]);
      expect(await names({ search: `${tag}so` })).toEqual(
        ["bob", "carol", "dave", "erin", "frank", "tina"].map((n) => `${tag}-${n}`),
      );
      expect(await names({ search: "rol" })).not.toContain(`${tag}-carol`);
      expect(await names({ search: `*${tag.slice(2)}-car*` })).toEqual([`${tag}-carol`]);
      expect(await names({ search: `"${tag}-erin@example.com"` })).toEqual([`${tag}-erin`]);
      expect(await names({ search: `"${tag}-eri"` })).toEqual([]);
      expect(await kc.countUsers(realm, { search: `${tag}so` })).toBe(6);
      expect(await kc.countUsers(realm, { search: `${tag}-` })).toBe(8);
      expect(await kc.countUsers(realm)).toBeGreaterThanOrEqual(8);
    });

    test("first/max page through the matches in username order", async () => {
      const all = (await kc.searchUsers(realm, { search: `${tag}-` })).map((u) => u.id);
      const pages = [];
      for (let first = 0; first < all.length; first += 3)
        pages.push((await kc.searchUsers(realm, { search: `${tag}-`, first, max: 3 })).map((u) => u.id));
      expect(pages.map((p) => p.length)).toEqual([3, 3, 2]);
      expect(pages.flat()).toEqual(all);
      expect(await kc.searchUsers(realm, { search: `${tag}-`, first: 100, max: 3 })).toEqual([]);
    });

    test("username, email and name filters match as contains, or whole values with exact", async () => {
      const names = async (query: Parameters<KeycloakAdmin["searchUsers"]>[1]) =>
        (await kc.searchUsers(realm, query)).map((u) => u.username);
      expect(await names({ username: `${tag.slice(1)}-fr` })).toEqual([`${tag}-frank`]);
      expect(await names({ username: `${tag}-fr`, exact: true })).toEqual([]);
      expect(await names({ username: `${tag}-FRANK`, exact: true })).toEqual([`${tag}-frank`]);
      expect(await names({ email: `${tag}-bob@` })).toEqual([`${tag}-bob`]);
      expect(await names({ firstName: "Erin", lastName: `${tag}son` })).toEqual([`${tag}-erin`]);
      expect(await kc.countUsers(realm, { lastName: `${tag}son` })).toBe(6);
      expect(await names({ search: `${tag}-`, enabled: false })).toEqual([`${tag}-quiet`]);
    });

    test("briefRepresentation leaves out attributes and required actions", async () => {
      const [brief] = await kc.searchUsers(realm, { username: `${tag}-alice`, exact: true, briefRepresentation: true });
      expect(brief).toMatchObject({
        username: `${tag}-alice`,
        firstName: "Alice",
        email: `${tag}-alice@example.com`,
        enabled: true,
      });
      expect(brief!.attributes).toBeUndefined();
      expect(brief!.requiredActions).toBeUndefined();
      const [full] = await kc.searchUsers(realm, { username: `${tag}-alice`, exact: true });
      expect(full!.attributes).toEqual({ company: ["ACME-001"] });
    });

    test("editUser changes only what it is given; a raw PUT with attributes replaces the whole profile, as in Keycloak 24+", async () => {
      const alice = (await kc.findUser(realm, `${tag}-alice`))!;
      await kc.editUser(realm, alice.id!, { enabled: false });
      expect(await kc.getUser(realm, alice.id!)).toMatchObject({
        enabled: false,
        firstName: "Alice",
        lastName: "Zephyr",
        email: `${tag}-alice@example.com`,
        attributes: { company: ["ACME-001"] },
      });
      await kc.editUser(realm, alice.id!, { firstName: "Alicia", attributes: { company: ["BETA-002"] } });
      expect(await kc.getUser(realm, alice.id!)).toMatchObject({
        firstName: "Alicia",
        lastName: "Zephyr",
        attributes: { company: ["BETA-002"] },
      });
      await kc.editUser(realm, alice.id!, { attributes: { company: [] }, enabled: true });
      const cleared = await kc.getUser(realm, alice.id!);
      expect(cleared.attributes?.company).toBeUndefined();
      expect(cleared.enabled).toBe(true);
      await kc.updateUser(realm, alice.id!, { lastName: "Young" });
      expect(await kc.getUser(realm, alice.id!)).toMatchObject({
        firstName: "Alicia",
        lastName: "Young",
        email: `${tag}-alice@example.com`,
      });
      await kc.updateUser(realm, alice.id!, { attributes: { company: ["ACME-001"] } });
      const replaced = await kc.getUser(realm, alice.id!);
      expect(replaced.firstName).toBeUndefined();
      expect(replaced.email).toBeUndefined();
      expect(replaced.attributes).toEqual({ company: ["ACME-001"] });
    });

    test("an edit may not rename the user or take another user's email", async () => {
      const bob = (await kc.findUser(realm, `${tag}-bob`))!;
      const rename = await refusal(kc.updateUser(realm, bob.id!, { username: `${tag}-robert` }));
      expect([rename.status, rename.field]).toEqual([400, "username"]);
      const taken = await refusal(kc.editUser(realm, bob.id!, { email: `${tag}-carol@example.com` }));
      expect([taken.status, taken.detail]).toEqual([409, "User exists with same email"]);
      const bad = await refusal(kc.editUser(realm, bob.id!, { email: "nope" }));
      expect([bad.status, bad.field]).toEqual([400, "email"]);
      expect((await kc.getUser(realm, bob.id!)).email).toBe(`${tag}-bob@example.com`);
    });

    test("groups: the realm's groups, joining and leaving (both idempotent), and an unknown group", async () => {
      const groups = await kc.listGroups(realm);
      for (const name of ["admins", "technicians", "billing", "client"])
        expect(groups.find((g) => g.name === name)).toMatchObject({ name, path: `/${name}` });
      expect(groups.map((g) => g.name)).toEqual([...groups.map((g) => g.name)].sort());
      const billing = (await kc.findGroup(realm, "billing"))!;
      expect(billing.id).toBe(groups.find((g) => g.name === "billing")!.id!);
      expect(await kc.findGroup(realm, "bill")).toBeNull();
      const carol = (await kc.findUser(realm, `${tag}-carol`))!;
      const admins = groups.find((g) => g.name === "admins")!;
      await kc.addUserToGroup(realm, carol.id!, billing.id!);
      await kc.addUserToGroup(realm, carol.id!, billing.id!);
      await kc.addUserToGroup(realm, carol.id!, admins.id!);
      expect((await kc.userGroups(realm, carol.id!)).map((g) => g.name)).toEqual(["admins", "billing"]);
      await kc.removeUserFromGroup(realm, carol.id!, admins.id!);
      await kc.removeUserFromGroup(realm, carol.id!, admins.id!);
      expect((await kc.userGroups(realm, carol.id!)).map((g) => g.name)).toEqual(["billing"]);
      expect((await refusal(kc.addUserToGroup(realm, carol.id!, "no-such-group"))).status).toBe(404);
      expect((await refusal(kc.groupMembers(realm, "no-such-group"))).status).toBe(404);
    });

    test("a group's members page by first/max in username order; allGroupMembers reads every page", async () => {
      const billing = (await kc.findGroup(realm, "billing"))!;
      for (const name of ["dave", "erin", "frank"])
        await kc.addUserToGroup(realm, (await kc.findUser(realm, `${tag}-${name}`))!.id!, billing.id!);
      const everyone = await kc.groupMembers(realm, billing.id!, 0, 1000);
      expect(everyone.length).toBeGreaterThanOrEqual(4);
      expect(everyone.map((u) => u.username)).toEqual(everyone.map((u) => u.username).sort());
      expect(everyone.map((u) => u.username)).toEqual(
        expect.arrayContaining(["carol", "dave", "erin", "frank"].map((n) => `${tag}-${n}`)),
      );
      expect((await kc.groupMembers(realm, billing.id!, 1, 2)).map((u) => u.id)).toEqual(
        everyone.slice(1, 3).map((u) => u.id),
      );
      expect((await kc.allGroupMembers(realm, billing.id!, 2)).map((u) => u.id)).toEqual(everyone.map((u) => u.id));
      expect(everyone.find((u) => u.username === `${tag}-dave`)).toMatchObject({
        enabled: true,
        email: `${tag}-dave@example.com`,
        firstName: "Dave",
      });
    });

    test("ending a user's sessions answers 204 (also when they have none); an unknown user is a 404", async () => {
      const id = await make("leaving");
      const res = await kc.call("POST", `/realms/${realm}/users/${id}/logout`);
      expect(res.status).toBe(204);
      await kc.logoutUser(realm, id);
      expect((await kc.getUser(realm, id)).enabled).toBe(true);
      expect((await refusal(kc.logoutUser(realm, "no-such-user"))).status).toBe(404);
      await kc.deleteUser(realm, id);
    });

    test("delete answers 204; the user is gone (404), and deleting again is a 404", async () => {
      const id = await make("gone");
      await kc.deleteUser(realm, id);
      expect((await refusal(kc.getUser(realm, id))).status).toBe(404);
      expect(await kc.findUserById(realm, id)).toBeNull();
      expect((await refusal(kc.deleteUser(realm, id))).status).toBe(404);
      expect(await kc.countUsers(realm, { search: `${tag}-gone` })).toBe(0);
    });

    test("an unknown realm is a 404", async () => {
      expect((await refusal(kc.searchUsers("no-such-realm"))).status).toBe(404);
    });
  });
}
