// What the backup, restore and service tests share: an install in temporary folders (its home,
// registry, key and backup folder apart, as on a real machine), its apps as real processes, the
// commands as an operator runs them, and a steady stream of writes to Codex.
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { REPO_ROOT } from "@hivematrix/lib/config";
import { freePort, startProcess, tempHome, writeServicesFile, type RunningProcess } from "@hivematrix/lib/testing";

export interface Install {
  /** A folder of its own, holding the home (not created yet), the registry, the key and the backups. */
  base: string;
  home: string;
  keyFile: string;
  backups: string;
  ports: Record<string, number>;
  env: Record<string, string>;
}

/** An install of Core and Codex on free ports; `env` adds settings (e.g. the database URLs). */
export async function newInstall(env: Record<string, string> = {}): Promise<Install> {
  const base = tempHome("hm-ops-");
  const ports = { core: await freePort(), codex: await freePort() };
  const services = writeServicesFile(mkdtempSync(join(base, "registry-")), {
    core: { port: ports.core, visible: false },
    codex: { port: ports.codex },
  });
  const install = {
    base,
    home: join(base, "home"),
    keyFile: join(base, "key", "backup-key.txt"),
    backups: join(base, "backups"),
    ports,
    env: {} as Record<string, string>,
  };
  install.env = {
    HIVEMATRIX_HOME: install.home,
    HIVEMATRIX_SERVICES: services,
    HIVEMATRIX_BACKUP_KEY: install.keyFile,
    HIVEMATRIX_BACKUP_DIR: install.backups,
    KEYCLOAK_URL: `http://127.0.0.1:${await freePort()}`,
    CODEX_DEMO_DATA: "false",
    LOG_LEVEL: "warn",
    NO_COLOR: "1",
    ...env,
  };
  return install;
}

/** The same install seen from another home (a fresh machine restoring it). */
export function elsewhere(install: Install, env: Record<string, string> = {}): Install {
  const home = join(mkdtempSync(join(tmpdir(), "hm-ops-fresh-")), "home");
  return { ...install, home, env: { ...install.env, HIVEMATRIX_HOME: home, ...env } };
}

export function startApp(install: Install, name: "core" | "codex"): Promise<RunningProcess> {
  return startProcess({
    name,
    entry: `apps/${name}/src/main.ts`,
    env: install.env,
    url: `http://127.0.0.1:${install.ports[name]}`,
    timeoutMs: 60_000,
  });
}

/** Runs `bun <script> …args` as an operator would; `out` and `err` are what it printed. */
export async function run(script: string, args: string[], env: Record<string, string>) {
  const proc = Bun.spawn(["bun", join(REPO_ROOT, script), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
  });
  const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  return { code: await proc.exited, out, err, errLines: err.split("\n").filter(Boolean) };
}

/** A user's token from Core's `bun run token` (a real session row). */
export async function token(install: Install): Promise<string> {
  const r = await run("apps/core/src/cli/token.ts", ["--level", "admin"], install.env);
  if (r.code !== 0) throw new Error(`token: ${r.err}`);
  return r.out.trim();
}

/**
 * Creates companies one after another until stopped, each acknowledged (201) write recorded
 * with the time its answer arrived.
 */
export function writeLoad(install: Install, bearer: string) {
  const acknowledged: { account: string; at: number }[] = [];
  let running = true;
  const done = (async () => {
    for (let i = 0; running; i++) {
      const account = `LOAD-${i}`;
      const res = await fetch(`http://127.0.0.1:${install.ports.codex}/api/companies`, {
        method: "POST",
        headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
        body: JSON.stringify({ account_number: account, name: `Load ${i}` }),
      });
      if (res.status !== 201) throw new Error(`write ${i}: ${res.status} ${await res.text()}`);
      acknowledged.push({ account, at: Date.now() });
    }
  })();
  return {
    acknowledged,
    async stop() {
      running = false;
      await done;
    },
  };
}

/** Every file under `dir` with its SHA-256 (and every folder), to show that nothing changed. */
export function treeOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  const walk = (path: string) => {
    for (const name of readdirSync(path).sort()) {
      const full = join(path, name);
      const rel = relative(dir, full);
      const stat = statSync(full);
      if (stat.isDirectory()) {
        out[`${rel}/`] = "dir";
        walk(full);
      } else if (stat.isFile()) out[rel] = createHash("sha256").update(readFileSync(full)).digest("hex");
      else out[rel] = "special";
    }
  };
  walk(dir);
  return out;
}

/** Every company's account number, read page by page through Codex's API. */
export async function accountsIn(install: Install, bearer: string): Promise<Set<string>> {
  const accounts = new Set<string>();
  let cursor: string | null = null;
  do {
    const url = new URL(`http://127.0.0.1:${install.ports.codex}/api/companies`);
    url.searchParams.set("limit", "500");
    if (cursor) url.searchParams.set("cursor", cursor);
    const res = await fetch(url, { headers: { authorization: `Bearer ${bearer}` } });
    if (!res.ok) throw new Error(`companies: ${res.status} ${await res.text()}`);
    const page = (await res.json()) as { items: { account_number: string }[]; next_cursor: string | null };
    for (const c of page.items) accounts.add(c.account_number);
    cursor = page.next_cursor;
  } while (cursor);
  return accounts;
}

/** Whether Core still accepts a token (its keys and the session behind the token came back). */
export async function tokenValid(install: Install, bearer: string): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${install.ports.core}/api/token/validate`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token: bearer }),
  });
  return ((await res.json()) as { valid: boolean }).valid;
}
