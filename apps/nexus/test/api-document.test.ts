import { beforeAll, describe, expect, test } from "bun:test";
import { matrixRoutes, openApiProblems, permissionMismatches, undocumentedOperations } from "@hivematrix/lib/testing";
import { type NexusInProcess, nexusInProcess } from "./in-process.ts";

let nexus: NexusInProcess;

beforeAll(async () => {
  nexus = await nexusInProcess({ codex: { port: 3 } });
});

describe("Nexus's own route table", () => {
  test("every route admits exactly the callers its access rule names, and nobody else", async () => {
    const fill = (route: { path: string }) => route.path.replace("{file}", "global.css");
    expect(await permissionMismatches(matrixRoutes(nexus.nexus.routes), nexus.send, fill)).toEqual([]);
  });

  test("GET /api/openapi.json is a valid OpenAPI 3.1 document with response schemas and x-permission", async () => {
    const res = await nexus.send("client", "GET", "/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, { "x-permission": unknown }>> };
    expect(await openApiProblems(doc)).toEqual([]);
    expect(undocumentedOperations(doc)).toEqual([]);
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/api/openapi.json",
      "/health",
      "/keycloak-callback",
      "/login",
      "/logout",
      "/signed-out",
      "/static/{file}",
    ]);
    expect(doc.paths["/logout"]!.post!["x-permission"]).toMatchObject({ access: "public", public: true });
  });

  test("the document is Nexus's own: a service token may read it, a browser without a session may not", async () => {
    expect((await nexus.send("service", "GET", "/api/openapi.json")).status).toBe(200);
    expect((await nexus.send(null, "GET", "/api/openapi.json")).status).toBe(401);
  });

  test("/health counts the apps Nexus proxies to", async () => {
    const res = await nexus.send(null, "GET", "/health");
    expect(await res.json()).toMatchObject({ status: "ok", service: "nexus", services: 2 });
  });
});
