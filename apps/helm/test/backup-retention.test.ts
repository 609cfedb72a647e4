import type { HelmDb } from "../src/deps.ts";
import { describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createLogger } from "@hivematrix/lib/log";
import { tempHome } from "@hivematrix/lib/testing";
import { type Archive, applyRetention, archiveTime, expiredArchives, listArchives } from "../src/backups/archives.ts";
import { cronProblem } from "../src/backups/json.ts";
import type { BackupRunner } from "../src/backups/runner.ts";
import { createBackupScheduler } from "../src/backups/scheduler.ts";

const name = (iso: string, n = 1) =>
  `hivematrix-${iso.replace(/[:]/g, "").replace(/\.\d+Z$/, "Z")}${n > 1 ? `-${n}` : ""}.tar.gz.age`;

/** One archive per listed time, newest first as listArchives gives them. */
const archives = (times: string[]): Archive[] =>
  times
    .map((iso) => ({ name: name(iso), bytes: 1, createdAt: new Date(iso) }))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());

describe("backup retention", () => {
  test("an archive's time is the one in its name; other files are not archives", () => {
    expect(archiveTime("hivematrix-2026-01-31T020000Z.tar.gz.age")).toEqual(new Date("2026-01-31T02:00:00Z"));
    expect(archiveTime("hivematrix-2026-01-31T020000Z-2.tar.gz.age")).toEqual(new Date("2026-01-31T02:00:00Z"));
    for (const other of ["hivematrix-2026-01-31T020000Z.tar.gz.age.partial", "notes.txt", "hivematrix-latest.age"])
      expect(archiveTime(other)).toBeNull();
  });

  test("keeps the newest of each of the last N days and of each of the last M weeks (UTC), deletes the rest", () => {
    // Two a day from Monday 2026-01-05 to Sunday 2026-01-25: three ISO weeks.
    const times: string[] = [];
    for (let day = 5; day <= 25; day++)
      for (const hour of ["02", "14"]) times.push(`2026-01-${String(day).padStart(2, "0")}T${hour}:00:00.000Z`);
    const expired = new Set(expiredArchives(archives(times), 3, 2).map((a) => a.name));
    const kept = times.filter((t) => !expired.has(name(t))).sort();
    expect(kept).toEqual([
      // The newest of the week of the 12th; the newest of the week of the 19th is the 25th, a daily one too.
      "2026-01-18T14:00:00.000Z",
      "2026-01-23T14:00:00.000Z",
      "2026-01-24T14:00:00.000Z",
      "2026-01-25T14:00:00.000Z",
    ]);
    expect(expiredArchives(archives(times), 0, 0)).toHaveLength(times.length);
    expect(expiredArchives(archives([times[0]!, times[2]!]), 7, 4)).toEqual([]);
    // One a day: of two the same day, the older goes.
    expect(expiredArchives(archives(times.slice(0, 2)), 7, 4).map((a) => a.createdAt)).toEqual([new Date(times[0]!)]);
  });

  test("applies to the archives of the folder only: partial files and anything else stay", () => {
    const folder = join(tempHome("hm-helm-retention-"), "backups");
    mkdirSync(folder);
    const files: string[] = [
      name("2026-02-01T02:00:00.000Z"),
      name("2026-02-02T02:00:00.000Z"),
      name("2026-02-02T02:00:00.000Z", 2),
      name("2026-02-03T02:00:00.000Z"),
      `${name("2026-02-04T02:00:00.000Z")}.partial`,
      "README.txt",
    ];
    for (const file of files) writeFileSync(join(folder, file), "x");
    const [first, second, secondAgain, third, partial, readme] = files as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    expect(listArchives(folder).map((a) => a.name)).toEqual([third, secondAgain, second, first]);
    expect(applyRetention(folder, 2, 0).sort()).toEqual([first, second].sort());
    expect(readdirSync(folder).sort()).toEqual([secondAgain, third, partial, readme].sort());
    expect(listArchives(join(folder, "absent"))).toEqual([]);
  });
});

describe("backup schedule", () => {
  test("five cron fields read in UTC; anything else is refused with croner's reason", () => {
    expect(cronProblem("0 2 * * *")).toBeNull();
    expect(cronProblem("*/15 * * * 1-5")).toBeNull();
    for (const bad of ["0 0 2 * * *", "61 * * * *", "nightly", "* * *"]) expect(cronProblem(bad)).toContain("cron");
  });

  test("the next run follows the schedule in force; none without one", () => {
    const runner = { start: async () => 1 } as unknown as BackupRunner;
    const sqlite = { engine: "sqlite" } as unknown as HelmDb;
    const scheduler = createBackupScheduler(runner, createLogger({ service: "helm", write: () => {} }), sqlite);
    expect(scheduler.nextRun()).toBeNull();
    scheduler.apply("15 3 * * *");
    const next = scheduler.nextRun()!;
    expect(next.toISOString()).toMatch(/T03:15:00\.000Z$/);
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(86_400_000);
    scheduler.apply(null);
    expect(scheduler.nextRun()).toBeNull();
    scheduler.stop();
  });
});
