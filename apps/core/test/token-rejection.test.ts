import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { exportSPKI, generateKeyPair, importJWK, SignJWT, type CryptoKey } from "jose";
import { createHmac } from "node:crypto";
import { createAuth, remoteJwks, coreSessionCheck, type Principal } from "@hivematrix/lib/auth";
import { HttpError } from "@hivematrix/lib/errors";
import { startCore, postJson, type CoreUnderTest } from "./harness.ts";
import { createSession } from "../src/sessions/data.ts";
import { mintServiceToken, mintUserToken } from "../src/tokens/mint.ts";

let core: CoreUnderTest;
let validUser: string;
let sessionId: string;
let signing: { kid: string; privateKey: CryptoKey };
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

/** lib/auth as an app named "codex" uses it: Core's JWKS over HTTP and Core's validate endpoint. */
let auth: ReturnType<typeof createAuth>;

async function session(ttlMs = 3_600_000) {
  return createSession(core.deps.db, {
    sub: "u-1",
    username: "tech",
    name: "Toby Technician",
    email: "tech@hivematrix.local",
    permissionLevel: "technician",
    groups: ["technicians"],
    company: null,
    source: "login",
    ttlMs,
  });
}

function userPayload(overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: "hivematrix.core",
    type: "user",
    sub: "u-1",
    jti: sessionId,
    name: "Toby Technician",
    email: "tech@hivematrix.local",
    preferred_username: "tech",
    permission_level: "technician",
    groups: ["technicians"],
    iat: now,
    exp: now + 600,
    ...overrides,
  };
}

const sign = (payload: Record<string, unknown>, key = signing.privateKey, kid = signing.kid) =>
  new SignJWT(payload).setProtectedHeader({ alg: "RS256", kid }).sign(key);

beforeAll(async () => {
  core = await startCore({ services: { codex: { port: 1 } } });
  const s = await session();
  sessionId = s.id;
  validUser = await mintUserToken(core.deps.keys, s);
  signing = await core.deps.keys.signingKey();
  auth = createAuth({ audience: "codex", keys: remoteJwks(core.url), sessionCheck: coreSessionCheck(core.url, 0) });
});
afterAll(() => core.stop());

async function libAuthRejects(token: string): Promise<string> {
  try {
    await auth.verify(token);
  } catch (e) {
    expect(e).toBeInstanceOf(HttpError);
    expect((e as HttpError).status).toBe(401);
    return (e as HttpError).code;
  }
  throw new Error("lib/auth accepted a token it should refuse");
}

async function validateRejects(token: string): Promise<string> {
  const res = await postJson(`${core.url}/api/token/validate`, { token });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { valid: boolean; error?: string };
  expect(body.valid).toBe(false);
  return body.error!;
}

describe("a genuine token", () => {
  test("is accepted by lib/auth and by /api/token/validate", async () => {
    const principal: Principal = await auth.verify(validUser);
    expect(principal.kind).toBe("user");
    const res = await postJson(`${core.url}/api/token/validate`, { token: validUser });
    expect(await res.json()).toMatchObject({
      valid: true,
      user: { preferred_username: "tech", permission_level: "technician", jti: sessionId },
    });
  });

  test("a service token for this app is accepted by lib/auth", async () => {
    const principal = await auth.verify(await mintServiceToken(core.deps.keys, "helm", "codex"));
    expect(principal).toMatchObject({ kind: "service", claims: { calling_service: "helm", aud: "codex" } });
  });
});

describe("refused by both lib/auth and /api/token/validate", () => {
  test("alg: none", async () => {
    const token = `${b64({ alg: "none", typ: "JWT" })}.${b64(userPayload())}.`;
    await libAuthRejects(token);
    expect(await validateRejects(token)).toBe("algorithm_not_allowed");
  });

  test("HS256 signed with Core's public key as the HMAC secret", async () => {
    const pem = await exportSPKI((await importJWK((await core.deps.keys.jwks()).keys[0]!, "RS256")) as CryptoKey);
    const head = b64({ alg: "HS256", typ: "JWT", kid: signing.kid });
    const body = b64(userPayload());
    const sig = createHmac("sha256", pem).update(`${head}.${body}`).digest("base64url");
    const token = `${head}.${body}.${sig}`;
    expect(await libAuthRejects(token)).toBe("invalid_token");
    expect(await validateRejects(token)).toBe("algorithm_not_allowed");
  });

  test("an unknown kid (signed by a key Core never published)", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const token = await sign(userPayload(), privateKey, "not-a-core-key");
    expect(await libAuthRejects(token)).toBe("invalid_token");
    expect(await validateRejects(token)).toBe("unknown_key");
  });

  test("a tampered payload", async () => {
    const [h, , s] = validUser.split(".");
    const token = `${h}.${b64(userPayload({ permission_level: "admin", groups: ["admins"] }))}.${s}`;
    expect(await libAuthRejects(token)).toBe("invalid_token");
    expect(await validateRejects(token)).toBe("bad_signature");
  });

  test("an expired token", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await sign(userPayload({ iat: now - 7200, exp: now - 3600 }));
    expect(await libAuthRejects(token)).toBe("token_expired");
    expect(await validateRejects(token)).toBe("token_expired");
  });

  test("a wrong issuer", async () => {
    const token = await sign(userPayload({ iss: "hivematrix-core" }));
    expect(await libAuthRejects(token)).toBe("invalid_token");
    expect(await validateRejects(token)).toBe("bad_claim_iss");
  });

  test("a user token carrying an audience (user tokens have none)", async () => {
    const token = await sign(userPayload({ aud: "codex" }));
    expect(await libAuthRejects(token)).toBe("invalid_token");
    expect(await validateRejects(token)).toBe("unexpected_audience");
  });

  test("a service token for another audience", async () => {
    const token = await mintServiceToken(core.deps.keys, "codex", "helm");
    expect(await libAuthRejects(token)).toBe("invalid_token");
    expect(await validateRejects(token)).toBe("not_a_session_token");
  });

  test("a revoked session", async () => {
    const s = await session();
    const token = await mintUserToken(core.deps.keys, s);
    await auth.verify(token);
    const res = await postJson(`${core.url}/api/token/revoke`, { token });
    expect(res.status).toBe(200);
    expect(await validateRejects(token)).toBe("session_revoked");
    expect(await libAuthRejects(token)).toBe("session_invalid");
  });

  test("a token whose session row does not exist", async () => {
    const token = await sign(userPayload({ jti: "no-such-session-0000000000" }));
    expect(await validateRejects(token)).toBe("unknown_session");
    expect(await libAuthRejects(token)).toBe("session_invalid");
  });
});

describe("/api/token/revoke", () => {
  test("refuses a token Core did not sign and an unknown session", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    expect(
      (await postJson(`${core.url}/api/token/revoke`, { token: await sign(userPayload(), privateKey, "x") })).status,
    ).toBe(400);
    expect(
      (await postJson(`${core.url}/api/token/revoke`, { token: await sign(userPayload({ jti: "gone-00000000000" })) }))
        .status,
    ).toBe(404);
  });
});
