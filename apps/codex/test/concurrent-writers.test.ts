import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, count, eq, inArray, isNull } from "drizzle-orm";
import { ENGINES, startCodex, type CodexUnderTest } from "./harness.ts";

/**
 * Every read-modify-write of Codex under 50 concurrent writers, on each engine: whatever the
 * interleaving, the stored state is exactly what the acknowledged writes add up to, and no
 * natural key ends up with two records.
 */
const WRITERS = 50;

const many = <T>(fn: (i: number) => Promise<T>) => Promise.all(Array.from({ length: WRITERS }, (_, i) => fn(i)));

for (const engine of ENGINES) {
  describe(`50 concurrent writers on ${engine}`, () => {
    let codex: CodexUnderTest;
    const tech = (method: string, path: string, body?: unknown) => codex.call("technician", method, path, body);
    const billing = (method: string, path: string, body?: unknown) => codex.call("billing", method, path, body);
    const statuses = (responses: Response[]) => [...new Set(responses.map((r) => r.status))];

    beforeAll(async () => {
      codex = await startCodex(engine);
      expect((await tech("POST", "/api/companies", { account_number: "RACE-1", name: "Race One" })).status).toBe(201);
    });
    afterAll(() => codex.stop());

    test("time logged on one ticket: total_minutes is the sum of every acknowledged entry", async () => {
      const ticket = await (await tech("POST", "/api/tickets", { company: "RACE-1", subject: "Busy" })).json();
      // Half log through the API, half arrive as a sync's bulk rows with their own external ids.
      const responses = await many((i) =>
        i % 2
          ? tech("POST", `/api/tickets/${ticket.id}/time-entries`, { minutes: 1 + (i % 17) })
          : tech("POST", "/api/tickets/bulk", {
              rows: [
                {
                  company: "RACE-1",
                  subject: "Busy",
                  external_source: "psa",
                  external_id: "T-1",
                  time_entries: [{ minutes: 1 + (i % 17), external_source: "psa", external_id: `TE-${i}` }],
                },
              ],
            }),
      );
      expect(statuses(responses).sort()).toEqual([200, 201]);
      const logged = Array.from({ length: WRITERS }, (_, i) => 1 + (i % 17));
      const apiMinutes = logged.filter((_, i) => i % 2).reduce((a, b) => a + b, 0);
      const syncMinutes = logged.filter((_, i) => i % 2 === 0).reduce((a, b) => a + b, 0);
      expect((await (await tech("GET", `/api/tickets/${ticket.id}`)).json()).total_minutes).toBe(apiMinutes);
      const synced = codex.deps.db;
      const [row] = await synced.db
        .select()
        .from(synced.t.tickets)
        .where(and(eq(synced.t.tickets.externalSource, "psa"), eq(synced.t.tickets.externalId, "T-1")));
      expect(row!.totalMinutes).toBe(syncMinutes);
      const [{ n }] = (await synced.db
        .select({ n: count() })
        .from(synced.t.ticketTimeEntries)
        .where(eq(synced.t.ticketTimeEntries.ticketId, row!.id))) as [{ n: number }];
      expect(Number(n)).toBe(WRITERS / 2);
    });

    test("the same five assets upserted by hostname: five assets, five creates acknowledged in all", async () => {
      const hosts = ["WS-1", "WS-2", "WS-3", "SRV-1", "FW-1"];
      const responses = await many((i) =>
        tech("POST", "/api/assets/bulk", {
          rows: hosts.map((hostname) => ({ company: "RACE-1", hostname, description: `writer ${i}` })),
        }),
      );
      expect(statuses(responses)).toEqual([200]);
      const results = await Promise.all(responses.map((r) => r.json()));
      expect(results.reduce((n, r) => n + r.created, 0)).toBe(hosts.length);
      const db = codex.deps.db;
      const stored = await db.db.select().from(db.t.assets).where(inArray(db.t.assets.hostname, hosts));
      expect(stored.map((a) => a.hostname).sort()).toEqual([...hosts].sort());
      // Every writer was answered with the ids of those five.
      const ids = new Set(stored.map((a) => a.id));
      for (const r of results) for (const row of r.results) expect(ids.has(row.id)).toBe(true);
    });

    test("the same five assets upserted by external id: five assets and no errors", async () => {
      const responses = await many(() =>
        tech("POST", "/api/assets/bulk", {
          rows: [1, 2, 3, 4, 5].map((n) => ({
            company: "RACE-1",
            hostname: `RMM-${n}`,
            external_source: "datto",
            external_id: `dev-${n}`,
          })),
        }),
      );
      expect(statuses(responses)).toEqual([200]);
      const db = codex.deps.db;
      const [{ n }] = (await db.db
        .select({ n: count() })
        .from(db.t.assets)
        .where(eq(db.t.assets.externalSource, "datto"))) as [{ n: number }];
      expect(Number(n)).toBe(5);
    });

    test("the same companies upserted by account number: one each", async () => {
      const responses = await many((i) =>
        tech("POST", "/api/companies/bulk", {
          rows: ["BULK-1", "BULK-2", "BULK-3"].map((account_number) => ({ account_number, name: `Writer ${i}` })),
        }),
      );
      expect(statuses(responses)).toEqual([200]);
      const results = await Promise.all(responses.map((r) => r.json()));
      expect(results.reduce((n, r) => n + r.created, 0)).toBe(3);
      const db = codex.deps.db;
      expect(
        await db.db
          .select()
          .from(db.t.companies)
          .where(inArray(db.t.companies.accountNumber, ["BULK-1", "BULK-2", "BULK-3"])),
      ).toHaveLength(3);
    });

    test("one asset's billing override set by every writer: one row, an audit row per acknowledged write", async () => {
      const asset = await (await tech("POST", "/api/assets", { company: "RACE-1", hostname: "BILLED-1" })).json();
      const responses = await many((i) =>
        billing("PUT", `/api/assets/${asset.id}/billing-override`, { billing_type: "custom", custom_cents: 100 + i }),
      );
      expect(statuses(responses)).toEqual([200]);
      const db = codex.deps.db;
      const rows = await db.db
        .select()
        .from(db.t.assetBillingOverrides)
        .where(eq(db.t.assetBillingOverrides.assetId, asset.id));
      expect(rows).toHaveLength(1);
      const audits = await db.db
        .select()
        .from(db.t.auditLog)
        .where(and(eq(db.t.auditLog.entity, "asset_billing_override"), eq(db.t.auditLog.entityId, String(asset.id))));
      expect(audits).toHaveLength(WRITERS);
      expect(audits.filter((a) => a.action === "create")).toHaveLength(1);
    });

    test("rate overrides switched off by racing writers: every value is parked, none lost", async () => {
      const fields = [
        "per_user_cents",
        "per_workstation_cents",
        "per_server_cents",
        "per_vm_cents",
        "per_switch_cents",
        "per_firewall_cents",
        "per_hour_cents",
        "prepaid_minutes_monthly",
        "prepaid_minutes_yearly",
        "backup_base_workstation_cents",
        "backup_base_server_cents",
        "backup_included_tb",
        "backup_per_tb_cents",
      ];
      const all = Object.fromEntries(fields.map((f, i) => [f, 1000 + i]));
      expect((await billing("PUT", "/api/companies/RACE-1/billing-overrides", all)).status).toBe(200);
      const responses = await many((i) =>
        billing("PUT", "/api/companies/RACE-1/billing-overrides", { [fields[i % fields.length]!]: null }),
      );
      expect(statuses(responses)).toEqual([200]);
      const after = await (await billing("GET", "/api/companies/RACE-1/billing-overrides")).json();
      expect(after.parked).toEqual(all);
      for (const f of fields) expect(after[f]).toBeNull();
    });

    test("racing first replies: first_responded_at is the first reply's time", async () => {
      const ticket = await (await tech("POST", "/api/tickets", { company: "RACE-1", subject: "Who answers?" })).json();
      const responses = await many((i) => tech("POST", `/api/tickets/${ticket.id}/replies`, { body: `reply ${i}` }));
      expect(statuses(responses)).toEqual([201]);
      const db = codex.deps.db;
      const [row] = await db.db.select().from(db.t.tickets).where(eq(db.t.tickets.id, ticket.id));
      const entries = await db.db.select().from(db.t.ticketEntries).where(eq(db.t.ticketEntries.ticketId, ticket.id));
      expect(entries).toHaveLength(WRITERS);
      const first = Math.min(...entries.map((e) => e.createdAt.getTime()));
      expect(row!.firstRespondedAt!.getTime()).toBe(first);
    });

    test("no hostname is left with two assets that no sync owns", async () => {
      const db = codex.deps.db;
      const local = await db.db
        .select({ companyId: db.t.assets.companyId, hostname: db.t.assets.hostname })
        .from(db.t.assets)
        .where(isNull(db.t.assets.externalId));
      const keys = local.map((a) => `${a.companyId}/${a.hostname}`);
      expect(new Set(keys).size).toBe(keys.length);
    });
  });
}
