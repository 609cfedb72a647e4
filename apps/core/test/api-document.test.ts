import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { PermissionLevel } from "@hivematrix/lib/config";
import {
  type Caller,
  matrixRoutes,
  openApiProblems,
  permissionMismatches,
  undocumentedOperations,
} from "@hivematrix/lib/testing";
import { createSession } from "../src/sessions/data.ts";
import { mintServiceToken, mintUserToken } from "../src/tokens/mint.ts";
import { type CoreUnderTest, startCore } from "./harness.ts";

let core: CoreUnderTest;
const tokens = new Map<Caller, string>();

beforeAll(async () => {
  core = await startCore({ services: { helm: { port: 1 } } });
  for (const level of ["admin", "technician", "billing", "client"] as PermissionLevel[]) {
    const session = await createSession(core.deps.db, {
      sub: `sub-${level}`,
      username: level,
      name: level,
      email: `${level}@msp.example`,
      permissionLevel: level,
      groups: [],
      company: level === "client" ? "ACME-001" : null,
      source: "cli",
      ttlMs: 3_600_000,
    });
    tokens.set(level, await mintUserToken(core.deps.keys, session));
  }
  tokens.set("service", await mintServiceToken(core.deps.keys, "helm", "core"));
});
afterAll(() => core.stop());

const send = (caller: Caller | null, method: string, path: string) =>
  fetch(`${core.url}${path}`, {
    method,
    redirect: "manual",
    headers: { accept: "application/json", ...(caller ? { authorization: `Bearer ${tokens.get(caller)}` } : {}) },
  });

describe("Core's route table", () => {
  test("every route admits exactly the callers its access rule names, and nobody else", async () => {
    expect(await permissionMismatches(matrixRoutes(core.app.routes), send)).toEqual([]);
  });

  test("GET /api/openapi.json is a valid OpenAPI 3.1 document with response schemas and x-permission", async () => {
    const res = await send("technician", "GET", "/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    expect(await openApiProblems(doc)).toEqual([]);
    expect(undocumentedOperations(doc)).toEqual([]);
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/.well-known/jwks.json",
      "/api/openapi.json",
      "/api/sessions",
      "/api/sessions/revocations",
      "/api/sessions/{id}",
      "/api/token/exchange",
      "/api/token/revoke",
      "/api/token/validate",
      "/health",
      "/service-token",
    ]);
  });
});
