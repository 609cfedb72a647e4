import { afterAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { postgresTestUrl, startPlatform, tempHome, withPostgres } from "@hivematrix/lib/testing";
import { startCore, postJson } from "./harness.ts";
import { createSession, purgeExpiredSessions } from "../src/sessions/data.ts";
import { mintUserToken } from "../src/tokens/mint.ts";

const newSession = (ttlMs: number) => ({
  sub: "u-9",
  username: "billing",
  name: "Bea Billing",
  email: "billing@hivematrix.local",
  permissionLevel: "billing" as const,
  groups: ["billing"],
  company: null,
  source: "login" as const,
  ttlMs,
});

const validate = async (url: string, token: string) =>
  (await (await postJson(`${url}/api/token/validate`, { token })).json()) as { valid: boolean; error?: string };

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

for (const engine of engines) {
  describe(`sessions on ${engine.name}`, () => {
    test("survive a Core restart", async () => {
      const { env, cleanup } = await engine.env();
      const home = tempHome();
      let core = await startCore({ home, env });
      const token = await mintUserToken(core.deps.keys, await createSession(core.deps.db, newSession(600_000)));
      expect(await validate(core.url, token)).toMatchObject({ valid: true });
      await core.stop();
      core = await startCore({ home, env });
      expect(await validate(core.url, token)).toMatchObject({ valid: true });
      await core.stop();
      await cleanup();
    });

    test("an expired session is refused, then purged", async () => {
      const { env, cleanup } = await engine.env();
      const core = await startCore({ env });
      // Two seconds, because the JWT's exp is whole seconds and may fall up to one second
      // before the session's own expiry.
      const session = await createSession(core.deps.db, newSession(2_000));
      const token = await mintUserToken(core.deps.keys, session);
      expect(await validate(core.url, token)).toMatchObject({ valid: true });
      await Bun.sleep(session.expiresAt.getTime() - Date.now() + 100);
      expect((await validate(core.url, token)).valid).toBe(false);
      expect(await purgeExpiredSessions(core.deps.db)).toBe(1);
      const rows = await core.deps.db.db
        .select()
        .from(core.deps.db.t.sessions)
        .where(eq(core.deps.db.t.sessions.id, session.id));
      expect(rows).toEqual([]);
      await core.stop();
      await cleanup();
    });
  });
}

describe("the purge timer", () => {
  let stop: (() => Promise<void>) | undefined;
  afterAll(() => stop?.());

  test("removes expired sessions from a running Core on its own", async () => {
    const platform = await startPlatform({ env: { CORE_SESSION_TTL_SECONDS: "1", CORE_PURGE_INTERVAL_SECONDS: "1" } });
    stop = platform.stop;
    const { openCoreDb } = await import("../src/deps.ts");
    const db = await openCoreDb({ databaseUrl: null, sqlitePath: `${platform.home}/data/core.db` });
    const session = await createSession(db, newSession(500));
    await Bun.sleep(2_600);
    const rows = await db.db.select().from(db.t.sessions).where(eq(db.t.sessions.id, session.id));
    expect(rows).toEqual([]);
    await db.close();
  });
});
