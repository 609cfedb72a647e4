import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { createKeycloakAdmin } from "@hivematrix/lib/keycloak-admin";
import { openApiProblems, tempHome, undocumentedOperations } from "@hivematrix/lib/testing";
import { startIdp, type TestIdp } from "./start.ts";

let home: string;
let idp: TestIdp;
let token: string;

beforeAll(async () => {
  home = tempHome();
  idp = await startIdp(home);
  const res = await fetch(`${idp.url}/realms/master/protocol/openid-connect/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "password", client_id: "admin-cli", ...idp.admin }),
  });
  token = ((await res.json()) as { access_token: string }).access_token;
});
afterAll(async () => {
  await idp.close();
  rmSync(home, { recursive: true, force: true });
});

type Operation = { responses: Record<string, unknown>; "x-permission": { public: boolean } };

describe("the dev IdP's API document", () => {
  test("GET /api/openapi.json is valid OpenAPI 3.1: Keycloak's admin API, with its JSON and its errors", async () => {
    const res = await fetch(`${idp.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, Operation>> };
    expect(await openApiProblems(doc)).toEqual([]);
    expect(undocumentedOperations(doc)).toEqual([]);
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/admin/realms/{realm}/groups",
      "/admin/realms/{realm}/groups/{groupId}/members",
      "/admin/realms/{realm}/users",
      "/admin/realms/{realm}/users/count",
      "/admin/realms/{realm}/users/{id}",
      "/admin/realms/{realm}/users/{id}/groups",
      "/admin/realms/{realm}/users/{id}/groups/{groupId}",
      "/admin/realms/{realm}/users/{id}/logout",
      "/admin/realms/{realm}/users/{id}/reset-password",
      "/api/openapi.json",
      "/health",
      "/realms/master/protocol/openid-connect/token",
    ]);
    // Keycloak's error shape, never the platform's (no 422: Keycloak answers bad input with 400).
    const create = doc.paths["/admin/realms/{realm}/users"]!.post!;
    expect(Object.keys(create.responses).sort()).toEqual(["201", "400", "401", "403", "404", "409", "415"]);
    expect(JSON.stringify(create.responses["409"])).toContain("#/components/schemas/KeycloakError");
    const get = doc.paths["/admin/realms/{realm}/users/{id}"]!.get!;
    expect(JSON.stringify(get.responses["200"])).toContain("#/components/schemas/UserRepresentation");
  });
});

describe("what the admin API answers that the client in lib/ never sends", () => {
  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${idp.url}/admin/realms/hivematrix${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...init.headers },
    });
  const put = (path: string, type: string, body: string) =>
    admin(path, { method: "PUT", headers: { "content-type": type }, body });

  test("input Keycloak cannot read is its 400 invalid_request; another media type its 415", async () => {
    const kc = createKeycloakAdmin({ url: idp.url, ...idp.admin });
    const id = (await kc.findUser("hivematrix", "tech"))!.id!;
    const wrongType = await put(`/users/${id}`, "application/json", JSON.stringify({ enabled: "yes" }));
    expect(wrongType.status).toBe(400);
    expect(await wrongType.json()).toEqual({
      error: "invalid_request",
      error_description: expect.stringContaining("enabled"),
    });
    const broken = await put(`/users/${id}`, "application/json", "{not json");
    expect([broken.status, ((await broken.json()) as { error: string }).error]).toEqual([400, "invalid_request"]);
    const text = await put(`/users/${id}`, "text/plain", "{}");
    expect([text.status, await text.json()]).toEqual([415, { error: "HTTP 415 Unsupported Media Type" }]);
    const nul = await put(`/users/${id}`, "application/json", JSON.stringify({ firstName: "To\u0000by" }));
    expect(nul.status).toBe(400);
    const paging = await admin("/users?first=-1");
    expect([paging.status, ((await paging.json()) as { error: string }).error]).toEqual([400, "invalid_request"]);
    expect((await kc.getUser("hivematrix", id)).enabled).toBe(true);
  });

  test("an address no route serves is Keycloak's 404, behind the admin token like every other", async () => {
    const missing = await admin("/nothing-here");
    expect([missing.status, await missing.json()]).toEqual([404, { error: "HTTP 404 Not Found" }]);
    const anonymous = await fetch(`${idp.url}/admin/realms/hivematrix/nothing-here`);
    expect([anonymous.status, await anonymous.json()]).toEqual([401, { error: "HTTP 401 Unauthorized" }]);
    const realm = await fetch(`${idp.url}/admin/realms/elsewhere/users`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect([realm.status, await realm.json()]).toEqual([404, { error: "Realm not found." }]);
  });
});
