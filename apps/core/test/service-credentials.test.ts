import { afterAll, afterEach, beforeAll, describe, expect, setSystemTime, test } from "bun:test";
import { rmSync } from "node:fs";
import { postgresTestUrl, withPostgres } from "@hivematrix/lib/testing";
import { secretPath, serviceSecret } from "@hivematrix/lib/secrets";
import { startCore, postJson, type CoreUnderTest } from "./harness.ts";
import { verifyServiceSecret } from "../src/service-tokens/data.ts";

/**
 * /service-token's rules, each with the words it answers (service-token.test.ts has the main
 * flows): HTTP Basic exactly, only services of the registry (and the identity provider), a
 * secret re-read from disk at most once per interval, every refusal logged with the caller.
 */
const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString("base64")}`;
type Refusal = { status: number; code: string; message: string };

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

afterEach(() => setSystemTime());

for (const engine of engines) {
  describe(`service credentials on ${engine.name}`, () => {
    let core: CoreUnderTest;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      const db = await engine.env();
      cleanup = db.cleanup;
      core = await startCore({
        env: db.env,
        services: { codex: { port: 1 }, helm: { port: 2 }, brainhair: { port: 3 } },
        secretRecheckMs: 5_000,
      });
    });
    afterAll(async () => {
      await core.stop();
      await cleanup();
    });

    const ask = async (
      authorization: string | null,
      body: unknown = { calling_service: "codex", target_service: "helm" },
    ) => {
      const res = await postJson(`${core.url}/service-token`, body, authorization ? { authorization } : {});
      const json = (await res.json()) as { token?: string; error?: { code: string; message: string } };
      return json.token
        ? { status: res.status }
        : { status: res.status, code: json.error!.code, message: json.error!.message };
    };
    const codex = () => basic("codex", serviceSecret(core.home, "codex"));
    const notBasic: Refusal = {
      status: 401,
      code: "invalid_client",
      message: "Authenticate with HTTP Basic: the service name and its secret from HIVEMATRIX_HOME/secrets.",
    };
    const wrong: Refusal = { status: 401, code: "invalid_client", message: "Unknown service or wrong secret." };

    test("the Authorization header must be exactly Basic <base64 of name:secret>", async () => {
      const good = codex();
      expect(await ask(good)).toEqual({ status: 200 });
      for (const header of [`x${good}`, `${good} extra`, good.replace("Basic", "basic"), "Basic", "Bearer abc"]) {
        expect([header, await ask(header)]).toEqual([header, notBasic]);
      }
      // No name before the colon, or no colon at all.
      expect(await ask(`Basic ${Buffer.from(":secret").toString("base64")}`)).toEqual(notBasic);
      expect(await ask(`Basic ${Buffer.from("codex").toString("base64")}`)).toEqual(notBasic);
    });

    test("a request body is required: none is a 415", async () => {
      const res = await fetch(`${core.url}/service-token`, { method: "POST", headers: { authorization: codex() } });
      expect(res.status).toBe(415);
    });

    test("only services of the registry: a secret left on disk for another name opens nothing", async () => {
      const ghost = serviceSecret(core.home, "ghost");
      expect(await ask(basic("ghost", ghost), { calling_service: "ghost", target_service: "helm" })).toEqual(wrong);
      const refusals = core.logs.map((l) => JSON.parse(l)).filter((l) => l.message === "service token refused");
      expect(refusals.at(-1)).toMatchObject({ level: "WARNING", caller: "ghost", reason: "bad credentials" });
    });

    test("service names are checked whole; each refusal of the body says why", async () => {
      for (const body of [
        { calling_service: "codex", target_service: "Helm" },
        { calling_service: "codex", target_service: "helm!" },
      ]) {
        const res = await postJson(`${core.url}/service-token`, body, { authorization: codex() });
        expect([body.target_service, res.status]).toEqual([body.target_service, 422]);
        const { error } = (await res.json()) as { error: { details: { field: string; message: string }[] } };
        expect(error.details).toEqual([{ field: "target_service", message: "a service name" }]);
      }
      expect(await ask(codex(), { calling_service: "helm", target_service: "brainhair" })).toEqual({
        status: 403,
        code: "forbidden",
        message: "Authenticated as codex, so calling_service must be codex.",
      });
      expect(await ask(codex(), { calling_service: "codex", target_service: "nowhere" })).toEqual({
        status: 400,
        code: "bad_request",
        message: 'Unknown target service "nowhere".',
      });
      expect(await ask(codex(), { calling_service: "codex", target_service: "codex" })).toEqual({
        status: 400,
        code: "bad_request",
        message: "A service cannot request a token for itself.",
      });
      expect(await ask(codex(), { calling_service: "codex", target_service: "brainhair" })).toEqual({ status: 200 });
      const idp = basic("idp", serviceSecret(core.home, "idp"));
      expect(await ask(idp, { calling_service: "idp", target_service: "codex" })).toEqual({
        status: 403,
        code: "forbidden",
        message: "The identity provider may only call helm.",
      });
    });

    test("a changed secret on disk is read again exactly once per interval", async () => {
      const start = Date.now();
      setSystemTime(new Date(start));
      expect(
        (await ask(basic("helm", "a-wrong-guess"), { calling_service: "helm", target_service: "codex" })).status,
      ).toBe(401);
      // An unchanged file read again is no news.
      expect(core.logs.some((l) => l.includes("a service's secret changed on disk"))).toBe(false);
      rmSync(secretPath(core.home, "service-helm"));
      const renewed = basic("helm", serviceSecret(core.home, "helm"));
      const asHelm = { calling_service: "helm", target_service: "codex" };
      setSystemTime(new Date(start + 4_999));
      expect((await ask(renewed, asHelm)).status).toBe(401);
      setSystemTime(new Date(start + 5_000));
      expect((await ask(renewed, asHelm)).status).toBe(200);
      const changed = core.logs.map((l) => JSON.parse(l)).find((l) => l.message.includes("secret changed on disk"));
      expect(changed).toMatchObject({ service: "helm" });
    });

    test("a registry service whose secret file is gone is refused, not let in and not a 500", async () => {
      rmSync(secretPath(core.home, "service-brainhair"));
      const asBrainhair = { calling_service: "brainhair", target_service: "codex" };
      expect(await ask(basic("brainhair", "any-guess"), asBrainhair)).toEqual(wrong);
    });

    test("a name with no stored hash never verifies, whatever the secret", async () => {
      expect(await verifyServiceSecret(core.deps.db, "nobody", "unknown:nobody")).toBe(false);
      expect(await verifyServiceSecret(core.deps.db, "nobody", "")).toBe(false);
    });
  });
}
