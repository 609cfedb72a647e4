import { afterAll, describe, expect, test } from "bun:test";
import { postgresTestUrl, type RunningProcess, withPostgres } from "@hivematrix/lib/testing";
import { SQL } from "bun";
import {
  accountsIn,
  elsewhere,
  type Install,
  newInstall,
  run,
  startApp,
  token,
  tokenValid,
  writeLoad,
} from "./ops-harness.ts";

/**
 * The operator's round trip: `bun run backup` while Codex takes a steady stream of writes, then
 * `bun run restore` into a fresh home (a new machine) and the apps started on it. Every write
 * acknowledged before the backup began is there, and a token issued before the backup still
 * validates (Core's keys and sessions came back).
 */

const running: RunningProcess[] = [];
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const p of running) await p.stop();
  for (const c of cleanups) await c();
}, 60_000);

async function startBoth(install: Install) {
  for (const name of ["core", "codex"] as const) running.push(await startApp(install, name));
}

async function stopAll() {
  for (const p of running.splice(0)) await p.stop();
}

async function roundTrip(install: Install, fresh: Install) {
  expect((await run("scripts/backup.ts", ["--init"], install.env)).code).toBe(0);
  await startBoth(install);
  const bearer = await token(install);
  const load = writeLoad(install, bearer);
  while (load.acknowledged.length < 20) await Bun.sleep(20);
  const began = Date.now();
  const backup = await run("scripts/backup.ts", [], install.env);
  const ended = Date.now();
  await Bun.sleep(100);
  await load.stop();
  if (backup.code !== 0) throw new Error(`backup failed: ${backup.err}`);
  const file = /Backed up to (\S+): /.exec(backup.out)?.[1];
  expect(file).toBeTruthy();
  const before = load.acknowledged.filter((w) => w.at < began).map((w) => w.account);
  // The load really ran while the backup did.
  expect(load.acknowledged.some((w) => w.at >= began && w.at <= ended)).toBe(true);
  await stopAll();

  const restore = await run("scripts/restore.ts", [file!], fresh.env);
  if (restore.code !== 0) throw new Error(`restore failed: ${restore.err}`);
  expect(restore.out).toContain("Restored.");
  await startBoth(fresh);
  const restored = await accountsIn(fresh, bearer);
  expect(before.filter((a) => !restored.has(a))).toEqual([]);
  expect(await tokenValid(fresh, bearer)).toBe(true);
  await stopAll();
  return { before: before.length, restored: restored.size };
}

describe("bun run backup under load, then bun run restore into a fresh home", () => {
  test("on SQLite: every write acknowledged before the backup is restored, and an old token validates", async () => {
    const install = await newInstall();
    const { before, restored } = await roundTrip(install, elsewhere(install));
    expect(restored).toBeGreaterThanOrEqual(before);
  }, 180_000);

  test.skipIf(!postgresTestUrl())(
    "on PostgreSQL: the same, with Core and Codex restored into databases that did not exist",
    async () => {
      const core = await withPostgres("hm_backup_core");
      const codex = await withPostgres("hm_backup_codex");
      cleanups.push(core.drop, codex.drop);
      const install = await newInstall({ CORE_DATABASE_URL: core.url, CODEX_DATABASE_URL: codex.url });
      const target = (url: string, name: string) => {
        const u = new URL(url);
        u.pathname = `/${name}`;
        return u.toString();
      };
      const suffix = crypto.randomUUID().slice(0, 8);
      const names = [`hm_restored_core_${suffix}`, `hm_restored_codex_${suffix}`];
      cleanups.push(async () => {
        const admin = new SQL(postgresTestUrl()!);
        for (const n of names) await admin.unsafe(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`);
        await admin.close();
      });
      const fresh = elsewhere(install, {
        CORE_DATABASE_URL: target(core.url, names[0]!),
        CODEX_DATABASE_URL: target(codex.url, names[1]!),
      });
      const { before, restored } = await roundTrip(install, fresh);
      expect(restored).toBeGreaterThanOrEqual(before);
    },
    180_000,
  );
});
