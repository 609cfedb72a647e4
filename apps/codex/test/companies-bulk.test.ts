import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { upsertTickets } from "../src/tickets/data.ts";
import { ENGINES, startCodex, type CodexUnderTest } from "./harness.ts";
import { seedFixture } from "./fixtures.ts";

interface BulkItem {
  company: { account_number: string };
  assets: { hostname: string }[];
  contacts: { name: string; companies: string[] }[];
  locations: { name: string }[];
  tickets?: { subject: string }[];
}

for (const engine of ENGINES) {
  describe(`GET /api/companies/bulk and ticket sources (${engine})`, () => {
    let codex: CodexUnderTest;

    beforeAll(async () => {
      codex = await startCodex(engine);
      await seedFixture(codex.deps.db);
      await upsertTickets(
        codex.deps.db,
        [{ company: "ACME-001", subject: "From the PSA", external_id: "77", external_source: "freshservice" }],
        { name: "sync:freshservice" },
      );
    });
    afterAll(() => codex.stop());

    const get = async (path: string, level: "technician" | "client" | "service" = "technician") => {
      const res = await codex.call(level, "GET", path);
      expect([path, res.status]).toEqual([path, 200]);
      return res.json() as Promise<{ items: BulkItem[]; next_cursor: string | null }>;
    };

    test("every company with its assets, contacts and locations, a page at a time", async () => {
      const first = await get("/api/companies/bulk?limit=2");
      expect(first.items.map((i) => i.company.account_number)).toEqual(["ACME-001", "BETA-002"]);
      const acme = first.items[0]!;
      expect(acme.assets.map((a) => a.hostname)).toEqual(["ACME-SRV-01", "ACME-WS-01"]);
      expect(acme.contacts.map((c) => c.name)).toEqual(["Ann Archer", "Carol Chen"]);
      expect(acme.contacts[1]!.companies).toEqual(["ACME-001", "BETA-002"]);
      expect(acme.locations.map((l) => l.name)).toEqual(["Main office"]);
      expect(acme.tickets).toBeUndefined();
      const second = await get(`/api/companies/bulk?limit=2&cursor=${first.next_cursor}`);
      expect(second.items.map((i) => i.company.account_number)).toEqual(["GAMMA-003"]);
      expect(second.next_cursor).toBeNull();
    });

    test("tickets when asked for, optionally of one year", async () => {
      const withTickets = await get("/api/companies/bulk?include_tickets=true");
      expect(withTickets.items[0]!.tickets!.map((t) => t.subject).sort()).toEqual([
        "From the PSA",
        "Printer jammed on floor 2",
      ]);
      const year = new Date().getUTCFullYear();
      expect((await get(`/api/companies/bulk?include_tickets=true&year=${year - 1}`)).items[0]!.tickets).toEqual([]);
      expect((await codex.call("technician", "GET", "/api/companies/bulk?limit=9999")).status).toBe(422);
    });

    test("a company's tickets of one year (this used to answer 500: a raw SQL date did not bind)", async () => {
      const year = new Date().getUTCFullYear();
      const now = (await (
        await codex.call("technician", "GET", `/api/companies/ACME-001/tickets?year=${year}`)
      ).json()) as { items: unknown[] };
      expect(now.items).toHaveLength(2);
      const before = (await (
        await codex.call("technician", "GET", `/api/companies/ACME-001/tickets?year=${year - 1}`)
      ).json()) as { items: unknown[] };
      expect(before.items).toEqual([]);
    });

    test("a client gets only its own company, and only its own side of shared contacts", async () => {
      const body = await get("/api/companies/bulk?include_tickets=true", "client");
      expect(body.items.map((i) => i.company.account_number)).toEqual(["ACME-001"]);
      expect(body.items[0]!.contacts.find((c) => c.name === "Carol Chen")!.companies).toEqual(["ACME-001"]);
      expect(JSON.stringify(body)).not.toContain("BETA");
    });

    test("tickets filter by where they came from", async () => {
      const res = await codex.call("service", "GET", "/api/tickets?source=freshservice");
      expect(((await res.json()) as { items: { subject: string }[] }).items.map((t) => t.subject)).toEqual([
        "From the PSA",
      ]);
    });
  });
}
