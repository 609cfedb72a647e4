import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { type DbHandle, openDatabase } from "../src/db.ts";
import { channel } from "../src/pg-channel.ts";
import { postgresTestUrl, tempHome, withPostgres } from "../src/testing/index.ts";
import * as schema from "./fixture/src/db/schema.ts";

const migrationsDir = join(import.meta.dir, "fixture/src/db/migrations");
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until(check: () => boolean, ms = 5_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await Bun.sleep(20);
  }
}

test("on SQLite (one instance) a message goes straight to this process's subscribers", async () => {
  const handle = await openDatabase({ schema, databaseUrl: null, sqlitePath: join(tempHome(), "c.db"), migrationsDir });
  cleanups.push(() => handle.close());
  const news = channel<{ n: number }>(handle, "news");
  const heard: number[] = [];
  const stop = news.subscribe(({ n }) => heard.push(n));
  await news.publish({ n: 1 });
  stop();
  await news.publish({ n: 2 });
  expect(heard).toEqual([1]);
  expect(() => channel(handle, "Bad-Name")).toThrow("lower-case");
});

describe.skipIf(!postgresTestUrl())("a channel between instances (PostgreSQL LISTEN/NOTIFY)", () => {
  test("what one instance publishes, every instance's subscribers get; oversized messages are refused", async () => {
    const pg = await withPostgres("hm_chan");
    cleanups.push(pg.drop);
    const handles: DbHandle<typeof schema>[] = [];
    for (let i = 0; i < 2; i++) {
      const handle = await openDatabase({ schema, databaseUrl: pg.url, sqlitePath: "", migrationsDir });
      cleanups.push(() => handle.close());
      handles.push(handle);
    }
    const [a, b] = handles.map((handle) => channel<{ id: number }>(handle, "helm_log_lines"));
    cleanups.push(async () => {
      await a!.close();
      await b!.close();
    });
    const onA: number[] = [];
    const onB: number[] = [];
    a!.subscribe(({ id }) => onA.push(id));
    b!.subscribe(({ id }) => onB.push(id));
    // LISTEN starts with the first subscriber: give it a moment before the first message.
    await Bun.sleep(300);
    await a!.publish({ id: 1 });
    await b!.publish({ id: 2 });
    await until(() => onA.length === 2 && onB.length === 2);
    expect(onA).toEqual([1, 2]);
    expect(onB).toEqual([1, 2]);
    await expect(a!.publish({ id: 3, padding: "x".repeat(8_000) } as never)).rejects.toThrow("over 7900 bytes");
  });
});
