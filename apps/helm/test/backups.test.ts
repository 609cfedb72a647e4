import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createBackupKey } from "@hivematrix/lib/backup";
import { assertClassesDefined } from "@hivematrix/lib/testing/design-system";
import { postgresTestUrl } from "@hivematrix/lib/testing";
import { type InProcessHelm, inProcessHelm } from "./in-process.ts";

interface Status {
  running: { run_id: number } | null;
  schedule: { cron: string | null; keep_daily: number; keep_weekly: number; next_run: string | null };
  last_success: string | null;
  runs: { id: number; outcome: string; actor: string; trigger: string; file: string | null; message: string | null }[];
  archives: { name: string; bytes: number }[];
}

const json = { "content-type": "application/json" };

/** Back up now, the schedule and the archives, through Helm's API and pages, on one engine. */
function backupsSuite(engine: "sqlite" | "postgres") {
  let helm: InProcessHelm;
  const status = async () => (await (await helm.send("admin", "GET", "/api/backups")).json()) as Status;
  const backUpNow = () => helm.send("admin", "POST", "/api/backups", { headers: json, body: "{}" });

  beforeAll(async () => {
    helm = await inProcessHelm({ engine });
  });
  afterAll(() => helm?.stop());

  test("without a backup key, Back up now starts, then fails saying how to make the key", async () => {
    expect((await status()).runs).toEqual([]);
    const res = await backUpNow();
    expect(res.status).toBe(202);
    const { run_id } = (await res.json()) as { run_id: number };
    await helm.deps.backups.runner.idle();
    const run = (await status()).runs.find((r) => r.id === run_id)!;
    expect(run).toMatchObject({ outcome: "failed", actor: "admin", trigger: "manual", file: null });
    expect(run.message).toContain("bun run backup --init");
    const page = await helm.send("admin", "GET", `/backups?run=${run_id}`, { headers: { accept: "text/html" } });
    expect(await page.text()).toContain(`Backup ${run_id} failed: no backup key at`);
  });

  test("with a key it writes an archive in the background; a second one meanwhile is a 409", async () => {
    await createBackupKey(helm.backupKey);
    const first = await backUpNow();
    expect(first.status).toBe(202);
    // The first is under way: neither the API nor the page's button starts another.
    const second = await backUpNow();
    expect(second.status).toBe(409);
    expect(((await second.json()) as { error: { message: string } }).error.message).toContain("already running");
    const page = await helm.post("/backups/run");
    expect(page.status).toBe(409);
    const html = await page.text();
    expect(html).toContain("A backup is already running");
    expect(html).toContain('http-equiv="refresh"');
    expect((await status()).running).not.toBeNull();

    await helm.deps.backups.runner.idle();
    const after = await status();
    expect(after.running).toBeNull();
    expect(after.runs[0]).toMatchObject({ outcome: "succeeded", file: after.archives[0]!.name });
    expect(after.archives).toHaveLength(1);
    expect(after.last_success).not.toBeNull();
  }, 60_000);

  test("an admin downloads an archive byte for byte; a name the folder does not list is a 404", async () => {
    const { archives } = await status();
    const name = archives[0]!.name;
    const res = await helm.send("admin", "GET", `/backups/download/${name}`, { headers: { accept: "text/html" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${name}"`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes).toEqual(new Uint8Array(readFileSync(join(helm.backupDir, name))));
    for (const other of ["hivematrix-2020-01-01T000000Z.tar.gz.age", "..%2Fkey%2Fbackup-key.txt", "services.json"]) {
      const missing = await helm.send("admin", "GET", `/backups/download/${other}`, {
        headers: { accept: "text/html" },
      });
      expect(`${other} ${missing.status}`).toBe(`${other} 404`);
    }
  });

  test("the schedule: a bad cron or keeping nothing is refused at its field; a good one is in force", async () => {
    const put = (body: unknown) =>
      helm.send("admin", "PUT", "/api/backups/schedule", { headers: json, body: JSON.stringify(body) });
    const bad = await put({ cron: "every night", keep_daily: 7, keep_weekly: 4 });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain("cron");
    expect((await put({ cron: "0 2 * * *", keep_daily: 0, keep_weekly: 0 })).status).toBe(422);
    expect((await put({ cron: "0 2 * * *", keep_daily: 7 })).status).toBe(422);

    const good = await put({ cron: "30 2 * * *", keep_daily: 7, keep_weekly: 4 });
    expect(good.status).toBe(200);
    const schedule = (await good.json()) as { next_run: string; updated_by: string };
    expect(schedule.updated_by).toBe("admin");
    expect(schedule.next_run).toMatch(/T02:30:00\.000Z$/);
    expect((await status()).schedule).toMatchObject({ cron: "30 2 * * *", keep_daily: 7, keep_weekly: 4 });

    const form = await helm.post("/backups/schedule", { cron: "61 * * * *", keep_daily: "7", keep_weekly: "4" });
    expect(form.status).toBe(422);
    expect(await form.text()).toContain('id="field-cron-error"');
    const off = await helm.post("/backups/schedule", { cron: "", keep_daily: "3", keep_weekly: "0" });
    expect(off.status).toBe(303);
    expect((await status()).schedule).toMatchObject({ cron: null, next_run: null, keep_daily: 3, keep_weekly: 0 });
  });

  test("after a backup, retention deletes the archives the saved schedule no longer keeps (3 days here)", async () => {
    const old = ["2020-01-01", "2020-01-02", "2020-01-03"].map((day) => `hivematrix-${day}T020000Z.tar.gz.age`);
    for (const name of old) writeFileSync(join(helm.backupDir, name), "an older backup");
    const earlier = (await status()).archives[0]!.name;
    expect((await backUpNow()).status).toBe(202);
    await helm.deps.backups.runner.idle();
    const after = await status();
    expect(after.runs[0]!.outcome).toBe("succeeded");
    // One a day for three days: today's newest and the two newest old days stay.
    expect(after.archives.map((a) => a.name)).toEqual([after.runs[0]!.file!, old[2]!, old[1]!]);
    expect(after.runs[0]!.message).toBe(`Retention deleted 2 older backups: ${earlier}, ${old[0]}`);
  }, 60_000);

  test("the backups and services pages show the last backup and use only the design system's classes", async () => {
    const backups = await (await helm.send("admin", "GET", "/backups", { headers: { accept: "text/html" } })).text();
    assertClassesDefined(backups, "backups page");
    expect(backups).toContain("Back up now");
    expect(backups).toContain("/backups/download/hivematrix-");
    const services = await (await helm.send("admin", "GET", "/services", { headers: { accept: "text/html" } })).text();
    assertClassesDefined(services, "services page");
    expect(services).toMatch(/stat__value">\d+ s ago<\/span><span class="stat__label">Last backup</);
    expect(services).toContain("Restart all");
  });

  test("only admins see backups, and only people start one or change the schedule", async () => {
    for (const caller of ["technician", "billing", "client"] as const)
      expect((await helm.send(caller, "GET", "/api/backups")).status).toBe(403);
    expect((await helm.send("service", "GET", "/api/backups")).status).toBe(200);
    const byService = await helm.send("service", "POST", "/api/backups", { headers: json, body: "{}" });
    expect(byService.status).toBe(403);
  });
}

describe("backups on SQLite", () => backupsSuite("sqlite"));
describe.skipIf(!postgresTestUrl())("backups on Postgres", () => backupsSuite("postgres"));
