import { describe, expect, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, tempHome, writeServicesFile } from "@hivematrix/lib/testing";

/**
 * The security audit at `bun run start`: high findings are printed; in production a critical one
 * (one that lets anyone take the install over) stops the start before anything runs, naming the
 * finding and its fix.
 */

async function install(env: Record<string, string> = {}) {
  const home = tempHome();
  const services = writeServicesFile(home, { core: { port: await freePort(), visible: false } });
  return {
    home,
    env: {
      HIVEMATRIX_HOME: home,
      HIVEMATRIX_SERVICES: services,
      KEYCLOAK_URL: `http://127.0.0.1:${await freePort()}`,
      LOG_LEVEL: "warn",
      NO_COLOR: "1",
      ...env,
    },
  };
}

/** Runs `bun run start` until it prints that it is up (then stops it) or exits by itself. */
async function start(env: Record<string, string>) {
  const proc = Bun.spawn(["bun", "scripts/start.ts", "--only", "core"], {
    cwd: join(import.meta.dir, "../.."),
    env: { ...process.env, ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  let out = "";
  const decoder = new TextDecoder();
  void (async () => {
    for await (const chunk of proc.stdout as unknown as AsyncIterable<Uint8Array>) out += decoder.decode(chunk);
  })();
  const err = new Response(proc.stderr).text();
  const deadline = Date.now() + 60_000;
  while (proc.exitCode === null && !out.includes("Press Ctrl-C") && Date.now() < deadline) await Bun.sleep(100);
  if (proc.exitCode === null) proc.kill("SIGTERM");
  const code = await proc.exited;
  return { code, out, err: (await err).split("\n").filter(Boolean) };
}

describe("the security audit at bun run start", () => {
  test("production with the dev identity provider (public passwords) does not start, and says what to do", async () => {
    const { env, home } = await install({ HIVEMATRIX_ENV: "production" });
    const r = await start(env);
    expect(r.code).toBe(1);
    expect(r.err).toEqual([
      "cannot start: critical security finding: The dev identity provider is in use. " +
        'Fix: Install Keycloak and set KEYCLOAK_HOME (README "Real Keycloak").',
    ]);
    expect(r.out).not.toContain("is up");
    expect(existsSync(join(home, "run", "supervisor.sock"))).toBe(false);
  });

  test("production with a well-known secret does not start, naming the secret and the fix", async () => {
    const { env, home } = await install({
      HIVEMATRIX_ENV: "production",
      KEYCLOAK_HOME: join(import.meta.dir, "fixtures/fake-keycloak-home"),
      NEXUS_PUBLIC_URL: "https://hivematrix.example",
    });
    const secret = join(home, "secrets", "service-core.secret");
    writeFileSync(secret, "changeme\n", { mode: 0o600 });
    const r = await start(env);
    expect(r.code).toBe(1);
    expect(r.err).toEqual([
      `cannot start: critical security finding: The secret ${secret} is a well-known default. ` +
        `Fix: Delete ${secret} and restart HiveMatrix: \`bun run start\` generates a strong one.`,
    ]);
  });

  test("development prints a high finding and starts anyway", async () => {
    const { env, home } = await install();
    const secret = join(home, "secrets", "service-core.secret");
    writeFileSync(secret, "short-but-not-default\n", { mode: 0o600 });
    const r = await start(env);
    expect(r.out).toContain(`security audit: The secret ${secret} is only 21 characters long. Fix: Delete ${secret}`);
    expect(r.out).toContain("Press Ctrl-C to stop.");
    expect(r.code).toBe(0);
  });
});
