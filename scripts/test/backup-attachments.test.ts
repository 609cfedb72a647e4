import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RunningProcess } from "@hivematrix/lib/testing";
import { elsewhere, type Install, newInstall, run, startApp, token } from "./ops-harness.ts";

/**
 * Ticket attachments are files under HIVEMATRIX_HOME/data/attachments: `bun run backup` carries
 * them byte for byte (even one that looks like an SQLite database) and `bun run restore` brings
 * them back, while uploads still arriving are left out.
 */

const running: RunningProcess[] = [];
afterAll(async () => {
  for (const p of running) await p.stop();
}, 60_000);

const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8ffff3f0005fe02fe" +
    "a7d6a4a90000000049454e44ae426082",
  "hex",
);
// SQLite's header, then nothing a database would hold: snapshotting it as a database would fail.
const LOOKS_LIKE_SQLITE = Buffer.concat([Buffer.from("SQLite format 3\0", "latin1"), Buffer.alloc(200, 7)]);

async function startBoth(install: Install) {
  for (const name of ["core", "codex"] as const) running.push(await startApp(install, name));
}

async function stopAll() {
  for (const p of running.splice(0)) await p.stop();
}

const codexUrl = (install: Install, path: string) => `http://127.0.0.1:${install.ports.codex}${path}`;

test("attachments go into the backup and come back with the restore, byte for byte", async () => {
  const install = await newInstall();
  expect((await run("scripts/backup.ts", ["--init"], install.env)).code).toBe(0);
  await startBoth(install);
  const bearer = await token(install);
  const json = { authorization: `Bearer ${bearer}`, "content-type": "application/json" };
  expect(
    (
      await fetch(codexUrl(install, "/api/companies"), {
        method: "POST",
        headers: json,
        body: JSON.stringify({ account_number: "ATT-001", name: "Attach Co" }),
      })
    ).status,
  ).toBe(201);
  const ticket = await (
    await fetch(codexUrl(install, "/api/tickets"), {
      method: "POST",
      headers: json,
      body: JSON.stringify({ company: "ATT-001", subject: "With files" }),
    })
  ).json();
  const upload = async (name: string, bytes: Buffer) =>
    (
      await fetch(codexUrl(install, `/api/tickets/${ticket.id}/attachments?filename=${name}`), {
        method: "POST",
        headers: { authorization: `Bearer ${bearer}`, "content-type": "application/octet-stream" },
        body: new Uint8Array(bytes),
      })
    ).json();
  const files = [
    { sent: await upload("screen.png", PNG), bytes: PNG },
    { sent: await upload("app.db", LOOKS_LIKE_SQLITE), bytes: LOOKS_LIKE_SQLITE },
  ];
  const incoming = join(install.home, "data", "attachments", "incoming");
  mkdirSync(incoming, { recursive: true });
  writeFileSync(join(incoming, "still-arriving.part"), "half a file");

  const backup = await run("scripts/backup.ts", [], install.env);
  if (backup.code !== 0) throw new Error(`backup failed: ${backup.err}`);
  const archive = /Backed up to (\S+): /.exec(backup.out)![1]!;
  await stopAll();

  const fresh = elsewhere(install);
  const restore = await run("scripts/restore.ts", [archive], fresh.env);
  if (restore.code !== 0) throw new Error(`restore failed: ${restore.err}`);
  await startBoth(fresh);
  for (const { sent, bytes } of files) {
    const res = await fetch(codexUrl(fresh, sent.url), { headers: { authorization: `Bearer ${bearer}` } });
    expect([sent.filename, res.status]).toEqual([sent.filename, 200]);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
  }
  expect(existsSync(join(fresh.home, "data", "attachments", "incoming", "still-arriving.part"))).toBe(false);
  await stopAll();
}, 180_000);
