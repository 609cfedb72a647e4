import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { undocumentedOperations } from "@hivematrix/lib/testing";
import { ENGINES, startCodex, type CodexUnderTest } from "./harness.ts";

/** Billing's operations, in their feature folders: each declares its request and response schemas. */
const BILLING = [
  /^\/api\/billing(\/|$)/,
  /^\/api\/invoices(\/|$)/,
  /^\/api\/billing-plans(\/|$)/,
  /^\/api\/feature-(options|categories)(\/|$)/,
  /^\/api\/companies\/{acct}\/(billing-overrides|billing-settings|line-items|manual-assets|manual-users|features)/,
  /^\/api\/companies\/{acct}\/users\/{contact_id}\/billing-override$/,
  /^\/api\/assets\/{id}\/billing-override$/,
];
const billing = (path: string) => BILLING.some((known) => known.test(path));

for (const engine of ENGINES) {
  describe(`billing in Codex's API document on ${engine}`, () => {
    let codex: CodexUnderTest;
    let doc: { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };

    beforeAll(async () => {
      codex = await startCodex(engine);
      doc = await (await codex.call("client", "GET", "/api/openapi.json")).json();
    }, 30_000);
    afterAll(() => codex.stop());

    test("every billing operation declares its response schemas and who may call it", () => {
      const paths = Object.keys(doc.paths).filter(billing);
      const operations = paths.flatMap((path) => Object.keys(doc.paths[path]!));
      expect(operations.length).toBe(52);
      const billingDoc = { paths: Object.fromEntries(paths.map((path) => [path, doc.paths[path]])) };
      expect(undocumentedOperations(billingDoc)).toEqual([]);
    });

    test("a bill, a plan and an extra charge are one schema each, shared by every operation that answers them", () => {
      for (const name of ["Bill", "BillingPlan", "LineItem", "ManualAsset", "ManualUser", "BillingRun", "AcceptedBill"])
        expect(Object.keys(doc.components.schemas)).toContain(name);
      const bill = doc.components.schemas.Bill as { properties: Record<string, unknown> };
      expect(Object.keys(bill.properties)).toEqual(expect.arrayContaining(["invoice_number", "lines", "accepted"]));
    });
  });
}
