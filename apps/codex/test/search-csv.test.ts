import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { count } from "drizzle-orm";
import { ENGINES, startCodex, type CodexUnderTest } from "./harness.ts";
import { GOLD, seedFixture } from "./fixtures.ts";
import { createPlan } from "../src/billing/plans/data.ts";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";

for (const engine of ENGINES) {
  describe(`search and CSV on ${engine}`, () => {
    let codex: CodexUnderTest;
    let fresh: CodexUnderTest;
    const tech = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      codex.call("technician", method, path, body, headers);
    const search = async (q: string) => (await tech("GET", `/api/search?q=${encodeURIComponent(q)}`)).json();

    beforeAll(async () => {
      codex = await startCodex(engine);
      await seedFixture(codex.deps.db);
      fresh = await startCodex(engine);
      await createPlan(fresh.deps.db, GOLD, { name: "t" });
      await createPlan(fresh.deps.db, { ...GOLD, name: "Silver", term: "month_to_month" }, { name: "t" });
      // Two databases to create and migrate: on Postgres, a busy machine takes more than the default 5 s.
    }, 30_000);
    afterAll(async () => {
      await codex.stop();
      await fresh.stop();
    });

    describe("search", () => {
      test("finds a company by name and by the start of a word", async () => {
        expect(
          (await search("acme dental")).companies.map((c: { account_number: string }) => c.account_number),
        ).toEqual(["ACME-001"]);
        expect((await search("gam")).companies.map((c: { name: string }) => c.name)).toEqual(["Gamma Law"]);
      });
      test("finds a contact by email", async () => {
        const r = await search("ann@acme.example");
        expect(r.contacts.map((c: { name: string }) => c.name)).toEqual(["Ann Archer"]);
      });
      test("finds an asset by hostname", async () => {
        expect(
          (await search("ACME-SRV-01")).assets.map((a: { hostname: string; company: string }) => [
            a.hostname,
            a.company,
          ]),
        ).toEqual([["ACME-SRV-01", "ACME-001"]]);
      });
      test("finds a ticket by subject, and newly written records at once", async () => {
        expect((await search("printer jammed")).tickets.map((t: { subject: string }) => t.subject)).toEqual([
          "Printer jammed on floor 2",
        ]);
        await tech("POST", "/api/tickets", { company: "BETA-002", subject: "Scanner offline in reception" });
        expect((await search("scanner")).tickets).toHaveLength(1);
        const renamed = await (await tech("GET", "/api/companies/GAMMA-003")).json();
        await tech("PUT", `/api/companies/${renamed.account_number}`, { name: "Gamma Legal Partners" });
        expect((await search("partners")).companies).toHaveLength(1);
        expect((await search("gamma law")).companies).toHaveLength(0);
      });
      test("filters by type; refuses an empty query", async () => {
        const r = await (await tech("GET", "/api/search?q=acme&types=assets")).json();
        expect(r.companies).toEqual([]);
        expect(r.assets.length).toBe(2);
        expect((await tech("GET", "/api/search?q=")).status).toBe(422);
        expect((await search('"*()')).companies).toEqual([]);
      });
    });

    describe("CSV", () => {
      test("export then import of the same CSV changes nothing", async () => {
        for (const kind of ["companies", "contacts", "assets"]) {
          const res = await tech("GET", `/api/${kind}/export.csv`);
          expect(res.headers.get("content-type")).toContain("text/csv");
          const csv = await res.text();
          const result = await (await tech("POST", `/api/${kind}/import`, csv, { "content-type": "text/csv" })).json();
          expect([kind, result.ok, result.created, result.updated, result.errors]).toEqual([kind, true, 0, 0, 0]);
          expect(result.unchanged).toBe(csv.trim().split("\n").length - 1);
        }
      });

      test("an edited CSV updates what changed; a formula-looking value survives as text", async () => {
        const csv = await (await tech("GET", "/api/companies/export.csv")).text();
        const edited = csv.replace("Beta Logistics", "=Beta Logistics+1");
        const result = await (
          await tech("POST", "/api/companies/import", edited, { "content-type": "text/csv" })
        ).json();
        expect(result).toMatchObject({ updated: 1, unchanged: 2 });
        expect((await (await tech("GET", "/api/companies/BETA-002")).json()).name).toBe("=Beta Logistics+1");
        expect(await (await tech("GET", "/api/companies/export.csv")).text()).toContain("'=Beta Logistics+1");
        expect(
          (
            await (
              await tech(
                "POST",
                "/api/companies/import",
                await (await tech("GET", "/api/companies/export.csv")).text(),
                { "content-type": "text/csv" },
              )
            ).json()
          ).unchanged,
        ).toBe(3);
      });

      test("a round trip into an empty Codex reproduces companies, contacts and assets", async () => {
        // Local ids differ between installs, so the id and contact_ids columns are left out.
        const withoutIds = (csv: string) =>
          stringify(
            (parse(csv, { columns: true }) as Record<string, string>[]).map(
              ({ id: _i, contact_ids: _c, ...rest }: Record<string, string>) => rest,
            ),
            { header: true },
          );
        for (const kind of ["companies", "contacts", "assets"]) {
          const csv = withoutIds(await (await tech("GET", `/api/${kind}/export.csv`)).text());
          const res = await fresh.call("technician", "POST", `/api/${kind}/import`, csv, {
            "content-type": "text/csv",
          });
          expect([kind, res.status]).toEqual([kind, 200]);
          const again = withoutIds(await (await fresh.call("technician", "GET", `/api/${kind}/export.csv`)).text());
          expect(again).toBe(csv);
        }
      });

      test("bad rows are reported by line and nothing is written", async () => {
        const before = (await codex.deps.db.db.select({ n: count() }).from(codex.deps.db.t.contacts))[0]!.n;
        const csv =
          "name,email,companies,active\nGood Person,good@x.example,ACME-001,true\n,nobody@x.example,,\nBad Mail,not-an-email,ACME-001,maybe\nNo Company,nc@x.example,NOPE-1,\n";
        const res = await tech("POST", "/api/contacts/import", csv, { "content-type": "text/csv" });
        expect(res.status).toBe(422);
        const details = (await res.json()).error.details;
        expect(
          details.results
            .filter((r: { status: string }) => r.status === "error")
            .map((r: { line: number; errors: { field: string }[] }) => [r.line, r.errors.map((e) => e.field).sort()]),
        ).toEqual([
          [3, ["name"]],
          [4, ["active", "email"]],
          [5, ["companies"]],
        ]);
        expect((await codex.deps.db.db.select({ n: count() }).from(codex.deps.db.t.contacts))[0]!.n).toBe(before);
        expect(
          (await tech("POST", "/api/contacts/import", "name,colour\nx,red\n", { "content-type": "text/csv" })).status,
        ).toBe(400);
        expect(
          (await tech("POST", "/api/contacts/import", 'name,email\n"unclosed,x\n', { "content-type": "text/csv" }))
            .status,
        ).toBe(400);
        expect(
          (await tech("POST", "/api/contacts/import", "name,email\n", { "content-type": "text/csv" })).status,
        ).toBe(422);
        expect((await tech("POST", "/api/contacts/import", { name: "x" })).status).toBe(415);
      });
    });
  });
}
