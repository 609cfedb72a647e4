import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createLogger } from "@hivematrix/lib/log";
import {
  type Caller,
  matrixRoutes,
  openApiProblems,
  permissionMismatches,
  type TestIdentity,
  tempHome,
  testIdentity,
  undocumentedOperations,
  writeServicesFile,
} from "@hivematrix/lib/testing";
import { type BrainhairApp, createBrainhairApp } from "../src/app.ts";
import { buildDeps, type Deps, loadSettings } from "../src/deps.ts";

/**
 * Brainhair in this process, on SQLite, without a model key, with tokens of the test's own
 * signing key: every route is checked against its access rule, and the API document against an
 * OpenAPI validator. No other app runs, so what would call one stops past the guard.
 */
let identity: TestIdentity;
let deps: Deps;
let app: BrainhairApp;

beforeAll(async () => {
  identity = await testIdentity("brainhair");
  const home = tempHome("hm-brainhair-routes-");
  const env = {
    HIVEMATRIX_HOME: home,
    HIVEMATRIX_SERVICES: writeServicesFile(home, { core: { port: 1, visible: false }, brainhair: { port: 2 } }),
  };
  const logger = createLogger({ service: "brainhair", level: "error", write: () => {} });
  deps = buildDeps(loadSettings(env), { logger, auth: identity.auth, csrf: identity.csrf });
  await deps.db.whenReady;
  app = createBrainhairApp(deps);
});
afterAll(() => deps.db.close());

const send = async (caller: Caller | null, method: string, path: string) => {
  const headers = new Headers({ accept: "application/json" });
  if (caller) headers.set("authorization", `Bearer ${await identity.token(caller)}`);
  return app.fetch(new Request(`http://brainhair.test${path}`, { method, headers }));
};

describe("Brainhair's route table", () => {
  test("every route admits exactly the callers its access rule names, and nobody else", async () => {
    expect(await permissionMismatches(matrixRoutes(app.routes), send)).toEqual([]);
  });

  test("chats and approvals are people's only; the filter also an app's; usage and audit admins'", () => {
    const rules = Object.fromEntries(
      matrixRoutes(app.routes).map((route) => [`${route.method.toUpperCase()} ${route.path}`, route.access]),
    );
    for (const route of ["POST /api/chats", "POST /api/chats/{id}/messages", "POST /api/approvals/{id}/decision"])
      expect(rules[route]).toMatchObject({ levels: ["admin", "technician", "billing", "client"], services: false });
    expect(rules["POST /api/filter"]).toMatchObject({ services: true, public: false });
    for (const route of ["GET /api/usage", "GET /api/audit"])
      expect(rules[route]).toMatchObject({ levels: ["admin"], services: true, public: false });
    expect(rules["GET /audit"]).toMatchObject({ levels: ["admin"], services: false });
    expect(rules["GET /static/chat.js"]).toMatchObject({ public: true });
  });

  test("GET /api/openapi.json is a valid OpenAPI 3.1 document with response schemas and x-permission", async () => {
    const res = await send("client", "GET", "/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, { responses: object }>> };
    expect(await openApiProblems(doc)).toEqual([]);
    expect(undocumentedOperations(doc)).toEqual([]);
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/api/approvals/{id}/decision",
      "/api/audit",
      "/api/chats",
      "/api/chats/{id}",
      "/api/chats/{id}/events",
      "/api/chats/{id}/messages",
      "/api/chats/{id}/stop",
      "/api/filter",
      "/api/history",
      "/api/openapi.json",
      "/api/usage",
      "/health",
      "/static/chat.js",
    ]);
    expect(JSON.stringify(doc.paths["/api/chats/{id}/messages"]!.post!.responses)).toContain("text/event-stream");
  });
});
