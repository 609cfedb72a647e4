import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadPlatformConfig, REPO_ROOT } from "@hivematrix/lib/config";
import { generatedSecretNames, readOrCreateSecret } from "@hivematrix/lib/secrets";
import { freePort, tempHome, writeServicesFile, type RegistryEntry } from "@hivematrix/lib/testing";
import { type AuditInput, runAudit } from "../src/security/audit.ts";
import { firewallPlan, iptablesScript, sshPort, ufwScript } from "../src/security/firewall.ts";

const homes: string[] = [];
const servers: { stop(force?: boolean): unknown }[] = [];

afterEach(() => {
  for (const s of servers.splice(0)) s.stop(true);
});
afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

/** A fresh HIVEMATRIX_HOME with generated secrets, like `bun run start` leaves it. */
async function setup(entries: Record<string, RegistryEntry>, extraEnv: Record<string, string> = {}) {
  const home = tempHome("hm-audit-");
  homes.push(home);
  const servicesFile = writeServicesFile(home, entries);
  for (const name of Object.keys(entries)) readOrCreateSecret(home, `service-${name}`);
  const env = {
    HIVEMATRIX_HOME: home,
    HIVEMATRIX_SERVICES: servicesFile,
    KEYCLOAK_URL: `http://127.0.0.1:${await freePort()}`,
    ...extraEnv,
  };
  return { home, env, config: loadPlatformConfig(env) };
}

const noLogin: AuditInput["tryLogin"] = async () => false;

describe("security audit", () => {
  test("a clean install on loopback has no high findings", async () => {
    const { config, env } = await setup({ core: { port: await freePort() }, helm: { port: await freePort() } });
    const report = await runAudit({ config, env, tryLogin: noLogin });
    expect(report.findings.filter((f) => f.severity === "high")).toEqual([]);
    expect(report.findings.map((f) => f.check)).toContain("idp.dev");
    expect(report.bindings.map((b) => [b.service, b.verdict])).toEqual([
      ["idp", "not running"],
      ["core", "not running"],
      ["helm", "not running"],
    ]);
  });

  test("apps on other hosts must be at private-network addresses: a public one is high", async () => {
    const { config, env } = await setup({
      core: { port: await freePort() },
      codex: { port: 5010, urls: ["http://10.0.0.7:5010", "http://codex-b.internal:5010", "http://203.0.113.9:5010"] },
      helm: { port: 5004, urls: ["http://helm.example:5004", "http://nowhere.invalid:5004"] },
    });
    const resolve = async (host: string) =>
      ({ "codex-b.internal": ["192.168.4.2"], "helm.example": ["10.1.1.1", "198.51.100.4"] })[host] ?? [];
    const report = await runAudit({ config, env, tryLogin: noLogin, resolve });
    const remote = report.findings.filter((f) => f.check.startsWith("remote."));
    expect(remote.map((f) => [f.check, f.severity, f.title])).toEqual([
      ["remote.public", "high", "codex at http://203.0.113.9:5010 is at a public address (203.0.113.9)"],
      ["remote.public", "high", "helm at http://helm.example:5004 is at a public address (198.51.100.4)"],
      ["remote.unresolved", "medium", "helm at http://nowhere.invalid:5004: nowhere.invalid does not resolve"],
    ]);
    // They listen on their own hosts, so this host's bindings leave them out.
    expect(report.bindings.map((b) => b.service)).toEqual(["idp", "core"]);
  });

  test("an app bound to this host's private address for a Nexus elsewhere is not exposed", async () => {
    const { config, env } = await setup({ core: { port: await freePort() }, codex: { port: 5010, host: "10.0.0.7" } });
    const listeners = [{ address: "10.0.0.7", port: 5010 }] as never;
    const report = await runAudit({ config, env, tryLogin: noLogin, listeners });
    expect(report.findings.map((f) => f.check)).toContain("binding.private");
    expect(report.findings.filter((f) => f.check.startsWith("binding.") && f.severity === "high")).toEqual([]);
  });

  test("flags a service deliberately bound to 0.0.0.0 and a weak secret", async () => {
    const roguePort = await freePort();
    const { home, config, env } = await setup({
      core: { port: await freePort() },
      rogue: { port: roguePort, host: "0.0.0.0" },
    });
    servers.push(Bun.serve({ hostname: "0.0.0.0", port: roguePort, fetch: () => new Response("hi") }));
    writeFileSync(join(home, "secrets", "service-core.secret"), "admin\n", { mode: 0o600 });
    writeFileSync(join(home, "secrets", "nexus-cookie.secret"), "tooshort-but-random-x9\n", { mode: 0o600 });
    const report = await runAudit({ config, env, tryLogin: noLogin });
    const exposed = report.findings.find((f) => f.check === "binding.exposed");
    expect(exposed).toMatchObject({
      severity: "high",
      title: expect.stringContaining(`rogue listens beyond loopback on 0.0.0.0:${roguePort}`),
    });
    expect(report.bindings.find((b) => b.service === "rogue")).toMatchObject({
      verdict: "exposed",
      configured: "0.0.0.0",
      listening: [`0.0.0.0:${roguePort}`],
    });
    expect(report.findings.find((f) => f.check === "secret.weak")).toMatchObject({
      severity: "high",
      title: expect.stringContaining("service-core.secret"),
    });
    expect(report.findings.find((f) => f.check === "secret.short")).toMatchObject({
      severity: "high",
      title: expect.stringContaining("nexus-cookie.secret is only 22 characters"),
    });
    expect(report.worst).toBe("high");
    // Nothing in the report gives a secret away.
    expect(JSON.stringify(report)).not.toContain("tooshort-but-random-x9");
  });

  test("third-party credentials: file mode only; only secrets HiveMatrix generates are judged by length", async () => {
    const { home, config, env } = await setup({ core: { port: await freePort() }, codex: { port: await freePort() } });
    const secrets = join(home, "secrets");
    // What Codex's integrations page stores: vendors' keys as the vendors issue them, a webhook
    // secret chosen with the PSA.
    writeFileSync(join(secrets, "freshservice-api-key.secret"), "fsKey12345\n", { mode: 0o600 });
    writeFileSync(join(secrets, "datto-api-key.secret"), "ABCD1234\n", { mode: 0o600 });
    writeFileSync(join(secrets, "datto-api-secret.secret"), "test\n", { mode: 0o644 });
    writeFileSync(join(secrets, "freshservice-webhook.secret"), `${"w".repeat(24)}\n`, { mode: 0o600 });
    const report = await runAudit({ config, env, tryLogin: noLogin });
    expect(report.findings.filter((f) => f.check.startsWith("secret."))).toEqual([]);
    expect(report.findings.filter((f) => f.severity === "high").map((f) => f.title)).toEqual([
      `${join(secrets, "datto-api-secret.secret")} is mode 0644; it should be 0600`,
    ]);
    chmodSync(join(secrets, "datto-api-secret.secret"), 0o600);
    const cli = Bun.spawn(["bun", "apps/helm/src/cli/audit.ts"], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env, NO_COLOR: "1" },
      stdout: "pipe",
      stderr: "pipe",
    });
    const out = await new Response(cli.stdout).text();
    expect([await cli.exited, out]).toEqual([0, expect.stringContaining("No high-severity findings.")]);
    expect(out).not.toContain("Delete");

    // Generated ones still are: a short service secret or cookie key is high, with a fix that works.
    writeFileSync(join(secrets, "service-codex.secret"), "short\n", { mode: 0o600 });
    writeFileSync(join(secrets, "nexus-cookie.secret"), "password\n", { mode: 0o600 });
    const judged = await runAudit({ config, env, tryLogin: noLogin });
    expect(judged.findings.filter((f) => f.check.startsWith("secret.")).map((f) => [f.check, f.title])).toEqual([
      ["secret.weak", `The secret ${join(secrets, "nexus-cookie.secret")} is a well-known default`],
      ["secret.short", `The secret ${join(secrets, "service-codex.secret")} is only 5 characters long`],
    ]);
  });

  test("with Keycloak, its admin and client secrets are fixed in Keycloak, not by deleting the file", async () => {
    const kc = tempHome("hm-kc-");
    homes.push(kc);
    mkdirSync(join(kc, "bin"), { recursive: true });
    writeFileSync(join(kc, "bin", "kc.sh"), "#!/bin/sh\n");
    const { home, config, env } = await setup({ core: { port: await freePort() } }, { KEYCLOAK_HOME: kc });
    writeFileSync(join(home, "secrets", "keycloak-admin.secret"), "admin\n", { mode: 0o600 });
    writeFileSync(join(home, "secrets", "core-client.secret"), "tooshort\n", { mode: 0o600 });
    const report = await runAudit({ config, env, tryLogin: noLogin });
    const fixes = Object.fromEntries(
      report.findings.filter((f) => f.check.startsWith("secret.")).map((f) => [f.title.split("/").at(-1), f.fix]),
    );
    expect(fixes["keycloak-admin.secret is a well-known default"]).toContain("in Keycloak");
    expect(fixes["core-client.secret is only 8 characters long"]).toContain("in Keycloak");
  });

  test("with Keycloak, its management port (health) is in the table, and a finding when it listens beyond loopback", async () => {
    const kc = tempHome("hm-kc-");
    homes.push(kc);
    mkdirSync(join(kc, "bin"), { recursive: true });
    writeFileSync(join(kc, "bin", "kc.sh"), "#!/bin/sh\n");
    const managementPort = await freePort();
    const { config, env } = await setup(
      { core: { port: await freePort() } },
      { KEYCLOAK_HOME: kc, KEYCLOAK_MANAGEMENT_PORT: String(managementPort) },
    );
    const onLoopback = Bun.serve({ hostname: "127.0.0.1", port: managementPort, fetch: () => new Response("UP") });
    const loopback = await runAudit({ config, env, tryLogin: noLogin });
    expect(loopback.bindings.find((b) => b.service === "idp management")).toMatchObject({
      port: managementPort,
      verdict: "loopback",
    });
    expect(loopback.findings.filter((f) => f.check === "binding.exposed")).toEqual([]);
    await onLoopback.stop(true);

    servers.push(Bun.serve({ hostname: "0.0.0.0", port: managementPort, fetch: () => new Response("UP") }));
    const exposed = await runAudit({ config, env, tryLogin: noLogin });
    const finding = exposed.findings.find((f) => f.check === "binding.exposed")!;
    expect(finding.title).toContain("idp management listens beyond loopback");
    expect(finding.fix).toContain("KEYCLOAK_URL");
  });

  test("every secret HiveMatrix generates is one the audit judges", async () => {
    const { config } = await setup({ core: { port: await freePort() }, codex: { port: await freePort() } });
    const generated = generatedSecretNames(config);
    const named: string[] = [];
    for (const dir of ["apps", "scripts", "lib/src"])
      for (const file of new Bun.Glob("**/*.{ts,tsx}").scanSync(join(REPO_ROOT, dir))) {
        if (file.includes("/test/") || file.includes("node_modules")) continue;
        const text = await Bun.file(join(REPO_ROOT, dir, file)).text();
        for (const m of text.matchAll(/readOrCreateSecret\([^,()]+,\s*"([a-z0-9.-]+)"/g)) named.push(m[1]!);
      }
    expect(named.length).toBeGreaterThan(3);
    expect(named.filter((n) => !generated.has(n))).toEqual([]);
    for (const name of ["service-core", "service-codex", "service-idp", config.idp.clientId])
      expect(generated.has(name)).toBe(true);
  });

  test("a service configured for 0.0.0.0 is flagged before it even runs; Nexus may listen publicly", async () => {
    const nexusPort = await freePort();
    const { config, env } = await setup({
      core: { port: await freePort(), host: "0.0.0.0" },
      nexus: { port: nexusPort, host: "0.0.0.0" },
    });
    servers.push(Bun.serve({ hostname: "0.0.0.0", port: nexusPort, fetch: () => new Response("nexus") }));
    const report = await runAudit({ config, env, tryLogin: noLogin });
    expect(report.findings.filter((f) => f.check.startsWith("binding.")).map((f) => f.title)).toEqual([
      "core is configured to bind 0.0.0.0",
    ]);
    expect(report.bindings.find((b) => b.service === "nexus")!.verdict).toBe("public");
  });

  test("production: plain-HTTP Nexus and the dev identity provider are high findings", async () => {
    const { config, env } = await setup(
      { core: { port: await freePort() }, nexus: { port: await freePort() } },
      { HIVEMATRIX_ENV: "production", NEXUS_PUBLIC_URL: "http://hive.example.com" },
    );
    const report = await runAudit({ config, env, tryLogin: noLogin });
    const high = report.findings.filter((f) => f.severity === "high").map((f) => f.check);
    expect(high).toContain("tls.public-url");
    expect(high).toContain("idp.dev");
  });

  test("Keycloak still accepting admin/admin is a high finding", async () => {
    const kc = tempHome("hm-kc-");
    homes.push(kc);
    mkdirSync(join(kc, "bin"), { recursive: true });
    writeFileSync(join(kc, "bin", "kc.sh"), "#!/bin/sh\n");
    const { config, env } = await setup({ core: { port: await freePort() } }, { KEYCLOAK_HOME: kc });
    const tried: string[] = [];
    const report = await runAudit({
      config,
      env,
      tryLogin: async (realm, user, password) => {
        tried.push(`${realm}:${user}:${password}`);
        return realm === "master";
      },
    });
    expect(tried).toEqual(["master:admin:admin", "hivematrix:admin:admin"]);
    expect(report.findings.find((f) => f.check === "keycloak.default-admin")?.severity).toBe("high");
    expect(report.findings.some((f) => f.check === "keycloak.default-user")).toBe(false);
    expect(report.findings.find((f) => f.check === "keycloak.admin-secret")?.severity).toBe("medium");
  });

  test("key and secret files readable by others are high findings", async () => {
    const { home, config, env } = await setup({ core: { port: await freePort() } });
    chmodSync(join(home, "secrets"), 0o755);
    chmodSync(join(home, "secrets", "service-core.secret"), 0o644);
    const report = await runAudit({ config, env, tryLogin: noLogin });
    const titles = report.findings
      .filter((f) => f.check === "permissions" && f.severity === "high")
      .map((f) => f.title);
    expect(titles).toEqual([
      `${join(home, "secrets")} is mode 0755; it should be 0700`,
      `${join(home, "secrets", "service-core.secret")} is mode 0644; it should be 0600`,
    ]);
  });

  test("`bun run audit` exits non-zero on high findings and names them", async () => {
    const roguePort = await freePort();
    const { env } = await setup({ core: { port: await freePort() }, rogue: { port: roguePort, host: "0.0.0.0" } });
    servers.push(Bun.serve({ hostname: "0.0.0.0", port: roguePort, fetch: () => new Response("hi") }));
    const proc = Bun.spawn(["bun", "apps/helm/src/cli/audit.ts"], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env, NO_COLOR: "1" },
      stdout: "pipe",
      stderr: "pipe",
    });
    const out = await new Response(proc.stdout).text();
    expect(await proc.exited).toBe(1);
    expect(out).toContain(`HIGH   rogue listens beyond loopback on 0.0.0.0:${roguePort}`);
    expect(out).toMatch(/\d+ high-severity findings?\./);
  });

  test("`bun run audit` exits 0 when nothing is high", async () => {
    const { env } = await setup({ core: { port: await freePort() } });
    const proc = Bun.spawn(["bun", "apps/helm/src/cli/audit.ts", "--json"], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdout: "pipe",
      stderr: "pipe",
    });
    const report = JSON.parse(await new Response(proc.stdout).text()) as { worst: string | null };
    expect(await proc.exited).toBe(0);
    expect(report.worst).not.toBe("high");
  });
});

describe("firewall scripts", () => {
  test("leave only SSH and Nexus open and deny every other HiveMatrix port", async () => {
    const ports = { core: await freePort(), helm: await freePort(), nexus: await freePort() };
    const { config, env } = await setup({
      core: { port: ports.core },
      helm: { port: ports.helm },
      nexus: { port: ports.nexus, host: "0.0.0.0" },
    });
    const plan = firewallPlan(config, env, 2222);
    const idpPort = Number(new URL(config.idp.url).port);
    const ufw = ufwScript(plan);
    expect(ufw).toContain("ufw default deny incoming");
    expect(ufw.indexOf("ufw allow 2222/tcp")).toBeLessThan(ufw.indexOf("ufw --force enable"));
    expect(ufw).toContain(`ufw allow ${ports.nexus}/tcp`);
    for (const p of [ports.core, ports.helm, idpPort]) expect(ufw).toContain(`ufw deny ${p}/tcp`);
    const ipt = iptablesScript(plan);
    for (const cmd of ["iptables", "ip6tables"]) {
      expect(ipt).toContain(`${cmd} -A HIVEMATRIX -p tcp --dport 2222 -j ACCEPT`);
      expect(ipt).toContain(`${cmd} -A HIVEMATRIX -p tcp --dport ${ports.nexus} -j ACCEPT`);
      expect(ipt).toContain(`${cmd} -A HIVEMATRIX -p tcp --dport ${ports.core} -j DROP`);
      expect(ipt).toContain(`${cmd} -A HIVEMATRIX -j DROP`);
    }
  });

  test("with TLS on, Nexus's HTTPS port is open too", async () => {
    const { config, env } = await setup(
      { core: { port: await freePort() }, nexus: { port: await freePort() } },
      { NEXUS_TLS_CERT: "/x.pem", NEXUS_HTTPS_PORT: "8443" },
    );
    expect(firewallPlan(config, env, 22).open.map((o) => o.port)).toContain(8443);
  });

  test("the SSH port comes from sshd_config", () => {
    expect(sshPort("# Port 22\nPort 2200\n")).toBe(2200);
    expect(sshPort(null)).toBe(22);
  });
});
