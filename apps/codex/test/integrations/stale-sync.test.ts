import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { companyByAccount, upsertCompanies } from "../../src/companies/data.ts";
import { ENGINES } from "./engines.ts";
import { fakeDevice, startFakeDatto, type FakeDatto } from "./fakes/datto.ts";
import { startFakeFreshservice, type FakeFreshservice } from "./fakes/freshservice.ts";
import { configureDatto, configureFreshservice, testContext, type TestContext } from "./setup.ts";

const departments = () => [
  { id: 11, name: "Acme Corp", custom_fields: { account_number: "ACME-001" } },
  { id: 12, name: "Beta LLC", custom_fields: { account_number: "BETA-002" } },
];

for (const engine of ENGINES) {
  describe(`stale marking from the PSA sync (${engine})`, () => {
    let t: TestContext;
    let fs: FakeFreshservice;

    beforeAll(async () => {
      t = await testContext(engine);
      fs = await startFakeFreshservice({ departments: departments(), requesters: [], agents: [] });
      await configureFreshservice(t.ctx, fs);
      expect((await (await t.integrations.start("psa", "admin")).done).status).toBe("succeeded");
    });
    afterAll(async () => {
      await t.close();
      await fs.stop();
    });

    const staleOf = async (acct: string) => (await companyByAccount(t.h.db, acct))!.staleSince;
    const audit = () =>
      t.h.db.db
        .select()
        .from(t.h.db.t.auditLog)
        .where(and(eq(t.h.db.t.auditLog.entity, "company"), eq(t.h.db.t.auditLog.actor, "sync:freshservice")));

    test("a failed fetch marks nothing stale", async () => {
      fs.data.departments.splice(1, 1);
      fs.faults.add({ match: /requesters/, status: 500, times: Infinity });
      const job = await (await t.integrations.start("psa", "admin")).done;
      fs.faults.clear();
      expect(job.status).toBe("failed");
      expect(await staleOf("BETA-002")).toBeNull();
    });

    test("a company missing from a complete fetch is marked stale (audited, kept), the others are not", async () => {
      const before = new Date();
      const job = await (await t.integrations.start("psa", "admin")).done;
      expect(job.status).toBe("succeeded");
      expect(job.counts).toMatchObject({ companies_missing_in_psa: 1, companies_marked_stale: 1 });
      expect(job.output).toContain("BETA-002");
      const since = await staleOf("BETA-002");
      expect(since!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
      expect(await staleOf("ACME-001")).toBeNull();
      const beta = (await companyByAccount(t.h.db, "BETA-002"))!;
      const rows = (await audit()).filter((r) => r.entityId === String(beta.id) && r.action === "update");
      expect(rows.map((r) => [r.before, Object.keys(r.after ?? {})])).toEqual([[{ staleSince: null }, ["staleSince"]]]);
      // A second complete run keeps the first date.
      expect((await (await t.integrations.start("psa", "admin")).done).counts.companies_marked_stale).toBeUndefined();
      expect((await staleOf("BETA-002"))!.getTime()).toBe(since!.getTime());
    });

    test("a company back in the PSA loses its stale mark", async () => {
      fs.data.departments.push(departments()[1]!);
      const job = await (await t.integrations.start("psa", "admin")).done;
      expect(job.counts).toMatchObject({ companies_no_longer_stale: 1 });
      expect(await staleOf("BETA-002")).toBeNull();
    });
  });

  describe(`stale marking from the RMM sync (${engine})`, () => {
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
            fakeDevice("dev-1", "PC-01", "site-acme", { siteName: "Acme HQ" }),
            fakeDevice("dev-2", "PC-02", "site-acme", { siteName: "Acme HQ" }),
          ],
        },
        {
          uid: "site-beta",
          name: "Beta Office",
          variables: [{ id: 2, name: "AccountNumber", value: "BETA-002" }],
          devices: [fakeDevice("dev-9", "BETA-PC", "site-beta", { siteName: "Beta Office" })],
        },
      ]);
      await configureDatto(t.ctx, datto);
      expect((await (await t.integrations.start("rmm", "admin")).done).status).toBe("succeeded");
    });
    afterAll(async () => {
      await t.close();
      await datto.stop();
    });

    const staleOf = async (uid: string) =>
      (await t.h.db.db.select().from(t.h.db.t.assets).where(eq(t.h.db.t.assets.externalId, uid)))[0]!.staleSince;

    test("a device gone from a completely read site is marked stale; a site that could not be read marks nothing", async () => {
      datto.sites[0]!.devices.splice(1, 1);
      datto.sites[1]!.devices = [];
      datto.faults.add({ match: /site\/site-beta\/devices/, status: 503, times: Infinity });
      const job = await (await t.integrations.start("rmm", "admin")).done;
      datto.faults.clear();
      expect(job.status).toBe("failed");
      expect(job.counts).toMatchObject({ assets_missing_in_rmm: 1, assets_marked_stale: 1 });
      expect(await staleOf("dev-2")).not.toBeNull();
      expect(await staleOf("dev-1")).toBeNull();
      expect(await staleOf("dev-9")).toBeNull();
      expect((await t.h.db.db.select().from(t.h.db.t.assets)).length).toBe(3);
    });

    test("a device reported again loses its mark", async () => {
      datto.sites[0]!.devices.push(fakeDevice("dev-2", "PC-02", "site-acme", { siteName: "Acme HQ" }));
      datto.sites[1]!.devices = [fakeDevice("dev-9", "BETA-PC", "site-beta", { siteName: "Beta Office" })];
      const job = await (await t.integrations.start("rmm", "admin")).done;
      expect(job.status).toBe("succeeded");
      expect(job.counts.assets_no_longer_stale).toBe(1);
      expect(await staleOf("dev-2")).toBeNull();
    });

    test("the devices of a site deleted in Datto become stale", async () => {
      datto.sites.splice(1, 1);
      const job = await (await t.integrations.start("rmm", "admin")).done;
      expect(job.status).toBe("succeeded");
      expect(job.output).toContain("no longer in Datto");
      expect(await staleOf("dev-9")).not.toBeNull();
      expect(await staleOf("dev-1")).toBeNull();
    });
  });
}
