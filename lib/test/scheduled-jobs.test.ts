import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { type DbHandle, openDatabase } from "../src/db.ts";
import { intervalTick, runScheduled } from "../src/scheduled-jobs.ts";
import { postgresTestUrl, tempHome, withPostgres } from "../src/testing/index.ts";
import * as schema from "./fixture/src/db/schema.ts";

const migrationsDir = join(import.meta.dir, "fixture/src/db/migrations");
const handles: DbHandle<typeof schema>[] = [];
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const handle of handles.splice(0)) await handle.close();
  for (const drop of drops.splice(0)) await drop();
});

/** Two instances of an app: two processes' worth of connections to one database. */
async function twoInstances() {
  const pg = await withPostgres("hm_jobs");
  drops.push(pg.drop);
  const open = async () => {
    const handle = await openDatabase({ schema, databaseUrl: pg.url, sqlitePath: "", migrationsDir });
    handles.push(handle);
    return handle;
  };
  return { url: pg.url, a: await open(), b: await open() };
}

test("on SQLite (one instance) the job just runs, every time", async () => {
  const handle = await openDatabase({ schema, databaseUrl: null, sqlitePath: join(tempHome(), "x.db"), migrationsDir });
  handles.push(handle);
  let runs = 0;
  for (let i = 0; i < 2; i++)
    expect(await runScheduled(handle, "job", 1, async () => ++runs)).toEqual({ ran: true, value: i + 1 });
});

describe.skipIf(!postgresTestUrl())("scheduled jobs across instances (PostgreSQL)", () => {
  test("a tick due on both instances at once runs exactly once; the next tick runs again", async () => {
    const { a, b } = await twoInstances();
    let runs = 0;
    const job = async () => {
      runs++;
      await Bun.sleep(50);
    };
    const outcomes = await Promise.all([a, b, a, b].map((handle) => runScheduled(handle, "codex:sync", 1000, job)));
    expect(runs).toBe(1);
    expect(outcomes.filter((o) => o.ran)).toHaveLength(1);
    // A timer that fires late, after the run ended, finds the tick taken.
    expect(await runScheduled(b, "codex:sync", 1000, job)).toEqual({ ran: false, reason: "tick already ran" });
    expect((await runScheduled(b, "codex:sync", 2000, job)).ran).toBe(true);
    // Another job has its own lock and ticks.
    expect((await runScheduled(a, "helm:retention", 1000, job)).ran).toBe(true);
    expect(runs).toBe(3);
  });

  test("while one instance runs a job, the other skips it rather than waiting", async () => {
    const { a, b } = await twoInstances();
    let release = () => {};
    const held = runScheduled(a, "core:purge", 1, () => new Promise<void>((resolve) => (release = resolve)));
    await Bun.sleep(100);
    expect(await runScheduled(b, "core:purge", 2, async () => "ran")).toEqual({
      ran: false,
      reason: "running elsewhere",
    });
    release();
    expect((await held).ran).toBe(true);
    expect(await runScheduled(b, "core:purge", 2, async () => "ran")).toEqual({ ran: true, value: "ran" });
  });

  test("an instance killed while it holds a job releases it with its connection", async () => {
    const { url, b } = await twoInstances();
    const holder = Bun.spawn(["bun", join(import.meta.dir, "fixture/scheduled-holder.ts"), url], {
      stdout: "pipe",
      stderr: "inherit",
    });
    const reader = holder.stdout.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain("holding");
    expect(await runScheduled(b, "test:held", 2, async () => "ran")).toMatchObject({ ran: false });
    holder.kill("SIGKILL");
    await holder.exited;
    let outcome = await runScheduled(b, "test:held", 2, async () => "ran");
    // The server notices the dead connection as its socket closes: within moments.
    for (let i = 0; i < 50 && !outcome.ran; i++) {
      await Bun.sleep(100);
      outcome = await runScheduled(b, "test:held", 2, async () => "ran");
    }
    expect(outcome).toEqual({ ran: true, value: "ran" });
  });

  test("instances starting together on a fresh database migrate it and create lib's ticks table, in turn", async () => {
    const pg = await withPostgres("hm_jobs_table");
    drops.push(pg.drop);
    const instances = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const handle = await openDatabase({ schema, databaseUrl: pg.url, sqlitePath: "", migrationsDir });
        handles.push(handle);
        return handle;
      }),
    );
    const outcomes = await Promise.all(
      instances.map((handle, i) => runScheduled(handle, `job-${i}`, 1, async () => i)),
    );
    expect(outcomes.map((outcome) => outcome.ran)).toEqual(instances.map(() => true));
    const [table] = await instances[0]!.pg!`SELECT to_regclass('hivematrix_job_ticks') IS NOT NULL AS present`;
    expect(table?.present).toBe(true);
  });

  test("an interval job's tick is its period's number", () => {
    expect(intervalTick(60_000, 125_000)).toBe(2);
    expect(intervalTick(60_000, 179_999)).toBe(2);
  });
});
