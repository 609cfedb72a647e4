import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type AccessRow, accessRows, CALLERS, type TableCaller } from "./access-table.ts";
import { type CodexUnderTest, startCodex } from "./harness.ts";

/**
 * Codex's routes against the written-out table of who may call them (access-table.ts): the
 * expectations come from the table alone, the answers from the running app. Guards run before
 * anything else, so an empty database and empty bodies do: a caller the guard lets through gets
 * whatever the route answers next (200, 404, 415, 422…), never 401 or 403.
 */

const SCOPED = "Client users see only their own company's data.";
const LEVELS = ["admin", "technician", "billing", "client"] as const;
const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`;
const honoStyle = (path: string) => path.replaceAll(/{([^}]+)}/g, ":$1");

describe("Codex's routes admit exactly the callers of the access table", () => {
  let codex: CodexUnderTest;
  const rows = accessRows();

  beforeAll(async () => {
    codex = await startCodex("sqlite");
  }, 30_000);
  afterAll(() => codex.stop());

  /** Refused by the guard: 401, or 403 for anything but a missing CSRF token (which comes after the guard). */
  async function refused(res: Response): Promise<boolean> {
    if (res.status === 401) return true;
    if (res.status !== 403) {
      await res.body?.cancel();
      return false;
    }
    const body = (await res.json().catch(() => null)) as { error?: { code?: string } } | null;
    return body?.error?.code !== "csrf_failed";
  }

  async function call(caller: TableCaller, row: AccessRow): Promise<Response> {
    const path = row.path.replaceAll(/:[A-Za-z_]+/g, "999999");
    const headers: Record<string, string> = { accept: "application/json" };
    if (caller) headers.authorization = `Bearer ${await codex.token(caller)}`;
    let body: string | undefined;
    if (row.kind === "page" && row.method === "POST") {
      headers["content-type"] = "application/x-www-form-urlencoded";
      const person = caller && caller !== "service" ? caller : null;
      body = new URLSearchParams(person ? { _csrf: await codex.csrf(person) } : {}).toString();
    } else if (row.method === "POST" || row.method === "PUT") {
      headers["content-type"] = "application/json";
      body = "{}";
    }
    return codex.app.fetch(new Request(`http://codex.test${path}`, { method: row.method, headers, body }));
  }

  test("the table reads as one row per route, each route once", () => {
    expect(rows.length).toBe(224);
    const keys = rows.map((row) => key(row.method, row.path));
    expect(keys.filter((k, at) => keys.indexOf(k) !== at)).toEqual([]);
    expect(rows.filter((row) => row.kind === "page" && (row.admits.service || row.admits.null))).toEqual([]);
  });

  test("every route the app serves has a row, and every row is served, as an API or a page as the table says", () => {
    const served = codex.app.routes
      .filter((route) => route.method !== "ALL" && route.path !== "/metrics" && !route.path.startsWith("/webhooks/"))
      .map((route) => key(route.method, route.path));
    const listed = new Set(rows.map((row) => key(row.method, row.path)));
    expect([...new Set(served)].filter((route) => !listed.has(route))).toEqual([]);
    expect([...listed].filter((route) => !served.includes(route))).toEqual([]);
    const table = codex.app.routeTable;
    const apis = new Set(table.apis.map((route) => key(route.method, honoStyle(route.path))));
    const pages = new Set(table.pages.map((route) => key(route.method, honoStyle(route.path))));
    const misfiled = rows.filter((row) => !(row.kind === "api" ? apis : pages).has(key(row.method, row.path)));
    expect(misfiled.map((row) => `${row.kind} ${key(row.method, row.path)}`)).toEqual([]);
  });

  test("each route lets through exactly the callers the table names", async () => {
    const wrong: string[] = [];
    for (const row of rows)
      for (const caller of CALLERS) {
        const res = await call(caller, row);
        const admits = row.admits[String(caller)];
        if ((await refused(res)) === admits)
          wrong.push(`${key(row.method, row.path)} as ${caller ?? "nobody"}: ${res.status} (table: ${admits})`);
      }
    expect(wrong).toEqual([]);
  }, 120_000);

  test("each route's rule has the table's name", () => {
    const declared = new Map(
      [...codex.app.routeTable.apis, ...codex.app.routeTable.pages].map((route) => [
        key(route.method, honoStyle(route.path)),
        route.access.name,
      ]),
    );
    const named = rows.filter((row) => declared.get(key(row.method, row.path)) !== row.rule);
    expect(named.map((row) => `${key(row.method, row.path)} is ${declared.get(key(row.method, row.path))}`)).toEqual(
      [],
    );
  });

  test("the API document says who may call each API route, and that clients see only their company", async () => {
    const document = await (await codex.call("admin", "GET", "/api/openapi.json")).json();
    const wrong: string[] = [];
    for (const row of rows.filter((r) => r.kind === "api")) {
      const path = row.path.replaceAll(/:([A-Za-z_]+)/g, "{$1}");
      const operation = document.paths[path]?.[row.method.toLowerCase()];
      // A public route names no levels: it asks for no token at all.
      const open = row.admits.null;
      const expected = {
        access: row.rule,
        levels: open ? [] : LEVELS.filter((level) => row.admits[level]),
        services: !open && row.admits.service,
        public: open,
      };
      if (JSON.stringify(operation?.["x-permission"]) !== JSON.stringify(expected))
        wrong.push(`${key(row.method, row.path)}: ${JSON.stringify(operation?.["x-permission"])}`);
      // Every client-readable API answers with the client's company's data only; the document itself holds none.
      const scoped = !open && row.admits.client && row.path !== "/api/openapi.json";
      if (String(operation?.description).includes(SCOPED) !== scoped)
        wrong.push(`${key(row.method, row.path)}: ${JSON.stringify(operation?.description)}`);
    }
    expect(wrong).toEqual([]);
  });
});
