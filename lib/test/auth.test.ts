import { afterAll, afterEach, beforeAll, describe, expect, setSystemTime, test } from "bun:test";
import { Hono } from "hono";
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import {
  bearerToken,
  coreSessionCheck,
  createAuth,
  permissionLevelFor,
  remoteJwks,
  type SessionCheck,
  VerifiedTokenCache,
  verifyToken,
} from "../src/auth.ts";
import { HttpError } from "../src/errors.tsx";

/**
 * lib/auth's rules, each from a worked example: RS256 tokens from Core's issuer only, a user
 * token with every claim of DESIGN.md and no audience, a service token only for this app, the
 * session asked about on every request, and Core's being unreachable a 503, never a bad token.
 */
const NOW = () => Math.floor(Date.now() / 1000);
const BEARER_INVALID = 'Bearer realm="hivematrix", error="invalid_token"';

let privateKey: CryptoKey;
let jwk: JWK;
const keys = () => createLocalJWKSet({ keys: [jwk] });

const userClaims = {
  iss: "hivematrix.core",
  type: "user",
  sub: "u-1",
  jti: "session-1",
  name: "Toby Technician",
  email: "tech@msp.example",
  preferred_username: "tech",
  permission_level: "technician",
  groups: ["technicians"],
};
const serviceClaims = {
  iss: "hivematrix.core",
  type: "service",
  sub: "service:helm",
  calling_service: "helm",
  target_service: "codex",
  aud: "codex",
};

async function sign(claims: Record<string, unknown>, o: { iat?: number; exp?: number; kid?: string } = {}) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid: o.kid ?? "k1" })
    .setIssuedAt(o.iat ?? NOW())
    .setExpirationTime(o.exp ?? NOW() + 600)
    .sign(privateKey);
}

const live: SessionCheck = async () => ({ valid: true });
const options = (o: { sessionCheck?: SessionCheck; verifiedTokens?: VerifiedTokenCache } = {}) => ({
  audience: "codex",
  keys: keys(),
  sessionCheck: o.sessionCheck ?? live,
  ...(o.verifiedTokens ? { verifiedTokens: o.verifiedTokens } : {}),
});

/** The HttpError a promise rejects with, as plain fields. */
async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (e) {
    if (!(e instanceof HttpError)) throw e;
    return { status: e.status, code: e.code, message: e.message, headers: e.headers };
  }
  throw new Error("expected a refusal");
}

afterEach(() => setSystemTime());

beforeAll(async () => {
  const pair = await generateKeyPair("RS256");
  privateKey = pair.privateKey;
  jwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256" };
});

describe("verifyToken: user tokens", () => {
  test("a genuine token gives the person's claims", async () => {
    const token = await sign({ ...userClaims, company: "ACME-001" });
    const principal = await verifyToken(token, options());
    expect(principal.kind).toBe("user");
    expect(principal.claims).toMatchObject({ ...userClaims, company: "ACME-001" });
  });

  test("an expired token is 401 token_expired with the Bearer challenge", async () => {
    const token = await sign(userClaims, { iat: NOW() - 120, exp: NOW() - 60 });
    expect(await refusal(verifyToken(token, options()))).toEqual({
      status: 401,
      code: "token_expired",
      message: "The token has expired.",
      headers: { "WWW-Authenticate": BEARER_INVALID },
    });
  });

  test("a key Core never published, another algorithm, another issuer, a missing iat", async () => {
    const unknownKid = await sign(userClaims, { kid: "k2" });
    expect(await refusal(verifyToken(unknownKid, options()))).toMatchObject({
      status: 401,
      code: "invalid_token",
      message: "The token was signed by an unknown key.",
      headers: { "WWW-Authenticate": BEARER_INVALID },
    });
    const hs256 = await new SignJWT(userClaims)
      .setProtectedHeader({ alg: "HS256", kid: "k1" })
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(new Uint8Array(32));
    expect(await refusal(verifyToken(hs256, options()))).toMatchObject({
      status: 401,
      code: "invalid_token",
      message: "The token's algorithm is not allowed.",
      headers: { "WWW-Authenticate": BEARER_INVALID },
    });
    expect(await refusal(verifyToken(await sign({ ...userClaims, iss: "evil" }), options()))).toMatchObject({
      status: 401,
      code: "invalid_token",
      message: "The token's iss claim is not acceptable.",
      headers: { "WWW-Authenticate": BEARER_INVALID },
    });
    const noIat = await new SignJWT(userClaims)
      .setProtectedHeader({ alg: "RS256", kid: "k1" })
      .setExpirationTime("10m");
    expect(await refusal(verifyToken(await noIat.sign(privateKey), options()))).toMatchObject({
      message: "The token's iat claim is not acceptable.",
    });
    const noExp = new SignJWT(userClaims).setProtectedHeader({ alg: "RS256", kid: "k1" }).setIssuedAt();
    expect(await refusal(verifyToken(await noExp.sign(privateKey), options()))).toMatchObject({
      message: "The token's exp claim is not acceptable.",
    });
  });

  test("a token that is not a JWT at all is 401 invalid_token", async () => {
    expect(await refusal(verifyToken("abc.def.ghi", options()))).toEqual({
      status: 401,
      code: "invalid_token",
      message: "The token is invalid.",
      headers: { "WWW-Authenticate": BEARER_INVALID },
    });
  });

  test("a missing or empty claim is a malformed user token", async () => {
    for (const broken of [
      { ...userClaims, jti: "" },
      { ...userClaims, sub: "" },
      { ...userClaims, preferred_username: "" },
      { ...userClaims, company: "" },
      { ...userClaims, permission_level: "owner" },
      { ...userClaims, groups: "admins" },
      { ...userClaims, name: undefined },
      { ...userClaims, email: undefined },
    ]) {
      expect(await refusal(verifyToken(await sign(broken), options()))).toEqual({
        status: 401,
        code: "invalid_token",
        message: "The user token is malformed.",
        headers: {},
      });
    }
  });

  test("a user token carrying an audience was not minted by Core", async () => {
    expect(await refusal(verifyToken(await sign({ ...userClaims, aud: "codex" }), options()))).toMatchObject({
      status: 401,
      code: "invalid_token",
      message: "A user token carries no audience.",
    });
  });

  test("a token of no known type is refused", async () => {
    for (const type of ["admin", undefined]) {
      expect(await refusal(verifyToken(await sign({ ...userClaims, type }), options()))).toMatchObject({
        status: 401,
        code: "invalid_token",
        message: "The token has no known type.",
      });
    }
  });

  test("the session is asked about on every request, and a dead one is 401 session_invalid", async () => {
    const asked: string[] = [];
    let verdict: Awaited<ReturnType<SessionCheck>> = { valid: true };
    const sessionCheck: SessionCheck = async (token, claims) => {
      asked.push(`${claims.jti}:${token.length > 0}`);
      return verdict;
    };
    const cache = new VerifiedTokenCache();
    const token = await sign(userClaims);
    await verifyToken(token, options({ sessionCheck, verifiedTokens: cache }));
    await verifyToken(token, options({ sessionCheck, verifiedTokens: cache }));
    expect(asked).toEqual(["session-1:true", "session-1:true"]);
    verdict = { valid: false, error: "revoked" };
    expect(await refusal(verifyToken(token, options({ sessionCheck, verifiedTokens: cache })))).toEqual({
      status: 401,
      code: "session_invalid",
      message: "The session is no longer valid (revoked).",
      headers: {},
    });
  });
});

describe("verifyToken: service tokens", () => {
  test("one for this app passes without a session check", async () => {
    const sessionCheck: SessionCheck = async () => {
      throw new Error("a service token has no session");
    };
    const principal = await verifyToken(await sign(serviceClaims), options({ sessionCheck }));
    expect(principal).toMatchObject({ kind: "service", claims: { calling_service: "helm", aud: "codex" } });
  });

  test("one for another app is refused, by audience or by target", async () => {
    for (const claims of [
      { ...serviceClaims, aud: "helm", target_service: "helm" },
      { ...serviceClaims, target_service: "helm" },
      { ...serviceClaims, aud: "helm" },
    ]) {
      expect(await refusal(verifyToken(await sign(claims), options()))).toEqual({
        status: 401,
        code: "invalid_token",
        message: `This service token is for ${claims.aud}, not codex.`,
        headers: {},
      });
    }
  });

  test("a malformed one is refused", async () => {
    for (const claims of [
      { ...serviceClaims, sub: "helm" },
      { ...serviceClaims, calling_service: "" },
      { ...serviceClaims, target_service: "" },
      { ...serviceClaims, aud: undefined },
    ]) {
      expect(await refusal(verifyToken(await sign(claims), options()))).toMatchObject({
        status: 401,
        code: "invalid_token",
        message: "The service token is malformed.",
      });
    }
  });
});

describe("the verified-token cache", () => {
  test("a cached token is not verified again, but its expiry still counts", async () => {
    const cache = new VerifiedTokenCache();
    const exp = NOW() + 60;
    const token = await sign(userClaims, { iat: NOW() - 10, exp });
    await verifyToken(token, options({ verifiedTokens: cache }));
    expect(cache.get(token)?.kind).toBe("user");
    // With the keys gone, only the cache can vouch for the token.
    const noKeys = { ...options({ verifiedTokens: cache }), keys: createLocalJWKSet({ keys: [] }) };
    setSystemTime(new Date(exp * 1000 - 1));
    expect((await verifyToken(token, noKeys)).kind).toBe("user");
    setSystemTime(new Date(exp * 1000));
    expect(await refusal(verifyToken(token, noKeys))).toEqual({
      status: 401,
      code: "token_expired",
      message: "The token has expired.",
      headers: { "WWW-Authenticate": BEARER_INVALID },
    });
    expect(cache.get(token)).toBeUndefined();
  });

  test("holds at most its size, dropping the oldest first", () => {
    const cache = new VerifiedTokenCache(2);
    const principal = { kind: "service", claims: serviceClaims } as never;
    cache.set("a", principal);
    cache.set("b", principal);
    cache.set("c", principal);
    expect([cache.get("a"), cache.get("b"), cache.get("c")].map(Boolean)).toEqual([false, true, true]);
    cache.delete("b");
    expect(cache.get("b")).toBeUndefined();
  });
});

describe("bearerToken", () => {
  const of = (authorization?: string) =>
    bearerToken({ req: { header: () => authorization } } as unknown as Parameters<typeof bearerToken>[0]);
  test("only `Bearer <three base64url parts>`", () => {
    expect(of("Bearer aa.bb.cc")).toBe("aa.bb.cc");
    expect(of("  Bearer a-_.b.  ")).toBe("a-_.b.");
    expect(of(undefined)).toBeNull();
    for (const bad of ["bearer aa.bb.cc", "Bearer aa.bb", "Bearer aa.bb.cc.dd", "Bearer aa.b b.cc", "Basic aa.bb.cc"]) {
      expect([bad, of(bad)]).toEqual([bad, null]);
    }
    expect(of("xBearer aa.bb.cc")).toBeNull();
    expect(of("Bearer aa.bb.cc x")).toBeNull();
  });
});

describe("permissionLevelFor", () => {
  test("admins, then technicians, then billing; anything else is client; a leading slash is ignored", () => {
    expect(permissionLevelFor(["billing", "technicians", "admins"])).toBe("admin");
    expect(permissionLevelFor(["billing", "/technicians"])).toBe("technician");
    expect(permissionLevelFor(["//billing"])).toBe("billing");
    expect(permissionLevelFor(["client", "x/admins", "admin/s"])).toBe("client");
    expect(permissionLevelFor([])).toBe("client");
  });
});

describe("createAuth's middleware", () => {
  const app = () => {
    const auth = createAuth(options());
    const a = new Hono();
    a.onError((e, c) =>
      e instanceof HttpError
        ? c.json({ code: e.code, message: e.message, challenge: e.headers["WWW-Authenticate"] ?? null }, e.status)
        : c.text("bug", 500),
    );
    const who = (c: { get(k: string): unknown }) => ({
      user: (c.get("user") as { preferred_username?: string } | null)?.preferred_username ?? null,
      service: c.get("service"),
      isServiceCall: c.get("isServiceCall"),
      token: (c.get("token") as string).length > 0,
    });
    a.get("/any", auth.tokenRequired, (c) => c.json(who(c)));
    a.get("/people", auth.userRequired, (c) => c.json(who(c)));
    a.get("/billing-page", auth.requireUser("billing", "admin"), (c) => c.json(who(c)));
    a.get("/billing-api", auth.requirePermission("billing"), (c) => c.json(who(c)));
    a.get("/money-api", auth.requirePermission("billing", "admin"), (c) => c.json(who(c)));
    a.get("/admin", auth.adminRequired, (c) => c.json(who(c)));
    return { a, auth };
  };
  const call = async (path: string, token?: string) => {
    const res = await app().a.fetch(
      new Request(`http://t${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {}),
    );
    return { status: res.status, body: await res.json() };
  };
  const person = (level: string) => sign({ ...userClaims, permission_level: level, preferred_username: level });

  test("no token is 401 with the Bearer challenge", async () => {
    expect(await call("/any")).toEqual({
      status: 401,
      body: {
        code: "unauthorized",
        message: "Authentication is required: send Authorization: Bearer <token>.",
        challenge: 'Bearer realm="hivematrix"',
      },
    });
  });

  test("the caller is set for the handler: a person, or a service", async () => {
    expect(await call("/any", await person("billing"))).toEqual({
      status: 200,
      body: { user: "billing", service: null, isServiceCall: false, token: true },
    });
    expect(await call("/any", await sign(serviceClaims))).toEqual({
      status: 200,
      body: { user: null, service: "helm", isServiceCall: true, token: true },
    });
  });

  test("pages are for people of the named levels; services are refused", async () => {
    expect((await call("/people", await person("client"))).status).toBe(200);
    expect(await call("/people", await sign(serviceClaims))).toEqual({
      status: 403,
      body: { code: "forbidden", message: "This page is for signed-in users, not services.", challenge: null },
    });
    expect((await call("/billing-page", await person("billing"))).status).toBe(200);
    expect((await call("/billing-page", await person("admin"))).status).toBe(200);
    expect(await call("/billing-page", await person("technician"))).toEqual({
      status: 403,
      body: {
        code: "forbidden",
        message: "This needs the billing or admin permission level; you are technician.",
        challenge: null,
      },
    });
  });

  test("APIs take the named levels and service calls", async () => {
    expect((await call("/billing-api", await person("billing"))).status).toBe(200);
    expect((await call("/billing-api", await sign(serviceClaims))).status).toBe(200);
    expect(await call("/billing-api", await person("client"))).toEqual({
      status: 403,
      body: { code: "forbidden", message: "This needs the billing permission level; you are client.", challenge: null },
    });
    expect((await call("/money-api", await person("technician"))).body.message).toBe(
      "This needs the billing or admin permission level; you are technician.",
    );
    expect((await call("/admin", await person("admin"))).status).toBe(200);
    expect((await call("/admin", await person("technician"))).status).toBe(403);
  });

  test("verify checks a token as the middleware does", async () => {
    const { auth } = app();
    expect((await auth.verify(await person("admin"))).kind).toBe("user");
    expect((await refusal(auth.verify("x.y.z"))).status).toBe(401);
  });
});

describe("talking to Core", () => {
  let core: ReturnType<typeof Bun.serve>;
  let answer: () => Response = () => Response.json({ valid: true });
  const rotated: JWK[] = [];
  const seen: unknown[] = [];

  beforeAll(() => {
    core = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      async fetch(req) {
        const url = new URL(req.url);
        if (url.pathname === "/.well-known/jwks.json") return Response.json({ keys: [jwk, ...rotated] });
        if (url.pathname !== "/api/token/validate" || req.method !== "POST") return new Response("no", { status: 404 });
        seen.push({ type: req.headers.get("content-type"), body: await req.json() });
        return answer();
      },
    });
  });
  afterAll(() => core.stop(true));
  const coreUrl = () => `http://127.0.0.1:${core.port}`;
  const claims = (jti: string, exp = NOW() + 600) => ({ ...userClaims, jti, iat: NOW(), exp }) as never;

  test("a live verdict is asked for with the token and remembered for the ttl", async () => {
    seen.length = 0;
    answer = () => Response.json({ valid: true });
    const check = coreSessionCheck(coreUrl(), 300);
    const start = Date.now();
    setSystemTime(new Date(start));
    expect(await check("tok-1", claims("live-1"))).toEqual({ valid: true });
    setSystemTime(new Date(start + 299));
    expect(await check("tok-1", claims("live-1"))).toEqual({ valid: true });
    expect(seen).toEqual([{ type: "application/json", body: { token: "tok-1" } }]);
    setSystemTime(new Date(start + 300));
    await check("tok-1", claims("live-1"));
    expect(seen.length).toBe(2);
  });

  test("a refusal is remembered until the token expires; forget drops it", async () => {
    seen.length = 0;
    answer = () => Response.json({ valid: false, error: "revoked" });
    const check = coreSessionCheck(coreUrl(), 1);
    const exp = NOW() + 600;
    expect(await check("tok-2", claims("dead-1", exp))).toEqual({ valid: false, error: "revoked" });
    answer = () => Response.json({ valid: true });
    setSystemTime(new Date(exp * 1000 - 1));
    expect(await check("tok-2", claims("dead-1", exp))).toEqual({ valid: false, error: "revoked" });
    expect(seen.length).toBe(1);
    setSystemTime(new Date(exp * 1000));
    expect(await check("tok-2", claims("dead-1", exp))).toEqual({ valid: true });
    setSystemTime();
    answer = () => Response.json({ valid: false, error: "revoked" });
    await check("tok-4", claims("dead-3"));
    answer = () => Response.json({ valid: true });
    expect(check.forget("dead-3")).toBe(true);
    expect(await check("tok-4", claims("dead-3"))).toEqual({ valid: true });
    answer = () => Response.json({ valid: false });
    expect(await check("tok-3", claims("dead-2"))).toEqual({ valid: false, error: "invalid" });
  });

  test("it holds at most its size of verdicts, dropping the oldest", async () => {
    seen.length = 0;
    answer = () => Response.json({ valid: true });
    const check = coreSessionCheck(coreUrl(), 60_000, 2);
    for (const jti of ["s-a", "s-b", "s-c", "s-b", "s-c", "s-a"]) await check("t", claims(jti));
    expect(seen.length).toBe(4);
  });

  test("Core down, answering an error, or not a verdict: 503 with Retry-After, never a refusal", async () => {
    const expect503 = async (check: SessionCheck, message: string) =>
      expect(await refusal(check("t", claims(crypto.randomUUID())))).toEqual({
        status: 503,
        code: "core_unavailable",
        message: `The identity service (Core) ${message}. Try again in a moment.`,
        headers: { "Retry-After": "5" },
      });
    answer = () => new Response("oops", { status: 500 });
    await expect503(coreSessionCheck(coreUrl()), "answered 500");
    answer = () => Response.json({ valid: "yes" });
    await expect503(coreSessionCheck(coreUrl()), "gave an answer that is not a verdict");
    answer = () => new Response("not json");
    await expect503(coreSessionCheck(coreUrl()), "gave an answer that is not a verdict");
    await expect503(coreSessionCheck("http://127.0.0.1:1"), "cannot be reached");
  });

  test("a key Core publishes later is fetched for the first token naming it, a second after the last fetch", async () => {
    const fromCore = { ...options(), keys: remoteJwks(coreUrl()) };
    expect((await verifyToken(await sign(userClaims), fromCore)).kind).toBe("user");
    const next = await generateKeyPair("RS256");
    rotated.push({ ...(await exportJWK(next.publicKey)), kid: "k-next", alg: "RS256" });
    const token = await new SignJWT(userClaims)
      .setProtectedHeader({ alg: "RS256", kid: "k-next" })
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(next.privateKey);
    await Bun.sleep(1_050);
    expect((await verifyToken(token, fromCore)).kind).toBe("user");
  });

  test("Core's keys: fetched from its JWKS; a token's unknown key is its own fault; Core down is a 503", async () => {
    const fromCore = { ...options(), keys: remoteJwks(coreUrl()) };
    expect((await verifyToken(await sign(userClaims), fromCore)).kind).toBe("user");
    expect(await refusal(verifyToken(await sign(userClaims, { kid: "k9" }), fromCore))).toMatchObject({
      status: 401,
      message: "The token was signed by an unknown key.",
    });
    const down = { ...options(), keys: remoteJwks("http://127.0.0.1:1") };
    expect(await refusal(verifyToken(await sign(userClaims), down))).toEqual({
      status: 503,
      code: "core_unavailable",
      message: "The identity service (Core) cannot be reached for its signing keys. Try again in a moment.",
      headers: { "Retry-After": "5" },
    });
  });
});
