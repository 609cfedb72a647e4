import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { type DbHandle, openDatabase } from "../src/db.ts";
import { leadership } from "../src/leadership.ts";
import { postgresTestUrl, tempHome, withPostgres } from "../src/testing/index.ts";
import * as schema from "./fixture/src/db/schema.ts";

const migrationsDir = join(import.meta.dir, "fixture/src/db/migrations");
const handles: DbHandle<typeof schema>[] = [];
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const handle of handles.splice(0)) await handle.close();
  for (const drop of drops.splice(0)) await drop();
});

test("on SQLite (one instance) the instance leads", async () => {
  const handle = await openDatabase({ schema, databaseUrl: null, sqlitePath: join(tempHome(), "x.db"), migrationsDir });
  handles.push(handle);
  expect(await leadership(handle, "job").leads()).toBe(true);
});

describe.skipIf(!postgresTestUrl())("leadership across instances (PostgreSQL)", () => {
  test("one instance of three leads; when it stops, another takes the lead at its next try", async () => {
    const pg = await withPostgres("hm_lead");
    drops.push(pg.drop);
    const instances = await Promise.all(
      [0, 1, 2].map(async () => {
        const handle = await openDatabase({ schema, databaseUrl: pg.url, sqlitePath: "", migrationsDir });
        handles.push(handle);
        return leadership(handle, "helm:scraper", 100);
      }),
    );
    const leading = async () => Promise.all(instances.map((instance) => instance.leads()));
    expect((await leading()).filter(Boolean)).toHaveLength(1);
    const leader = instances[(await leading()).indexOf(true)]!;
    await leader.stop();
    const rest = instances.filter((instance) => instance !== leader);
    let leads = await Promise.all(rest.map((instance) => instance.leads()));
    for (let i = 0; i < 30 && !leads.includes(true); i++) {
      await Bun.sleep(100);
      leads = await Promise.all(rest.map((instance) => instance.leads()));
    }
    expect(leads.filter(Boolean)).toHaveLength(1);
    for (const instance of rest) await instance.stop();
  });
});
