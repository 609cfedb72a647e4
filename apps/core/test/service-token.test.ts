import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { decodeJwt } from "jose";
import { rmSync } from "node:fs";
import { IDENTITY_PROVIDER } from "@hivematrix/lib/config";
import { secretPath, serviceSecret } from "@hivematrix/lib/secrets";
import { startCore, postJson, type CoreUnderTest } from "./harness.ts";

let core: CoreUnderTest;
const basic = (user: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${secret}`).toString("base64")}`,
});

beforeAll(async () => {
  core = await startCore({ services: { codex: { port: 1 }, helm: { port: 2 } } });
});
afterAll(() => core.stop());

describe("POST /service-token", () => {
  test("a registered service with its secret gets a 5-minute token for the target", async () => {
    const res = await postJson(
      `${core.url}/service-token`,
      { calling_service: "codex", target_service: "helm" },
      basic("codex", serviceSecret(core.home, "codex")),
    );
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: "hivematrix.core",
      type: "service",
      sub: "service:codex",
      calling_service: "codex",
      target_service: "helm",
      aud: "helm",
    });
    expect(claims.exp! - claims.iat!).toBe(300);
  });

  test("the identity provider with its secret gets a token for Helm (its logs), and for nothing else", async () => {
    const asIdp = (target: string) =>
      postJson(
        `${core.url}/service-token`,
        { calling_service: IDENTITY_PROVIDER, target_service: target },
        basic(IDENTITY_PROVIDER, serviceSecret(core.home, IDENTITY_PROVIDER)),
      );
    const res = await asIdp("helm");
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    expect(decodeJwt(token)).toMatchObject({ calling_service: "idp", aud: "helm" });
    expect((await asIdp("codex")).status).toBe(403);
  });

  test("no credentials → 401 with a Basic challenge", async () => {
    const res = await postJson(`${core.url}/service-token`, { calling_service: "codex", target_service: "helm" });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain("Basic");
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_client");
  });

  test("a wrong secret → 401", async () => {
    const res = await postJson(
      `${core.url}/service-token`,
      { calling_service: "codex", target_service: "helm" },
      basic("codex", "not-the-secret"),
    );
    expect(res.status).toBe(401);
  });

  test("an unknown caller → 401 even with some secret", async () => {
    const res = await postJson(
      `${core.url}/service-token`,
      { calling_service: "evil", target_service: "helm" },
      basic("evil", serviceSecret(core.home, "codex")),
    );
    expect(res.status).toBe(401);
  });

  test("another service's secret does not work", async () => {
    const res = await postJson(
      `${core.url}/service-token`,
      { calling_service: "codex", target_service: "helm" },
      basic("codex", serviceSecret(core.home, "helm")),
    );
    expect(res.status).toBe(401);
  });

  test("an unknown target → 400", async () => {
    const res = await postJson(
      `${core.url}/service-token`,
      { calling_service: "codex", target_service: "ledger" },
      basic("codex", serviceSecret(core.home, "codex")),
    );
    expect(res.status).toBe(400);
  });

  test("a token for itself → 400", async () => {
    const res = await postJson(
      `${core.url}/service-token`,
      { calling_service: "codex", target_service: "codex" },
      basic("codex", serviceSecret(core.home, "codex")),
    );
    expect(res.status).toBe(400);
  });

  test("calling_service must be the authenticated service → 403", async () => {
    const res = await postJson(
      `${core.url}/service-token`,
      { calling_service: "helm", target_service: "core" },
      basic("codex", serviceSecret(core.home, "codex")),
    );
    expect(res.status).toBe(403);
  });

  test("secrets are stored hashed in Core's database, never in clear", async () => {
    const rows = await core.deps.db.db.select().from(core.deps.db.t.serviceCredentials);
    expect(rows.map((r) => r.service).sort()).toEqual(["codex", "core", "helm", "idp"]);
    for (const r of rows) {
      expect(r.secretHash).toMatch(/^[0-9a-f]{64}$/);
      expect(r.secretHash).not.toBe(serviceSecret(core.home, r.service));
    }
  });
});

describe("a service whose secret changes while Core runs", () => {
  const RECHECK_MS = 400;
  let fresh: CoreUnderTest;
  beforeAll(async () => {
    fresh = await startCore({ services: { codex: { port: 1 }, helm: { port: 2 } }, secretRecheckMs: RECHECK_MS });
  });
  afterAll(() => fresh.stop());

  const ask = (secret: string) =>
    postJson(
      `${fresh.url}/service-token`,
      { calling_service: "codex", target_service: "helm" },
      basic("codex", secret),
    ).then((r) => r.status);

  test("an app that lost its secret and made a new one at restart is let in at once, without restarting Core", async () => {
    const old = serviceSecret(fresh.home, "codex");
    expect(await ask(old)).toBe(200);
    rmSync(secretPath(fresh.home, "service-codex"));
    const renewed = serviceSecret(fresh.home, "codex");
    expect(renewed).not.toBe(old);
    expect(await ask(renewed)).toBe(200);
    expect(await ask(old)).toBe(401);
    expect(fresh.logs.some((l) => l.includes("a service's secret changed on disk"))).toBe(true);
  });

  test("wrong secrets do not each read the file: a change is seen at most once per interval", async () => {
    await Bun.sleep(RECHECK_MS + 50);
    expect(await ask("a-wrong-guess")).toBe(401);
    rmSync(secretPath(fresh.home, "service-codex"));
    const renewed = serviceSecret(fresh.home, "codex");
    // Within the interval after the last re-read, the file is not read again.
    expect(await ask(renewed)).toBe(401);
    await Bun.sleep(RECHECK_MS + 50);
    expect(await ask(renewed)).toBe(200);
  });
});
