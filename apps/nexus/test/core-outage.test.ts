import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { generateKeyPair, SignJWT } from "jose";
import { startPlatform, type TestPlatform } from "@hivematrix/lib/testing";
import { NAVIGATE } from "./helpers.ts";

/**
 * Core down: Nexus and the apps cannot fetch signing keys or ask whether a session is live.
 * Every such request is a 503 core_unavailable with Retry-After (JSON for APIs, a page for
 * browsers), never a 500, a 401 or a runtime's debug page, also after a restart during the outage.
 */
// Starting real processes can take longer than bun's 5 s default on a busy machine.
setDefaultTimeout(60_000);

let platform: TestPlatform;
let valid: string;
let unknownKid: string;

beforeAll(async () => {
  platform = await startPlatform({
    apps: { codex: { title: "Codex" }, nexus: { title: "Nexus", visible: false } },
  });
  valid = await platform.token("admin");
  const { privateKey } = await generateKeyPair("RS256");
  // Anyone can make one of these: no account needed.
  unknownKid = await new SignJWT({
    type: "user",
    sub: "nobody",
    jti: "nothing",
    name: "Nobody",
    email: "",
    preferred_username: "nobody",
    permission_level: "admin",
    groups: ["admins"],
  })
    .setProtectedHeader({ alg: "RS256", kid: "not-a-core-key" })
    .setIssuer("hivematrix.core")
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(privateKey);
  // Both have seen Core's keys before it goes away.
  for (const base of [platform.urls.nexus!, platform.urls.codex!]) {
    const path = base === platform.urls.nexus ? "/codex/api/companies" : "/api/companies";
    expect((await fetch(base + path, { headers: { authorization: `Bearer ${valid}` } })).status).toBe(200);
  }
  await platform.stopApp("core");
  // Past the 2 s a session verdict is remembered and the 1 s between key fetches.
  await Bun.sleep(2_100);
});
afterAll(() => platform?.stop());

/** The platform's 503: the right shape, a retry hint, and nothing of the server's insides. */
async function expectCoreUnavailable(res: Response, format: "json" | "html") {
  const body = await res.text();
  expect({ status: res.status, body: body.slice(0, 300) }).toMatchObject({ status: 503 });
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  for (const leak of [process.cwd(), "at async", "node_modules", ".ts:"]) expect(body).not.toContain(leak);
  if (format === "json") expect(JSON.parse(body)).toMatchObject({ error: { code: "core_unavailable" } });
  else {
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(body).toContain("Core");
  }
}

const bearer = (token: string, headers: Record<string, string> = {}) => ({
  headers: { authorization: `Bearer ${token}`, ...headers },
});

describe("with Core unreachable", () => {
  test("Nexus: a token with an unknown kid is a 503, JSON for APIs and a page for browsers", async () => {
    const nexus = platform.urls.nexus!;
    await expectCoreUnavailable(await fetch(`${nexus}/codex/api/companies`, bearer(unknownKid)), "json");
    await expectCoreUnavailable(await fetch(`${nexus}/codex/companies`, bearer(unknownKid, NAVIGATE)), "html");
    await expectCoreUnavailable(await fetch(`${nexus}/`, bearer(unknownKid, NAVIGATE)), "html");
  });

  test("Nexus: a valid token whose session cannot be checked is a 503", async () => {
    await expectCoreUnavailable(await fetch(`${platform.urls.nexus}/codex/api/companies`, bearer(valid)), "json");
  });

  test("an app: a token with an unknown kid, and a valid one, are 503s", async () => {
    const codex = platform.urls.codex!;
    await expectCoreUnavailable(await fetch(`${codex}/api/companies`, bearer(unknownKid)), "json");
    await expectCoreUnavailable(await fetch(`${codex}/companies`, bearer(unknownKid, NAVIGATE)), "html");
    await expectCoreUnavailable(await fetch(`${codex}/api/companies`, bearer(valid)), "json");
  });

  test("after an app and Nexus restart during the outage (no keys at all), every token is a 503", async () => {
    await platform.start("codex");
    await platform.start("nexus");
    for (const token of [valid, unknownKid]) {
      await expectCoreUnavailable(await fetch(`${platform.urls.codex}/api/companies`, bearer(token)), "json");
      await expectCoreUnavailable(await fetch(`${platform.urls.nexus}/codex/api/companies`, bearer(token)), "json");
    }
  });

  test("when Core is back, the same token works again without restarting anything", async () => {
    await platform.start("core");
    expect((await fetch(`${platform.urls.codex}/api/companies`, bearer(valid))).status).toBe(200);
    expect((await fetch(`${platform.urls.nexus}/codex/api/companies`, bearer(valid))).status).toBe(200);
    const refused = await fetch(`${platform.urls.nexus}/codex/api/companies`, bearer(unknownKid));
    expect(refused.status).toBe(401);
  });
});
