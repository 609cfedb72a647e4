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
import { createHelmApp, type HelmApp } from "../src/app.ts";
import { buildDeps, type Deps, loadSettings } from "../src/deps.ts";

/**
 * Helm in this process, on SQLite, with tokens of the test's own signing key: every route is
 * checked against its access rule, and the API document against an OpenAPI validator. Nothing
 * else of the platform runs (no supervisor, no identity provider), so routes that need them
 * answer 503: past the guard, which is what the matrix checks.
 */
let identity: TestIdentity;
let deps: Deps;
let app: HelmApp;

beforeAll(async () => {
  identity = await testIdentity("helm");
  const home = tempHome("hm-helm-routes-");
  const deadPort = 1;
  const env = {
    HIVEMATRIX_HOME: home,
    HIVEMATRIX_SERVICES: writeServicesFile(home, {
      core: { port: deadPort, visible: false },
      helm: { port: 2, permission: "admin" },
    }),
    KEYCLOAK_URL: `http://127.0.0.1:${deadPort}`,
  };
  // Routes that need the absent supervisor or identity provider log their 503s: expected here, not shown.
  const logger = createLogger({ service: "helm", level: "error", write: () => {} });
  deps = buildDeps(loadSettings(env), { logger, auth: identity.auth, csrf: identity.csrf });
  await deps.db.whenReady;
  app = createHelmApp(deps);
});
afterAll(() => deps.db.close());

const send = async (caller: Caller | null, method: string, path: string) => {
  const headers = new Headers({ accept: "application/json" });
  if (caller) headers.set("authorization", `Bearer ${await identity.token(caller)}`);
  return app.fetch(new Request(`http://helm.test${path}`, { method, headers }));
};

describe("Helm's route table", () => {
  test("every route admits exactly the callers its access rule names, and nobody else", async () => {
    expect(await permissionMismatches(matrixRoutes(app.routes), send)).toEqual([]);
  });

  test("log ingestion is for service tokens only; pages and the user APIs are for admins, never services", () => {
    const rules = Object.fromEntries(
      matrixRoutes(app.routes).map((r) => [`${r.method.toUpperCase()} ${r.path}`, r.access]),
    );
    expect(rules["POST /api/logs/ingest"]).toMatchObject({ levels: [], services: true, public: false });
    for (const route of ["GET /services", "POST /api/services/{name}/{action}", "GET /api/users", "GET /logs/stream"])
      expect(rules[route]).toMatchObject({ levels: ["admin"], services: false, public: false });
    // What changes things (a backup, the schedule, every app's restart) or shows raw output: signed-in admins only.
    for (const route of [
      "POST /api/backups",
      "PUT /api/backups/schedule",
      "POST /api/services/restart-all",
      "POST /backups/run",
      "POST /backups/schedule",
      "POST /services/restart-all",
      "GET /backups/download/{name}",
      "GET /services/{name}/output",
      "GET /services/{name}/output/stream",
    ])
      expect(`${route} ${JSON.stringify(rules[route])}`).toBe(
        `${route} ${JSON.stringify({ ...rules[route], levels: ["admin"], services: false, public: false })}`,
      );
    // Reading state: admins and service tokens, like the other state Helm shows.
    for (const route of ["GET /api/backups", "GET /api/metrics", "GET /api/security/certificate"])
      expect(rules[route]).toMatchObject({ levels: ["admin"], services: true, public: false });
  });

  test("GET /api/openapi.json is a valid OpenAPI 3.1 document with response schemas and x-permission", async () => {
    const res = await send("admin", "GET", "/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, { responses: object }>> };
    expect(await openApiProblems(doc)).toEqual([]);
    expect(undocumentedOperations(doc)).toEqual([]);
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/api/backups",
      "/api/backups/schedule",
      "/api/config",
      "/api/logs",
      "/api/logs/ingest",
      "/api/metrics",
      "/api/openapi.json",
      "/api/security/audit",
      "/api/security/certificate",
      "/api/security/firewall",
      "/api/services",
      "/api/services/restart-all",
      "/api/services/{name}/output",
      "/api/services/{name}/{action}",
      "/api/users",
      "/api/users/{id}",
      "/api/users/{id}/reset-password",
      "/health",
      "/logs/stream",
      "/services/{name}/output/stream",
      "/static/live-tail.js",
      "/static/raw-output.js",
    ]);
    expect(Object.keys(doc.paths["/logs/stream"]!.get!.responses)).toContain("200");
    expect(JSON.stringify(doc.paths["/logs/stream"]!.get!.responses)).toContain("text/event-stream");
  });
});
