/**
 * `bun run token [--level admin|technician|billing|client] [--user NAME] [--company ACCT] [--ttl 24h]`
 * Prints a HiveMatrix JWT signed by Core's current key and backed by a real session row, for
 * curl and integrations: curl -H "Authorization: Bearer $(bun run --silent token)" …
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { PERMISSION_LEVELS, loadAppConfig, runMain } from "@hivematrix/lib/config";
import { ensureHome } from "@hivematrix/lib/secrets";
import { openCoreDb } from "../deps.ts";
import { KeyStore } from "../keys/store.ts";
import { createSession } from "../sessions/data.ts";
import { mintUserToken } from "../tokens/mint.ts";

const GROUP = { admin: "admins", technician: "technicians", billing: "billing", client: "client" } as const;
const DEFAULT_USER = { admin: "admin", technician: "tech", billing: "billing", client: "client" } as const;

export function parseTtl(raw: string): number {
  const m = /^(\d+)\s*([smhd])$/.exec(raw.trim());
  if (!m) throw new Error(`--ttl takes a number and a unit, like 30m, 24h or 7d (got "${raw}")`);
  const ms = Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "s" | "m" | "h" | "d"];
  if (ms < 60_000 || ms > 30 * 86_400_000) throw new Error("--ttl must be between 1m and 30d");
  return ms;
}

await runMain(async () => {
  const { values } = parseArgs({
    options: {
      level: { type: "string", default: "admin" },
      user: { type: "string" },
      company: { type: "string" },
      ttl: { type: "string", default: "24h" },
    },
    strict: true,
  });
  const level = z.enum(PERMISSION_LEVELS).safeParse(values.level);
  if (!level.success) {
    console.error(`--level must be one of ${PERMISSION_LEVELS.join(", ")}`);
    process.exit(2);
  }
  let ttlMs: number;
  try {
    ttlMs = parseTtl(values.ttl!);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  const username = values.user ?? DEFAULT_USER[level.data];
  if (!/^[\w.@-]{1,100}$/.test(username)) {
    console.error("--user takes a plain user name (letters, digits, . _ @ -)");
    process.exit(2);
  }
  const config = loadAppConfig("core");
  ensureHome(config.home);
  const keys = await KeyStore.open(config.home);
  const db = await openCoreDb(config);
  try {
    const session = await createSession(db, {
      sub: `cli:${username}`,
      username,
      name: username,
      email: `${username}@hivematrix.local`,
      permissionLevel: level.data,
      groups: [GROUP[level.data]],
      company: level.data === "client" ? (values.company ?? "ACME-001") : null,
      source: "cli",
      ttlMs,
      userAgent: "bun run token",
    });
    process.stdout.write(`${await mintUserToken(keys, session)}\n`);
  } finally {
    await db.close();
  }
});
