import { afterEach, beforeEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { REPO_ROOT } from "@hivematrix/lib/config";
import { createKeycloakAdmin } from "@hivematrix/lib/keycloak-admin";
import { startFakeKeycloak, type FakeKeycloak } from "@hivematrix/lib/testing/fake-keycloak";
import { tempHome, writeServicesFile } from "@hivematrix/lib/testing";
import { GROUPS, setUpRealm, type RealmSpec } from "../keycloak/realm-setup.ts";

// Starting real processes (and a browser) can take longer than bun's 5 s default on a busy machine.
setDefaultTimeout(60_000);

let kc: FakeKeycloak;
beforeEach(() => {
  kc = startFakeKeycloak({ password: "bootstrap-secret" });
});
afterEach(() => kc.stop());

const spec: RealmSpec = {
  realm: "hivematrix",
  clientId: "core-client",
  clientSecret: "the-shared-client-secret",
  nexusOrigin: "https://hive.example.com",
  adminUsername: "admin",
};
const adminApi = () => createKeycloakAdmin({ url: kc.url, username: "admin", password: "bootstrap-secret" });

describe("setting up the realm", () => {
  test("creates the realm, the confidential client with exact redirect URIs, mappers, groups and a first admin", async () => {
    const result = await setUpRealm(adminApi(), spec);
    const realm = kc.realms.get("hivematrix")!;
    expect(realm.rep).toMatchObject({
      realm: "hivematrix",
      enabled: true,
      registrationAllowed: false,
      sslRequired: "external",
      // Brute-force detection: a handful of wrong passwords locks the user out for a while.
      bruteForceProtected: true,
      permanentLockout: false,
      failureFactor: 5,
      waitIncrementSeconds: 60,
      maxFailureWaitSeconds: 900,
      quickLoginCheckMilliSeconds: 1000,
      minimumQuickLoginWaitSeconds: 60,
      maxDeltaTimeSeconds: 43_200,
    });

    const client = [...realm.clients.values()][0]!;
    expect(client).toMatchObject({
      clientId: "core-client",
      publicClient: false,
      secret: "the-shared-client-secret",
      standardFlowEnabled: true,
      directAccessGrantsEnabled: false,
      implicitFlowEnabled: false,
    });
    // Keycloak answers on one origin (its --hostname): only that one is registered.
    expect(client.redirectUris).toEqual(["https://hive.example.com/keycloak-callback"]);
    expect(client.webOrigins).toEqual(["https://hive.example.com"]);
    expect(client.redirectUris!.some((u) => u.includes("*"))).toBe(false);
    expect(client.attributes!["post.logout.redirect.uris"]).toBe("https://hive.example.com/signed-out");
    expect(client.attributes!["pkce.code.challenge.method"]).toBe("S256");

    const groupsMapper = client.mappers.find((m) => m.name === "groups")!;
    expect(groupsMapper.protocolMapper).toBe("oidc-group-membership-mapper");
    expect(groupsMapper.config).toMatchObject({
      "full.path": "false",
      "id.token.claim": "true",
      "access.token.claim": "true",
      "userinfo.token.claim": "true",
      "claim.name": "groups",
    });
    expect(client.mappers.find((m) => m.name === "company")!.config["user.attribute"]).toBe("company");
    expect(realm.profile.attributes.some((a) => a.name === "company")).toBe(true);

    expect([...realm.groups.values()].map((g) => g.name).sort()).toEqual([...GROUPS].sort());
    const user = [...realm.users.values()].find((u) => u.username === "admin")!;
    const admins = [...realm.groups.values()].find((g) => g.name === "admins")!;
    expect(user.groupIds.has(admins.id!)).toBe(true);
    expect(result.adminPassword).toBeString();
    expect(result.adminPassword!.length).toBeGreaterThanOrEqual(20);
    expect(user.password).toBe(result.adminPassword!);
    expect(result.adminPassword).not.toBe("admin");
  });

  test("a second run changes nothing", async () => {
    await setUpRealm(adminApi(), spec);
    const writesBefore = kc.writes().length;
    const again = await setUpRealm(adminApi(), spec);
    expect(again.changes).toEqual([]);
    expect(again.adminPassword).toBeNull();
    expect(kc.writes().length).toBe(writesBefore);
    expect(kc.writes().map((c) => `${c.method} ${c.path}`)).not.toContain("PUT /realms/hivematrix/users/");
  });

  test("drift is repaired: a wildcard redirect URI, a changed mapper, a lost group membership", async () => {
    await setUpRealm(adminApi(), spec);
    const realm = kc.realms.get("hivematrix")!;
    const client = [...realm.clients.values()][0]!;
    client.redirectUris = ["https://hive.example.com/*"];
    client.secret = "rotated-by-hand";
    client.mappers.find((m) => m.name === "groups")!.config["full.path"] = "true";
    const user = [...realm.users.values()][0]!;
    const passwordBefore = user.password;
    user.groupIds.clear();

    const result = await setUpRealm(adminApi(), spec);
    expect(result.changes).toEqual([
      "updated client core-client (redirectUris, secret)",
      "updated mapper groups",
      "added admin to admins",
    ]);
    expect(client.redirectUris).toEqual(["https://hive.example.com/keycloak-callback"]);
    expect(client.secret).toBe("the-shared-client-secret");
    expect(client.mappers.find((m) => m.name === "groups")!.config["full.path"]).toBe("false");
    expect(user.groupIds.size).toBe(1);
    expect(user.password).toBe(passwordBefore);
  });

  test("a realm set up before brute-force detection was configured gets it", async () => {
    await setUpRealm(adminApi(), spec);
    const realm = kc.realms.get("hivematrix")!;
    realm.rep = { realm: "hivematrix", enabled: true, bruteForceProtected: false, displayName: "Our MSP" };
    const result = await setUpRealm(adminApi(), spec);
    expect(result.changes[0]).toStartWith("updated realm hivematrix (");
    expect(result.changes[0]).toContain("bruteForceProtected");
    expect(result.changes[0]).toContain("failureFactor");
    expect(realm.rep).toMatchObject({ bruteForceProtected: true, failureFactor: 5, permanentLockout: false });
    expect((await setUpRealm(adminApi(), spec)).changes).toEqual([]);
  });
});

describe("bun run keycloak:setup", () => {
  // Asynchronous: the fake Keycloak answers from this process's event loop.
  const run = async (env: Record<string, string>) => {
    const proc = Bun.spawn(["bun", join(REPO_ROOT, "scripts/keycloak-setup.ts")], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
    return { code: await proc.exited, out, err };
  };

  test("prints the first admin's password once, then reports nothing to change", async () => {
    const home = tempHome();
    const services = writeServicesFile(home, {
      core: { port: 15000, visible: false },
      nexus: { port: 18000, visible: false, host: "0.0.0.0" },
    });
    const env = {
      HIVEMATRIX_HOME: home,
      HIVEMATRIX_SERVICES: services,
      KEYCLOAK_URL: kc.url,
      KEYCLOAK_ADMIN_PASSWORD: "bootstrap-secret",
      NEXUS_PUBLIC_URL: "https://hive.example.com",
    };
    const first = await run(env);
    expect(first.code).toBe(0);
    expect(first.out).toContain("created client core-client");
    const password = /First HiveMatrix admin: admin \/ (\S+)/.exec(first.out)?.[1];
    expect(password).toBeString();
    const second = await run(env);
    expect(second.code).toBe(0);
    expect(second.out).toContain("nothing to change");
    expect(second.out).not.toContain(password!);
    const client = [...kc.realms.get("hivematrix")!.clients.values()][0]!;
    expect(client.redirectUris).toEqual(["https://hive.example.com/keycloak-callback"]);
  }, 30_000);

  test("a wrong admin password is one clear line and exit code 1", async () => {
    const home = tempHome();
    const services = writeServicesFile(home, {
      core: { port: 15000, visible: false },
      nexus: { port: 18000, visible: false, host: "0.0.0.0" },
    });
    const res = await run({
      HIVEMATRIX_HOME: home,
      HIVEMATRIX_SERVICES: services,
      KEYCLOAK_URL: kc.url,
      KEYCLOAK_ADMIN_PASSWORD: "wrong",
    });
    expect(res.code).toBe(1);
    expect(res.err).toContain("the admin username or password is wrong");
  }, 30_000);
});

describe("the realm's one origin", () => {
  const setup = async (entries: Parameters<typeof writeServicesFile>[1]) => {
    const home = tempHome();
    const { NEXUS_PUBLIC_URL: _unset, ...inherited } = process.env;
    const proc = Bun.spawn(["bun", "scripts/keycloak-setup.ts"], {
      cwd: REPO_ROOT,
      env: {
        ...inherited,
        HIVEMATRIX_HOME: home,
        HIVEMATRIX_SERVICES: writeServicesFile(home, entries),
        KEYCLOAK_URL: kc.url,
        KEYCLOAK_ADMIN_PASSWORD: "bootstrap-secret",
      },
      stdout: "pipe",
      stderr: "pipe",
    });
    return { code: await proc.exited, err: await new Response(proc.stderr).text() };
  };

  test("without NEXUS_PUBLIC_URL it is Nexus's port on localhost, the URL Keycloak is started with", async () => {
    const core = { port: 15000, visible: false };
    expect((await setup({ core, nexus: { port: 18000, visible: false, host: "0.0.0.0" } })).code).toBe(0);
    const client = [...kc.realms.get("hivematrix")!.clients.values()][0]!;
    expect(client.redirectUris).toEqual(["http://localhost:18000/keycloak-callback"]);
  }, 30_000);

  test("a registry without Nexus and no NEXUS_PUBLIC_URL is one line naming the variable", async () => {
    const res = await setup({ core: { port: 15000, visible: false } });
    expect(res.code).toBe(1);
    expect(res.err).toContain("NEXUS_PUBLIC_URL");
  }, 30_000);
});
