import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SQL } from "bun";
import { postgresTestUrl, withPostgres } from "@hivematrix/lib/testing";
import { readArchiveEntries, withManifest, writeArchiveEntries } from "@hivematrix/lib/testing/backup-archive";
import { newInstall, run, startApp, token, treeOf, type Install } from "./ops-harness.ts";

/**
 * A restore that cannot be trusted is refused in one line and writes nothing: not the home, not
 * a staging folder beside it, not the settings. The install here has data of its own (it is the
 * one being restored into), and the backup was made from it.
 */

let install: Install;
let backup: string;
const cleanups: (() => unknown)[] = [];
afterAll(() => {
  for (const c of cleanups) c();
});

beforeAll(async () => {
  install = await newInstall();
  expect((await run("scripts/backup.ts", ["--init"], install.env)).code).toBe(0);
  const core = await startApp(install, "core");
  const codex = await startApp(install, "codex");
  await token(install);
  const made = await run("scripts/backup.ts", [], install.env);
  await codex.stop();
  await core.stop();
  backup = /Backed up to (\S+): /.exec(made.out)![1]!;
}, 120_000);

/** Runs a restore of `file` and expects one line on stderr matching `line`, exit 1, and no change at all. */
async function refused(file: string, line: RegExp, args: string[] = [], env: Record<string, string> = {}) {
  const before = treeOf(install.base);
  const r = await run("scripts/restore.ts", [file, ...args], { ...install.env, ...env });
  expect(r.errLines).toHaveLength(1);
  expect(r.errLines[0]).toMatch(line);
  expect(r.code).toBe(1);
  expect(treeOf(install.base)).toEqual(before);
}

async function variant(name: string, edit: (bytes: Uint8Array) => Uint8Array): Promise<string> {
  const file = join(install.base, "backups", name);
  writeFileSync(file, edit(await Bun.file(backup).bytes()));
  cleanups.push(() => rmSync(file, { force: true }));
  return file;
}

describe("bun run restore refuses, in one line and changing nothing,", () => {
  test("a backup made with another key", async () => {
    const other = join(install.base, "other-key", "backup-key.txt");
    expect((await run("scripts/backup.ts", ["--init"], { ...install.env, HIVEMATRIX_BACKUP_KEY: other })).code).toBe(0);
    await refused(backup, /^restore: .* was not made with the backup key .*other-key.* \(wrong key\)$/, [
      "--key",
      other,
    ]);
  });

  test("a truncated backup, cut mid-chunk or at a chunk's end", async () => {
    const half = await variant("half.age", (b) => b.subarray(0, Math.floor(b.length / 2)));
    await refused(half, /^restore: .* is damaged or incomplete: .* \(truncated or altered\)$/);
    // age writes 64 KiB chunks with a 16-byte tag each: dropping whole trailing chunks must fail too.
    const chunks = await variant("chunks.age", (b) => b.subarray(0, b.length - ((b.length - 200) % 65552) - 65552));
    await refused(chunks, /^restore: .* is (damaged or incomplete|not a HiveMatrix backup)/);
  });

  test("an altered byte, and a file that is no backup at all", async () => {
    const flipped = await variant("flipped.age", (b) => {
      const copy = b.slice();
      copy[Math.floor(copy.length / 2)]! ^= 0x01;
      return copy;
    });
    await refused(flipped, /^restore: .* is damaged or incomplete: .* \(truncated or altered\)$/);
    const junk = await variant("junk.age", () => new TextEncoder().encode("not a backup\n"));
    await refused(junk, /^restore: .* is not a HiveMatrix backup/);
  });

  test("a tampered manifest, re-encrypted to the backup's public key", async () => {
    const entries = await readArchiveEntries(backup, install.keyFile);
    const file = join(install.base, "backups", "tampered.age");
    cleanups.push(() => rmSync(file, { force: true }));
    await writeArchiveEntries(
      file,
      install.keyFile,
      withManifest(entries, (m) => {
        m.version = "9.9.9";
      }),
    );
    await refused(
      file,
      /^restore: the backup's manifest has been altered \(its authentication does not match the key\)$/,
    );
  });

  test("a file changed inside the archive, its manifest intact", async () => {
    const entries = await readArchiveEntries(backup, install.keyFile);
    const file = join(install.base, "backups", "swapped.age");
    cleanups.push(() => rmSync(file, { force: true }));
    const changed = entries.map((e) =>
      e.name === "home/secrets/service-core.secret"
        ? { ...e, data: Buffer.from(`${"x".repeat(e.data.length - 1)}\n`) }
        : e,
    );
    await writeArchiveEntries(file, install.keyFile, changed);
    await refused(file, /^restore: the backup's home\/secrets\/service-core\.secret does not match its checksum/);
  });

  test("a backup whose schema is newer than this code", async () => {
    const entries = await readArchiveEntries(backup, install.keyFile);
    const file = join(install.base, "backups", "newer.age");
    cleanups.push(() => rmSync(file, { force: true }));
    const newer = withManifest(entries, (m) => {
      const codex = m.databases.find((d) => d.app === "codex")!;
      codex.schema = { migrations: codex.schema!.migrations + 1, latest: Date.UTC(2099, 0, 1) };
    });
    await writeArchiveEntries(file, install.keyFile, newer, { resign: true });
    await refused(
      file,
      /^restore: codex's database in this backup has a newer schema than this code .*update the code/,
    );
  });

  test("while the supervisor runs (its control socket answers)", async () => {
    const socket = Bun.serve({ unix: join(install.home, "run", "supervisor.sock"), fetch: () => Response.json({}) });
    try {
      await refused(
        backup,
        /^restore: HiveMatrix is running \(its supervisor answers on .*supervisor\.sock\): stop it first/,
      );
    } finally {
      socket.stop(true);
    }
  });

  test("--dry-run lists what would change and changes nothing", async () => {
    const before = treeOf(install.base);
    const r = await run("scripts/restore.ts", [backup, "--dry-run"], install.env);
    expect(r.code).toBe(0);
    expect(r.out).toContain("verified");
    expect(r.out).toMatch(/replaced +data\/codex\.db/);
    expect(r.out).toMatch(/unchanged \d+ files/);
    expect(r.out).toContain("Dry run: nothing was changed.");
    expect(treeOf(install.base)).toEqual(before);
  });
});

describe.skipIf(!postgresTestUrl())("on PostgreSQL, bun run restore refuses and changes no database", () => {
  let pgInstall: Install;
  let pgBackup: string;
  let codexDb: { url: string; drop(): Promise<void> };
  // This test's databases and any a restore would make from them (named after its target): other
  // tests sharing the server create and drop their own meanwhile.
  const databases = async () => {
    const sql = new SQL(postgresTestUrl()!);
    const rows =
      (await sql`SELECT datname FROM pg_database WHERE starts_with(datname, 'hm_refuse_') ORDER BY datname`) as {
        datname: string;
      }[];
    await sql.close();
    return rows.map((r) => r.datname);
  };

  beforeAll(async () => {
    codexDb = await withPostgres("hm_refuse_codex");
    pgInstall = await newInstall({ CODEX_DATABASE_URL: codexDb.url });
    expect((await run("scripts/backup.ts", ["--init"], pgInstall.env)).code).toBe(0);
    const core = await startApp(pgInstall, "core");
    const codex = await startApp(pgInstall, "codex");
    const made = await run("scripts/backup.ts", [], pgInstall.env);
    await codex.stop();
    await core.stop();
    pgBackup = /Backed up to (\S+): /.exec(made.out)![1]!;
  }, 120_000);
  afterAll(() => codexDb?.drop(), 30_000);

  async function refusedOnPg(file: string, line: RegExp, env: Record<string, string> = {}) {
    const [tree, dbs] = [treeOf(pgInstall.base), await databases()];
    const r = await run("scripts/restore.ts", [file], { ...pgInstall.env, ...env });
    expect(r.errLines).toEqual([expect.stringMatching(line)]);
    expect(r.code).toBe(1);
    expect(treeOf(pgInstall.base)).toEqual(tree);
    expect(await databases()).toEqual(dbs);
  }

  test("a tampered manifest", async () => {
    const file = join(pgInstall.base, "tampered.age");
    const entries = await readArchiveEntries(pgBackup, pgInstall.keyFile);
    await writeArchiveEntries(
      file,
      pgInstall.keyFile,
      withManifest(entries, (m) => void (m.host = "elsewhere")),
    );
    await refusedOnPg(file, /^restore: the backup's manifest has been altered/);
  });

  test("a target database someone is connected to (it could not be swapped)", async () => {
    const holder = new SQL(codexDb.url);
    await holder`SELECT 1`;
    try {
      await refusedOnPg(pgBackup, /^restore: codex's database \(CODEX_DATABASE_URL=.*\) has \d+ open connection\(s\)/);
    } finally {
      await holder.close();
    }
  });

  test("a PostgreSQL backup where this install has no database URL for the app", async () => {
    await refusedOnPg(
      pgBackup,
      /^restore: the backup holds codex's PostgreSQL database .* CODEX_DATABASE_URL is not set here/,
      {
        CODEX_DATABASE_URL: "",
      },
    );
  });
});
