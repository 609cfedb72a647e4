import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { appConfigFrom, ConfigError, loadAppConfig, loadPlatformConfig, REPO_ROOT } from "../src/config.ts";
import { tempHome, writeServicesFile } from "../src/testing/index.ts";

function registry(extra: Record<string, unknown> = {}) {
  const home = tempHome();
  const file = join(home, "services.json");
  writeFileSync(
    file,
    JSON.stringify({
      core: { url: "http://127.0.0.1:5000", port: 5000, title: "Core", visible: false, permission: null },
      ...extra,
    }),
  );
  return { home, file };
}

const message = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("expected a ConfigError");
};

describe("configuration", () => {
  test("defaults: HIVEMATRIX_HOME is ./.hivematrix, the repo's services.json, the dev IdP on 8080", () => {
    const c = loadPlatformConfig({});
    expect(c.home).toBe(join(REPO_ROOT, ".hivematrix"));
    expect(c.servicesFile).toBe(join(REPO_ROOT, "services.json"));
    expect(c.idp).toEqual({
      url: "http://127.0.0.1:8080",
      realm: "hivematrix",
      clientId: "core-client",
      keycloakHome: null,
      managementPort: null,
    });
    expect(c.env).toBe("development");
    expect(c.services.core!.url).toBe("http://127.0.0.1:5000");
  });

  test("the repository's services.json is valid and has every app's url, port, title, visibility and permission", () => {
    const c = loadPlatformConfig({});
    for (const s of Object.values(c.services)) {
      expect(new URL(s.url).port).toBe(String(s.port));
      expect(s.title.length).toBeGreaterThan(0);
      expect(typeof s.visible).toBe("boolean");
    }
  });

  test("a bad value names the variable", () => {
    expect(message(() => loadPlatformConfig({ HIVEMATRIX_ENV: "staging" }))).toContain("HIVEMATRIX_ENV");
    expect(message(() => loadPlatformConfig({ LOG_LEVEL: "loud" }))).toContain("LOG_LEVEL");
    expect(message(() => loadPlatformConfig({ KEYCLOAK_URL: "ftp://x" }))).toContain("KEYCLOAK_URL");
    expect(message(() => loadPlatformConfig({ KEYCLOAK_REALM: "a/b" }))).toContain("KEYCLOAK_REALM");
    expect(message(() => loadPlatformConfig({ KEYCLOAK_HOME: "/nonexistent" }))).toContain("KEYCLOAK_HOME");
    const { file } = registry({
      codex: { url: "http://127.0.0.1:5010", port: 5010, title: "Codex", visible: true, permission: null },
    });
    expect(
      message(() => loadAppConfig("codex", { HIVEMATRIX_SERVICES: file, CODEX_DATABASE_URL: "mysql://x" })),
    ).toContain("CODEX_DATABASE_URL");
  });

  test("a missing or broken services registry says what is wrong", () => {
    expect(message(() => loadPlatformConfig({ HIVEMATRIX_SERVICES: "/nonexistent/services.json" }))).toContain(
      "HIVEMATRIX_SERVICES",
    );
    const { file } = registry({
      codex: { url: "http://127.0.0.1:5010", port: 5011, title: "Codex", visible: true, permission: null },
    });
    expect(message(() => loadPlatformConfig({ HIVEMATRIX_SERVICES: file }))).toContain(
      "codex.url port does not match codex.port",
    );
    const bad = registry({ codex: { url: "http://127.0.0.1:5010", port: 5010, visible: true } });
    expect(message(() => loadPlatformConfig({ HIVEMATRIX_SERVICES: bad.file }))).toContain("codex.title");
    const open = registry({
      codex: { url: "http://127.0.0.1:5010", port: 5010, title: "Codex", visible: true, publicPaths: ["/../admin/"] },
    });
    expect(message(() => loadPlatformConfig({ HIVEMATRIX_SERVICES: open.file }))).toContain("codex.publicPaths.0");
    writeFileSync(bad.file, "{");
    expect(message(() => loadPlatformConfig({ HIVEMATRIX_SERVICES: bad.file }))).toContain("not valid JSON");
  });

  test("an app not in the registry cannot start", () => {
    const { file } = registry();
    expect(message(() => loadAppConfig("ledger", { HIVEMATRIX_SERVICES: file }))).toContain('"ledger" is not in');
  });

  test("an app's database is SQLite under data/ unless <APP>_DATABASE_URL is set", () => {
    const home = tempHome();
    const file = writeServicesFile(home, { core: { port: 5000 } });
    const platform = loadPlatformConfig({ HIVEMATRIX_HOME: home, HIVEMATRIX_SERVICES: file });
    expect(appConfigFrom(platform, "core", {}).sqlitePath).toBe(join(home, "data", "core.db"));
    expect(appConfigFrom(platform, "core", { CORE_DATABASE_URL: "postgres://u@h/db" }).databaseUrl).toBe(
      "postgres://u@h/db",
    );
  });

  test("instances: N runs on consecutive ports, each instance knowing its own; urls are instances elsewhere", () => {
    const home = tempHome();
    const file = writeServicesFile(home, {
      core: { port: 5000 },
      codex: { port: 5010, instances: 3 },
      helm: { port: 5004, urls: ["http://10.0.0.7:5004/", "http://10.0.0.8:5004"] },
    });
    const platform = loadPlatformConfig({ HIVEMATRIX_HOME: home, HIVEMATRIX_SERVICES: file });
    expect(platform.services.codex).toMatchObject({
      url: "http://127.0.0.1:5010",
      port: 5010,
      remote: false,
      instanceUrls: ["http://127.0.0.1:5010", "http://127.0.0.1:5011", "http://127.0.0.1:5012"],
    });
    expect(platform.services.helm).toMatchObject({
      url: "http://10.0.0.7:5004",
      remote: true,
      instanceUrls: ["http://10.0.0.7:5004", "http://10.0.0.8:5004"],
    });
    expect(platform.services.core!.instanceUrls).toEqual(["http://127.0.0.1:5000"]);
    const pg = { CODEX_DATABASE_URL: "postgres://u@h/db" };
    expect(appConfigFrom(platform, "codex", pg).self).toMatchObject({ url: "http://127.0.0.1:5010", port: 5010 });
    expect(appConfigFrom(platform, "codex", { ...pg, HIVEMATRIX_INSTANCE: "3" }).self).toMatchObject({
      url: "http://127.0.0.1:5012",
      port: 5012,
    });
    expect(message(() => appConfigFrom(platform, "codex", { ...pg, HIVEMATRIX_INSTANCE: "4" }))).toContain(
      "HIVEMATRIX_INSTANCE must be a whole number from 1 to 3",
    );
    expect(message(() => appConfigFrom(platform, "codex", {}))).toBe(
      "codex has 3 instances in services.json but no CODEX_DATABASE_URL: several instances share one PostgreSQL " +
        "database (SQLite is one file for one process)",
    );
  });

  test("instances that would share a port, or both instances and urls, are refused", () => {
    const load = (entries: Parameters<typeof writeServicesFile>[1]) =>
      message(() => loadPlatformConfig({ HIVEMATRIX_SERVICES: writeServicesFile(tempHome(), entries) }));
    expect(load({ core: { port: 5000, instances: 2 }, codex: { port: 5001 } })).toContain(
      "codex and core both use port 5001",
    );
    expect(
      load({ core: { port: 5000 }, codex: { port: 5010, instances: 2, urls: ["http://10.0.0.7:5010"] } }),
    ).toContain("codex has both urls and instances");
    expect(load({ core: { port: 5000 }, nexus: { port: 8000, instances: 2 } })).toContain("NEXUS_WORKERS");
  });

  test("a misconfigured app exits 1 with one line naming the variable", () => {
    const proc = Bun.spawnSync(["bun", join(REPO_ROOT, "apps/core/src/main.ts")], {
      env: { ...process.env, HIVEMATRIX_ENV: "prod" },
    });
    expect(proc.exitCode).toBe(1);
    expect(proc.stderr.toString()).toContain("configuration error: HIVEMATRIX_ENV");
  });
});
