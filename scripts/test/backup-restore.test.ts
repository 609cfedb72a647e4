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

  // Restoring again replaces what the first restore made, and keeps it.
  const again = await run("scripts/restore.ts", [file!], fresh.env);
  if (again.code !== 0) throw new Error(`second restore failed: ${again.err}`);
  expect(again.out).toContain(`What the restore replaced is kept as ${fresh.home}.before-restore-`);
  await startBoth(fresh);
  expect((await accountsIn(fresh, bearer)).size).toBe(restored.size);
  await stopAll();
  return { before: before.length, restored: restored.size, again: again.out };
}

describe("bun run backup under load, then bun run restore into a fresh home", () => {
  test("on SQLite: every write acknowledged before the backup is restored, and an old token validates", async () => {
    const install = await newInstall();
    const { before, restored } = await roundTrip(install, elsewhere(install));
    expect(restored).toBeGreaterThanOrEqual(before);
  }, 180_000);

  test.skipIf(!postgresTestUrl())(
    "on PostgreSQL: the same, into databases that did not exist, then again over them (the old ones kept)",
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
        const made =
          (await admin`SELECT datname FROM pg_database WHERE datname LIKE ${`hm_restored_%_${suffix}%`}`) as {
            datname: string;
          }[];
        for (const { datname } of made) await admin.unsafe(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
        await admin.close();
      });
      const fresh = elsewhere(install, {
        CORE_DATABASE_URL: target(core.url, names[0]!),
        CODEX_DATABASE_URL: target(codex.url, names[1]!),
      });
      const { before, restored, again } = await roundTrip(install, fresh);
      expect(restored).toBeGreaterThanOrEqual(before);
      for (const name of names) expect(again).toMatch(new RegExp(`the database ${name}_before_restore_\\d{14}`));
    },
    180_000,
  );
});
