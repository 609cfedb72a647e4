import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { z } from "zod";
import { ENGINES, startCodex, type CodexUnderTest } from "./harness.ts";
import { seedFixture } from "./fixtures.ts";
import { type ListedRoute, listedRoutes } from "./route-list.ts";

/**
 * Every route, as an admin, with input nobody should send: odd path parameters, every query key
 * with nonsense, and broken or mistyped bodies. Each must get a 4xx (or a 2xx when the input
 * happens to be acceptable), never a 5xx, on both engines.
 */
/** Percent-escapes that decode to nothing valid: the router cannot decode them, so no handler may try. */
const UNDECODABLE_IDS = ["%E0%A4%A", "%", "%ZZ", "100%", "%C0%80", "%FF"];
const ODD_IDS = [
  "abc",
  "-1",
  "0",
  "1.5",
  "99999999999999999999",
  "%00",
  "%E2%80%AE",
  "1e3",
  "%20",
  "%25",
  "%2525",
  "a%2Fb",
  ...UNDECODABLE_IDS,
];
const ODD_VALUES = [
  "",
  "\u0000",
  "a\u0000b",
  "-1",
  "abc",
  "99999999999999999999",
  "1e309",
  "%00",
  "2026-13-45",
  "'; drop table companies; --",
  "x".repeat(5_000),
  "[]",
  "true",
];
const ODD_BODIES: [string, string][] = [
  ["broken JSON", "{"],
  ["an array", "[1,2]"],
  ["null", "null"],
  ["a string", '"text"'],
  ["a number", "12"],
];

/** The top-level property names a schema accepts, to send each one something of the wrong kind. */
function keysOf(schema: z.ZodType | undefined): string[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, unknown>;
    anyOf?: { properties?: Record<string, unknown> }[];
  };
  const props = { ...json.properties, ...Object.assign({}, ...(json.anyOf ?? []).map((a) => a.properties ?? {})) };
  return Object.keys(props);
}

for (const engine of ENGINES) {
  describe(`malformed input on ${engine}`, () => {
    let codex: CodexUnderTest;
    let routes: ListedRoute[];
    let pages: ListedRoute[];

    beforeAll(async () => {
      codex = await startCodex(engine);
      await seedFixture(codex.deps.db);
      routes = listedRoutes(codex.app.routeTable).filter((r) => !r.page);
      pages = listedRoutes(codex.app.routeTable).filter((r) => r.page);
    });
    afterAll(() => codex.stop());

    const failures: string[] = [];
    const check = async (what: string, res: Promise<Response>) => {
      const r = await res;
      if (r.status >= 500) failures.push(`${what} → ${r.status} ${(await r.text()).slice(0, 160)}`);
    };
    const withParams = (path: string, value: string) => path.replace(/:[A-Za-z_]+/g, value);
    const realParams = (path: string) =>
      path
        .replace(/:acct/g, "ACME-001")
        .replace(/:year/g, "2026")
        .replace(/:month/g, "3")
        .replace(/:[A-Za-z_]+/g, "1");

    test("odd path parameters get a 4xx, never a 5xx", async () => {
      for (const def of routes.filter((d) => d.path.includes(":"))) {
        for (const id of ODD_IDS) {
          const path = withParams(def.path, id);
          const body = def.method === "post" || def.method === "put" ? (def.bodyType ? "" : {}) : undefined;
          await check(
            `${def.method.toUpperCase()} ${path}`,
            codex.call(
              "admin",
              def.method.toUpperCase(),
              path,
              body,
              def.bodyType ? { "content-type": def.bodyType } : {},
            ),
          );
        }
      }
      expect(failures).toEqual([]);
    }, 120_000);

    test("a path parameter with an undecodable escape is a 400 on every route and page, before anything else", async () => {
      const answers: string[] = [];
      for (const def of listedRoutes(codex.app.routeTable).filter((d) => d.path.includes(":"))) {
        for (const id of UNDECODABLE_IDS) {
          const path = withParams(def.path, id);
          const res = await codex.call("admin", def.method.toUpperCase(), path, undefined, {
            accept: def.page ? "text/html" : "application/json",
          });
          if (res.status !== 400) answers.push(`${def.method.toUpperCase()} ${path} → ${res.status}`);
        }
      }
      expect(answers).toEqual([]);
    });

    test("nonsense in every query parameter gets a 4xx, never a 5xx", async () => {
      failures.length = 0;
      for (const def of routes.filter((d) => d.method === "get")) {
        const keys = [...new Set([...keysOf(def.query), "limit", "cursor", "sort", "q"])];
        for (const key of keys) {
          for (const value of ODD_VALUES) {
            const path = `${realParams(def.path)}?${encodeURIComponent(key)}=${encodeURIComponent(value)}`;
            await check(`GET ${path.slice(0, 120)}`, codex.call("admin", "GET", path));
          }
        }
        await check(
          `GET ${def.path} with a repeated key`,
          codex.call("admin", "GET", `${realParams(def.path)}?limit=1&limit=2`),
        );
      }
      expect(failures).toEqual([]);
    }, 120_000);

    test("broken and mistyped bodies get a 4xx, never a 5xx", async () => {
      failures.length = 0;
      for (const def of routes.filter((d) => d.method === "post" || d.method === "put")) {
        const path = realParams(def.path);
        const method = def.method.toUpperCase();
        if (def.bodyType === "text/csv") {
          for (const csv of [
            "",
            '"unterminated',
            "a,b\n1",
            "\u0000\u0001",
            `name\n${"x".repeat(100_000)}`,
            "name,account_number\nNul\u0000Corp,NUL-1",
            "account_number,name,billing_plan_id\nBIG-1,Big,99999999999999999999",
          ])
            await check(
              `${method} ${path} csv ${JSON.stringify(csv.slice(0, 20))}`,
              codex.call("admin", method, path, csv, { "content-type": "text/csv" }),
            );
          continue;
        }
        for (const [label, raw] of ODD_BODIES)
          await check(`${method} ${path} ${label}`, codex.call("admin", method, path, raw));
        await check(
          `${method} ${path} as a form`,
          codex.call("admin", method, path, "a=1", { "content-type": "application/x-www-form-urlencoded" }),
        );
        for (const key of keysOf(def.body)) {
          for (const value of [
            null,
            12.5,
            -1,
            1e20,
            "x".repeat(100_000),
            "a\u0000b",
            [],
            { nested: true },
            "99999999999999999999",
            true,
          ]) {
            await check(
              `${method} ${path} {${key}: ${JSON.stringify(value).slice(0, 20)}}`,
              codex.call("admin", method, path, { [key]: value }),
            );
          }
        }
      }
      expect(failures).toEqual([]);
    }, 180_000);

    test("pages answer odd ids, queries and form values with a page, never a 5xx", async () => {
      failures.length = 0;
      const html = { accept: "text/html" };
      const gets = pages.filter((d) => d.method === "get");
      // Every form field any page offers, so each POST route gets its own fields among them.
      const names = new Set<string>();
      for (const def of gets) {
        const text = await (await codex.call("admin", "GET", realParams(def.path), undefined, html)).text();
        for (const m of text.matchAll(/name="([^"]+)"/g)) if (m[1] !== "_csrf") names.add(m[1]!);
      }
      expect(names.size).toBeGreaterThan(30);
      for (const def of gets) {
        for (const id of def.path.includes(":") ? ODD_IDS : [])
          await check(
            `GET ${withParams(def.path, id)}`,
            codex.call("admin", "GET", withParams(def.path, id), undefined, html),
          );
        for (const value of ODD_VALUES) {
          const query = [
            "q",
            "page",
            "sort",
            "status",
            "year",
            "month",
            "cursor",
            "company",
            "group",
            "assignee",
            "kind",
          ]
            .map((k) => `${k}=${encodeURIComponent(value)}`)
            .join("&");
          await check(
            `GET ${def.path}?…=${JSON.stringify(value.slice(0, 12))}`,
            codex.call("admin", "GET", `${realParams(def.path)}?${query}`, undefined, html),
          );
        }
      }
      const csrf = await codex.csrf("admin");
      const destructive = /delete|remove|clear-data|accept/;
      for (const def of pages.filter((d) => d.method === "post" && !destructive.test(d.path))) {
        for (const value of ODD_VALUES) {
          const form = new URLSearchParams({ _csrf: csrf });
          for (const name of names) form.set(name, value);
          await check(
            `POST ${def.path} all fields ${JSON.stringify(value.slice(0, 12))}`,
            codex.call("admin", "POST", realParams(def.path), form.toString(), {
              ...html,
              "content-type": "application/x-www-form-urlencoded",
            }),
          );
        }
        for (const id of def.path.includes(":") ? ODD_IDS : []) {
          await check(
            `POST ${withParams(def.path, id)}`,
            codex.call("admin", "POST", withParams(def.path, id), `_csrf=${encodeURIComponent(csrf)}`, {
              ...html,
              "content-type": "application/x-www-form-urlencoded",
            }),
          );
        }
      }
      expect(failures).toEqual([]);
    }, 240_000);
  });
}
