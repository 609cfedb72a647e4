import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { updateAsset } from "../../src/assets/data.ts";
import { upsertCompanies } from "../../src/companies/data.ts";
import { linkSite } from "../../src/integrations/sync/rmm.ts";
import { ENGINES } from "./engines.ts";
import { fakeDevice, startFakeDatto, type FakeDatto } from "./fakes/datto.ts";
import { configureDatto, testContext, type TestContext } from "./setup.ts";
import { saveIntegrationSecret, SECRET_NAMES } from "../../src/integrations/secrets.ts";
import { createKeycloakAdmin, type KeycloakAdmin } from "@hivematrix/lib/keycloak-admin";
import { FAKE, IDENTITY_PROVIDERS, type IdentityProvider } from "./identity-providers.ts";
import { seed } from "../../src/seed/seed.ts";

for (const engine of ENGINES) {
  describe(`Datto RMM sync (${engine})`, () => {
    let t: TestContext;
    let datto: FakeDatto;

    beforeAll(async () => {
      t = await testContext(engine);
      await upsertCompanies(
        t.h.db,
        [
          { account_number: "ACME-001", name: "Acme" },
          { account_number: "BETA-002", name: "Beta" },
        ],
        { name: "admin" },
      );
      datto = await startFakeDatto([
        {
          uid: "site-acme",
          name: "Acme HQ",
          variables: [{ id: 1, name: "AccountNumber", value: "ACME-001" }],
          devices: [
            fakeDevice("dev-1", "PC-01", "site-acme", {
              siteName: "Acme HQ",
              udf: { udf1: "tenant-a", udf2: "BITLOCKER-KEY", udf6: String(2 ** 40) },
            }),
            // Two devices with one hostname stay two assets.
            fakeDevice("dev-2", "DUPLICATE", "site-acme", {
              siteName: "Acme HQ",
              deviceType: { category: "Server", type: "Server" },
            }),
            fakeDevice("dev-3", "DUPLICATE", "site-acme", { siteName: "Acme HQ" }),
          ],
        },
        {
          uid: "site-beta",
          name: "Beta Office",
          variables: [{ id: 2, name: "AccountNumber", value: "BETA-002" }],
          devices: [fakeDevice("dev-9", "BETA-PC", "site-beta", { siteName: "Beta Office" })],
        },
        { uid: "site-new", name: "Gamma Ltd", variables: [], devices: [fakeDevice("dev-20", "GAMMA-PC", "site-new")] },
        {
          uid: "site-unknown",
          name: "Delta",
          variables: [{ id: 3, name: "AccountNumber", value: "NOPE-404" }],
          devices: [],
        },
      ]);
      await configureDatto(t.ctx, datto, { udfLabels: { udf1: "Entra tenant" }, backupBytesUdf: "udf6" });
    });
    afterAll(async () => {
      await t.close();
      await datto.stop();
    });

    const assets = () => t.h.db.db.select().from(t.h.db.t.assets);

    test("links sites by AccountNumber and turns devices into assets keyed by device uid", async () => {
      const job = await (await t.integrations.start("rmm", "admin")).done;
      expect(job.error).toBeNull();
      expect(job.counts).toMatchObject({
        sites_fetched: 4,
        sites_linked: 2,
        sites_without_account_number: 1,
        sites_with_unknown_account_number: 1,
        assets_created: 4,
      });
      const rows = await assets();
      expect(
        rows
          .filter((a) => a.hostname === "DUPLICATE")
          .map((a) => a.externalId)
          .sort(),
      ).toEqual(["dev-2", "dev-3"]);
      const pc = rows.find((a) => a.externalId === "dev-1")!;
      expect(pc).toMatchObject({
        externalSource: "datto",
        online: true,
        antivirusProduct: "Datto AV",
        patchStatus: "FullyPatched",
        rmmSiteName: "Acme HQ",
        backupBytes: 2 ** 40,
        backedUp: true,
      });
      expect(pc.customFields).toEqual({ "Entra tenant": "tenant-a" });
      expect(JSON.stringify(rows)).not.toContain("BITLOCKER-KEY");
      expect(rows.find((a) => a.externalId === "dev-2")!.assetType).toBe("server");
      expect(pc.lastSeenAt!.toISOString()).toBe(new Date(Date.UTC(2025, 0, 2, 3, 4, 5)).toISOString());
      const links = await t.h.db.db.select().from(t.h.db.t.rmmSiteLinks);
      expect(links.map((l) => l.siteUid).sort()).toEqual(["site-acme", "site-beta"]);
    });

    test("a local edit survives; a device gone from a fully read site is reported and kept", async () => {
      const [pc] = await t.h.db.db.select().from(t.h.db.t.assets).where(eq(t.h.db.t.assets.externalId, "dev-1"));
      await updateAsset(t.h.db, pc!, { description: "Reception desk" }, { name: "alice" });
      const site = datto.sites[0]!;
      site.devices[0] = { ...site.devices[0]!, description: "from RMM", online: false };
      site.devices.splice(2, 1);
      const job = await (await t.integrations.start("rmm", "admin")).done;
      expect(job.status).toBe("succeeded");
      expect(job.counts.assets_missing_in_rmm).toBe(1);
      expect(job.output).toContain("DUPLICATE");
      const rows = await assets();
      expect(rows).toHaveLength(4);
      const after = rows.find((a) => a.externalId === "dev-1")!;
      expect(after.description).toBe("Reception desk");
      expect(after.online).toBe(false);
    });

    test("a site whose device list fails is left untouched and the run fails; other sites still sync", async () => {
      datto.sites[1]!.devices = [];
      datto.sites[0]!.devices.push(fakeDevice("dev-4", "PC-04", "site-acme", { siteName: "Acme HQ" }));
      datto.faults.add({ match: /site\/site-beta\/devices/, status: 503, times: Infinity });
      const job = await (await t.integrations.start("rmm", "admin")).done;
      datto.faults.clear();
      expect(job.status).toBe("failed");
      expect(job.error).toContain("left unchanged");
      const rows = await assets();
      expect(rows.some((a) => a.externalId === "dev-9")).toBe(true);
      expect(rows.some((a) => a.externalId === "dev-4")).toBe(true);
    });

    test("items 5 and 6: UDFs to udf300 are kept; an unusable device is skipped and named, its site kept", async () => {
      await configureDatto(t.ctx, datto, { udfLabels: { udf1: "Entra tenant", udf250: "Backup vault" } });
      datto.sites[1]!.devices = [
        fakeDevice("dev-9", "BETA-PC", "site-beta", { siteName: "Beta Office", udf: { udf250: "vault-7" } }),
        fakeDevice("dev-10", "ignored", "site-beta", {
          hostname: null,
          siteName: "Beta Office",
          description: null,
          deviceType: null,
          operatingSystem: null,
          online: null,
          lastSeen: null,
          patchManagement: null,
        }),
        fakeDevice("dev-11", "NO-UID", "site-beta", { uid: null, siteName: "Beta Office" }),
      ];
      const job = await (await t.integrations.start("rmm", "admin")).done;
      expect(job.error).toBeNull();
      expect(job.counts.devices_unusable).toBe(1);
      expect(job.output).toContain("NO-UID");
      const rows = await assets();
      expect(rows.find((a) => a.externalId === "dev-9")!.customFields).toEqual({ "Backup vault": "vault-7" });
      expect(rows.find((a) => a.externalId === "dev-10")!.hostname).toBe("dev-10");
    });

    test("linking a site writes AccountNumber in Datto and the site link in Codex", async () => {
      await upsertCompanies(t.h.db, [{ account_number: "GAMMA-003", name: "Gamma" }], { name: "admin" });
      expect(await linkSite(t.ctx, "site-new", "GAMMA-003", "admin")).toBe("created");
      expect(datto.sites[2]!.variables).toEqual([
        expect.objectContaining({ name: "AccountNumber", value: "GAMMA-003" }),
      ]);
      const job = await (await t.integrations.start("rmm", "admin")).done;
      expect(job.counts.sites_linked).toBe(3);
      expect((await assets()).some((a) => a.externalId === "dev-20")).toBe(true);
      await expect(linkSite(t.ctx, "site-new", "NOPE-1", "admin")).rejects.toThrow("no company");
    });
  });

  describe(`a fresh install: the demo's agents meet the dev IdP's people (${engine})`, () => {
    test("the agent sync merges the demo's admin, tech and billing into the IdP's users, once", async () => {
      const idp = await IDENTITY_PROVIDERS["the dev IdP"]!();
      const t = await testContext(engine, { url: idp.url, realm: "hivematrix" });
      try {
        saveIntegrationSecret(t.ctx.home, SECRET_NAMES.keycloakAdmin, idp.password);
        await seed(t.h.db, "demo");
        const agents = async () =>
          (await t.h.db.db.select().from(t.h.db.t.agents))
            .sort((a, b) => a.id - b.id)
            .map((a) => ({ id: a.id, username: a.username, email: a.email, linked: Boolean(a.idpUserId) }));
        const before = await agents();
        const job = await (await t.integrations.start("agents", "admin")).done;
        expect([job.status, job.error]).toEqual(["succeeded", null]);
        expect(job.counts).toMatchObject({ users_fetched: 3, agents_updated: 3 });
        expect(job.counts.agents_errors).toBeUndefined();
        expect(await agents()).toEqual(
          before.map((a) =>
            ["admin", "tech", "billing"].includes(a.username!)
              ? { ...a, email: `${a.username}@hivematrix.local`, linked: true }
              : a,
          ),
        );
        const again = await (await t.integrations.start("agents", "admin")).done;
        expect([again.status, again.counts.agents_created, again.counts.agents_errors]).toEqual([
          "succeeded",
          0,
          undefined,
        ]);
        expect((await agents()).length).toBe(before.length);
      } finally {
        await t.close();
        await idp.stop();
      }
    }, 60_000);
  });

  for (const [provider, startProvider] of Object.entries(IDENTITY_PROVIDERS)) {
    describe(`Keycloak agent sync from ${provider} (${engine})`, () => {
      let t: TestContext;
      let idp: IdentityProvider;
      let realmAdmin: KeycloakAdmin;
      const userId = async (username: string) => (await realmAdmin.findUser("hivematrix", username))!.id!;

      beforeAll(async () => {
        idp = await startProvider();
        realmAdmin = createKeycloakAdmin({ url: idp.url, username: "admin", password: idp.password });
        // Only this test's people: the dev IdP's seeded users go first.
        for (const u of await realmAdmin.searchUsers("hivematrix", { max: 1000 }))
          await realmAdmin.deleteUser("hivematrix", u.id!);
        // 230 technicians, 20 admins (5 of them also technicians), 40 billing, 60 client users.
        const users = [
          ...Array.from({ length: 230 }, (_, i) => ({
            username: `tech${i}`,
            email: `tech${i}@msp.example`,
            firstName: "Tech",
            lastName: String(i),
            groups: i < 5 ? ["technicians", "admins"] : ["technicians"],
          })),
          ...Array.from({ length: 15 }, (_, i) => ({
            username: `admin${i}`,
            email: `admin${i}@msp.example`,
            groups: ["admins"],
          })),
          ...Array.from({ length: 40 }, (_, i) => ({
            username: `bill${i}`,
            email: i === 0 ? undefined : `bill${i}@msp.example`,
            groups: ["billing"],
          })),
          ...Array.from({ length: 60 }, (_, i) => ({
            username: `client${i}`,
            email: `c${i}@client.example`,
            groups: ["client"],
          })),
        ];
        for (const u of users) await realmAdmin.createUser("hivematrix", { ...u, enabled: true });
        t = await testContext(engine, { url: idp.url, realm: "hivematrix" });
        saveIntegrationSecret(t.ctx.home, SECRET_NAMES.keycloakAdmin, idp.password);
      });
      afterAll(async () => {
        await t.close();
        await idp.stop();
      });

      test("reads every page of every staff group (more than 100 users) and skips client users", async () => {
        const job = await (await t.integrations.start("agents", "admin")).done;
        expect(job.error).toBeNull();
        expect(job.counts).toMatchObject({ users_fetched: 285, users_without_email: 1, agents_created: 284 });
        const agents = await t.h.db.db.select().from(t.h.db.t.agents);
        expect(agents).toHaveLength(284);
        expect(agents.some((a) => a.username === "tech229")).toBe(true);
        expect(agents.some((a) => a.username?.startsWith("client"))).toBe(false);
        const technicians = (await realmAdmin.findGroup("hivematrix", "technicians"))!.id!;
        if (idp.calls)
          expect(
            idp.calls().filter((path) => path.includes(`/groups/${technicians}/members?first=200&max=100`)),
          ).toHaveLength(1);
      });

      test("someone removed from the staff groups is disabled, not deleted", async () => {
        const tech100 = await userId("tech100");
        await realmAdmin.removeUserFromGroup(
          "hivematrix",
          tech100,
          (await realmAdmin.findGroup("hivematrix", "technicians"))!.id!,
        );
        await realmAdmin.addUserToGroup(
          "hivematrix",
          tech100,
          (await realmAdmin.findGroup("hivematrix", "client"))!.id!,
        );
        const job = await (await t.integrations.start("agents", "admin")).done;
        expect(job.counts.agents_disabled).toBe(1);
        const [row] = await t.h.db.db.select().from(t.h.db.t.agents).where(eq(t.h.db.t.agents.idpUserId, tech100));
        expect(row!.enabled).toBe(false);
      });

      test("a user disabled in the identity provider is synced as a disabled agent", async () => {
        const admin3 = await userId("admin3");
        await realmAdmin.editUser("hivematrix", admin3, { enabled: false });
        const job = await (await t.integrations.start("agents", "admin")).done;
        expect(job.error).toBeNull();
        const [row] = await t.h.db.db.select().from(t.h.db.t.agents).where(eq(t.h.db.t.agents.idpUserId, admin3));
        expect(row!.enabled).toBe(false);
      });

      // Only the fake can be told to fail a read part-way through.
      if (provider === FAKE) {
        test("a group whose members cannot be read fails the run and disables nobody", async () => {
          idp.failures!.push({ match: /\/members\?first=100/, status: 500 });
          const job = await (await t.integrations.start("agents", "admin")).done;
          idp.failures!.length = 0;
          expect(job.status).toBe("failed");
          expect(job.error).toContain("keycloak:");
          expect(job.counts.agents_disabled).toBeUndefined();
          const enabled = await t.h.db.db.select().from(t.h.db.t.agents).where(eq(t.h.db.t.agents.enabled, true));
          expect(enabled.length).toBeGreaterThan(200);
        });
      }

      test("wrong admin credentials fail the run with a clear message", async () => {
        saveIntegrationSecret(t.ctx.home, SECRET_NAMES.keycloakAdmin, "wrong");
        const job = await (await t.integrations.start("agents", "admin")).done;
        expect(job.status).toBe("failed");
        expect(job.error).toContain("admin account was refused");
        saveIntegrationSecret(t.ctx.home, SECRET_NAMES.keycloakAdmin, idp.password);
      });
    });
  }
}
