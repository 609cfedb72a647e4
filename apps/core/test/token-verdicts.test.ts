import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { decodeJwt, decodeProtectedHeader, exportPKCS8, importPKCS8, SignJWT } from "jose";
import { postgresTestUrl, withPostgres } from "@hivematrix/lib/testing";
import { startCore, postJson, type CoreUnderTest } from "./harness.ts";
import { createSession } from "../src/sessions/data.ts";
import { mintServiceToken, mintUserToken } from "../src/tokens/mint.ts";

/**
 * The words /api/token/validate and /api/token/revoke answer with, one worked example each
 * (token-rejection.test.ts has the attacks both lib/auth and Core refuse), and what Core writes
 * to its log about a session: never more than the first 8 characters of its id.
 */
const engines: { name: string; env: () => Promise<{ env: Record<string, string>; cleanup(): Promise<void> }> }[] = [
  { name: "SQLite", env: async () => ({ env: {}, cleanup: async () => {} }) },
];
if (postgresTestUrl()) {
  engines.push({
    name: "Postgres",
    env: async () => {
      const db = await withPostgres("hm_core");
      return { env: { CORE_DATABASE_URL: db.url }, cleanup: db.drop };
    },
  });
}

const NOW = () => Math.floor(Date.now() / 1000);

test("tokens are typed JWT; a service token lives 300 s from the second it was minted", async () => {
  const core = await startCore();
  try {
    // 2026-01-01T00:00:00.999Z: whole seconds, rounded down.
    const token = await mintServiceToken(core.deps.keys, "helm", "codex", Date.UTC(2026, 0, 1, 0, 0, 0, 999));
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: "RS256", typ: "JWT" });
    expect(decodeJwt(token)).toMatchObject({ iat: 1767225600, exp: 1767225900, sub: "service:helm", aud: "codex" });
  } finally {
    await core.stop();
  }
});

for (const engine of engines) {
  describe(`token verdicts on ${engine.name}`, () => {
    let core: CoreUnderTest;
    let cleanup: () => Promise<void>;
    let signing: Awaited<ReturnType<CoreUnderTest["deps"]["keys"]["signingKey"]>>;

    beforeAll(async () => {
      const db = await engine.env();
      cleanup = db.cleanup;
      core = await startCore({ env: db.env });
      signing = await core.deps.keys.signingKey();
    });
    afterAll(async () => {
      await core.stop();
      await cleanup();
    });

    const newSession = () =>
      createSession(core.deps.db, {
        sub: "u-7",
        username: "tina",
        name: "Tina Tech",
        email: "tina@msp.example",
        permissionLevel: "technician",
        groups: ["technicians"],
        company: null,
        source: "login",
        ttlMs: 600_000,
      });
    /** Signed with Core's own key, so only the claims or the header decide. */
    const coreSigned = async (claims: Record<string, unknown>, alg = "RS256") =>
      new SignJWT(claims)
        .setProtectedHeader({ alg, kid: signing.kid })
        .sign(alg === "RS256" ? signing.privateKey : await importPKCS8(await exportPKCS8(signing.privateKey), alg));
    const userClaims = (jti: string) => ({
      iss: "hivematrix.core",
      type: "user",
      sub: "u-7",
      jti,
      name: "Tina Tech",
      email: "tina@msp.example",
      preferred_username: "tina",
      permission_level: "technician",
      groups: ["technicians"],
      iat: NOW(),
      exp: NOW() + 600,
    });
    const verdict = async (token: string) => (await postJson(`${core.url}/api/token/validate`, { token })).json();
    const revoke = async (token: string) => {
      const res = await postJson(`${core.url}/api/token/revoke`, { token });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };

    test("validate: each refusal in its own words", async () => {
      const { id } = await newSession();
      const { iat: _iat, ...noIat } = userClaims(id);
      const { exp: _exp, ...noExp } = userClaims(id);
      const { preferred_username: _name, ...noName } = userClaims(id);
      for (const [what, token, error] of [
        ["not a JWT", "not-a-token", "malformed_token"],
        ["three parts of nothing", "a.b.c", "malformed_token"],
        ["PS256 with Core's key", await coreSigned(userClaims(id), "PS256"), "algorithm_not_allowed"],
        ["no iat", await coreSigned(noIat), "bad_claim_iat"],
        ["no exp", await coreSigned(noExp), "bad_claim_exp"],
        ["a user claim missing", await coreSigned(noName), "malformed_claims"],
      ] as const) {
        expect([what, await verdict(token)]).toEqual([what, { valid: false, error }]);
      }
      expect(await verdict(await coreSigned(userClaims(id)))).toMatchObject({ valid: true, user: { jti: id } });
    });

    test("revoke: a token Core did not issue is a 400 saying why", async () => {
      const { id } = await newSession();
      for (const [what, token, reason] of [
        ["PS256 with Core's key", await coreSigned(userClaims(id), "PS256"), "algorithm_not_allowed"],
        ["another issuer", await coreSigned({ ...userClaims(id), iss: "hivematrix-core" }), "bad_claim_iss"],
        ["not a JWT", "not-a-token", "malformed_token"],
      ] as const) {
        expect([what, await revoke(token)]).toEqual([
          what,
          {
            status: 400,
            body: {
              error: { code: "invalid_token", message: `This is not a token Core issued (${reason}).`, details: null },
            },
          },
        ]);
      }
    });

    test("revoke: an expired token of a live session still ends it; a service token names no session (404)", async () => {
      const session = await newSession();
      const expired = await coreSigned({ ...userClaims(session.id), iat: NOW() - 7200, exp: NOW() - 3600 });
      expect(await revoke(expired)).toEqual({ status: 200, body: { message: "Session revoked." } });
      expect(await verdict(await mintUserToken(core.deps.keys, session))).toEqual({
        valid: false,
        error: "session_revoked",
      });
      const notFound = {
        status: 404,
        body: { error: { code: "not_found", message: "No session matches this token.", details: null } },
      };
      expect(await revoke(await mintServiceToken(core.deps.keys, "helm", "codex"))).toEqual(notFound);
    });

    test("a request body is required: none is a 415, an empty one a 400", async () => {
      for (const path of ["/api/token/exchange", "/api/token/validate", "/api/token/revoke"]) {
        const none = await fetch(`${core.url}${path}`, { method: "POST" });
        const empty = await fetch(`${core.url}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
        });
        expect([path, none.status, empty.status]).toEqual([path, 415, 400]);
      }
    });

    test("the log names a session by the first 8 characters of its id, never the whole id", async () => {
      const session = await newSession();
      await revoke(await mintUserToken(core.deps.keys, session));
      const lines = core.logs.filter((line) => line.includes("session revoked by its holder"));
      expect(lines.some((line) => JSON.parse(line).session === session.id.slice(0, 8))).toBe(true);
      expect(core.logs.some((line) => line.includes(session.id))).toBe(false);
    });
  });
}
