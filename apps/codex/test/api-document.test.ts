import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openApiProblems, undocumentedOperations } from "@hivematrix/lib/testing";
import { ENGINES, startCodex, type CodexUnderTest } from "./harness.ts";

/**
 * The operations of the features in the app template (companies, locations, contacts, assets,
 * CSV, search, tickets and the board, agents, admin, integrations, and lib's own): each declares
 * its request and response schemas. Billing's are checked by its own test; now that no route is
 * left on the old registry, every operation of the document is checked here too.
 */
const CONVERTED = [
  /^\/api\/(companies|contacts|assets)(\/bulk|\/export\.csv|\/import)?$/,
  /^\/api\/(contacts|assets)\/{id}$/,
  /^\/api\/companies\/{acct}(\/(assets|contacts|users|tickets|locations))?$/,
  /^\/api\/companies\/{acct}\/locations\/{location_id}$/,
  /^\/api\/search$/,
  /^\/api\/tickets(\/bulk|\/active|\/{id}(\/(replies|notes|time-entries))?)?$/,
  /^\/api\/ticket\/{id}(\/update)?$/,
  /^\/api\/settings\/ticket-board$/,
  /^\/api\/agents(\/sync|\/{id}(\/settings)?)?$/,
  /^\/api\/(my\/settings|audit|sync\/jobs|psa\/config|psa\/agents)$/,
  /^\/sync\/(psa|tickets|tickets\/full-history|rmm|create-account-numbers|status\/{job_id}|last\/{kind})$/,
  /^\/api\/datto\/(devices|device\/{id}|sites\/{uid}\/link)$/,
  /^\/api\/openapi\.json$/,
  /^\/health$/,
];
const converted = (problem: string) => CONVERTED.some((path) => path.test(problem.split(" ")[1]!.replace(/:$/, "")));

for (const engine of ENGINES) {
  describe(`Codex's API document on ${engine}`, () => {
    let codex: CodexUnderTest;
    let doc: { paths: Record<string, Record<string, unknown>> };

    beforeAll(async () => {
      codex = await startCodex(engine);
      doc = await (await codex.call("client", "GET", "/api/openapi.json")).json();
    });
    afterAll(() => codex.stop());

    test("GET /api/openapi.json is valid OpenAPI 3.1, every route of the app in it", async () => {
      expect(await openApiProblems(doc)).toEqual([]);
      const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m} ${path}`),
      );
      for (const route of codex.app.routeTable.apis) expect(operations).toContain(`${route.method} ${route.path}`);
    });

    test("the converted features declare their response schemas and who may call each operation", () => {
      const paths = Object.keys(doc.paths).filter((path) => CONVERTED.some((known) => known.test(path)));
      expect(paths.length).toBe(53);
      expect(undocumentedOperations(doc).filter(converted)).toEqual([]);
      expect(undocumentedOperations(doc)).toEqual([]);
    });

    test("an entity's JSON shape is one schema, shared by every operation that answers it", () => {
      const schemas = (doc as unknown as { components: { schemas: Record<string, unknown> } }).components.schemas;
      for (const name of [
        "Company",
        "Contact",
        "Asset",
        "Location",
        "BulkResult",
        "SearchResult",
        "Ticket",
        "TicketDetail",
        "TicketBoard",
        "Agent",
        "SyncJob",
      ])
        expect(Object.keys(schemas)).toContain(name);
      const company = schemas.Company as { properties: Record<string, unknown> };
      expect(Object.keys(company.properties)).toEqual(expect.arrayContaining(["account_number", "stale_since"]));
    });

    test("the Integrations page is a Codex page: the app's navigation, Admin marked current", async () => {
      const res = await codex.call("admin", "GET", "/admin/integrations", undefined, { accept: "text/html" });
      const html = await res.text();
      expect(res.status).toBe(200);
      expect(html).toContain('href="/companies"');
      expect(html).toMatch(/nav__link--current"[^>]*href="\/admin"|href="\/admin"[^>]*aria-current="page"/);
    });
  });
}
