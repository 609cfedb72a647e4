import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startCore, type CoreUnderTest } from "./harness.ts";

let core: CoreUnderTest;
let admin: string;

beforeAll(async () => {
  core = await startCore({ services: { codex: { port: 1 } } });
  const { createSession } = await import("../src/sessions/data.ts");
  const { mintUserToken } = await import("../src/tokens/mint.ts");
  const s = await createSession(core.deps.db, {
    sub: "a",
    username: "admin",
    name: "Ada",
    email: "a@x",
    permissionLevel: "admin",
    groups: ["admins"],
    company: null,
    source: "cli",
    ttlMs: 600_000,
  });
  admin = await mintUserToken(core.deps.keys, s);
});
afterAll(() => core.stop());

const endpoints = ["/api/token/exchange", "/api/token/validate", "/api/token/revoke", "/service-token"];

async function expectErrorShape(res: Response, status: number | number[]) {
  expect(Array.isArray(status) ? status : [status]).toContain(res.status);
  const body = (await res.json()) as { error: { code: string; message: string; details: unknown } };
  expect(body.error.code).toBeString();
  expect(body.error.message.length).toBeGreaterThan(0);
  expect("details" in body.error).toBe(true);
  return body;
}

const basic = () => ({ authorization: `Basic ${Buffer.from("codex:whatever").toString("base64")}` });

describe("bad input on every Core JSON endpoint → 4xx with the error shape, never 500", () => {
  for (const path of endpoints) {
    const extra = path === "/service-token" ? basic() : {};
    test(`${path}: a body that is not JSON`, async () => {
      const res = await fetch(core.url + path, {
        method: "POST",
        headers: { "content-type": "application/json", ...extra },
        body: "{not json",
      });
      await expectErrorShape(res, path === "/service-token" ? [400, 401] : 400);
    });
    test(`${path}: a form body instead of JSON`, async () => {
      const res = await fetch(core.url + path, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...extra },
        body: "token=x",
      });
      await expectErrorShape(res, path === "/service-token" ? [401, 415] : 415);
    });
    test(`${path}: missing fields`, async () => {
      const res = await fetch(core.url + path, {
        method: "POST",
        headers: { "content-type": "application/json", ...extra },
        body: "{}",
      });
      const body = await expectErrorShape(res, path === "/service-token" ? [401, 422] : 422);
      if (res.status === 422) expect(body.error.details).toBeArray();
    });
    test(`${path}: mistyped fields`, async () => {
      const res = await fetch(core.url + path, {
        method: "POST",
        headers: { "content-type": "application/json", ...extra },
        body: JSON.stringify({ token: 42, access_token: ["x"], calling_service: 7, target_service: null }),
      });
      await expectErrorShape(res, path === "/service-token" ? [401, 422] : 422);
    });
    test(`${path}: a 10 MB body`, async () => {
      const big = JSON.stringify({ token: "x".repeat(10 * 1024 * 1024) });
      const res = await fetch(core.url + path, {
        method: "POST",
        headers: { "content-type": "application/json", ...extra },
        body: big,
      });
      await expectErrorShape(res, 413);
    });
  }

  test("a malformed session id names no session: 404, as an impossible id is on every route table", async () => {
    const res = await fetch(`${core.url}/api/sessions/${encodeURIComponent("../../etc")}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${admin}` },
    });
    await expectErrorShape(res, 404);
  });

  test("the sessions API refuses unknown query parameters", async () => {
    const res = await fetch(`${core.url}/api/sessions?limit=abc`, { headers: { authorization: `Bearer ${admin}` } });
    await expectErrorShape(res, 422);
  });

  test("an unknown API path is a JSON 404", async () => {
    await expectErrorShape(await fetch(`${core.url}/api/nope`), 404);
  });

  test("nothing above was logged as an unhandled error", () => {
    expect(core.logs.filter((l) => l.includes("unhandled error"))).toEqual([]);
  });
});
