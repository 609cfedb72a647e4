/**
 * `bun run start [--only core,codex] [--no-demo] [--dev]`: creates HIVEMATRIX_HOME, then starts the
 * identity provider, Core, the other apps of services.json together and Nexus, each waited for on /health;
 * retries crashed or unhealthy units for ever with backoff; Ctrl-C or SIGTERM stops everything.
 * --no-demo keeps Codex's demo data out of a fresh database (CODEX_DEMO_DATA=false); --dev runs
 * the apps in Bun's watch mode. See README "Running".
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import {
  ConfigError,
  IDENTITY_PROVIDER,
  loadPlatformConfig,
  nexusPublicOrigin,
  runMain,
  type PlatformConfig,
} from "@hivematrix/lib/config";
import { createKeycloakAdmin } from "@hivematrix/lib/keycloak-admin";
import { ensureHome, readOrCreateSecret, serviceSecret } from "@hivematrix/lib/secrets";
import { setUpRealm } from "./keycloak/realm-setup.ts";
import { auditAtStart } from "./start/audit-gate.ts";
import { platformUnits, startStages } from "./supervisor/units.ts";
import { PortTakenError, Supervisor, UnitExitedError } from "./supervisor/supervisor.ts";
import { supervisorSettings } from "./supervisor/settings.ts";
import { serveControlSocket } from "./supervisor/control-socket.ts";

const DEV_LOGINS = [
  ["admin", "admin", "admin"],
  ["tech", "tech", "technician"],
  ["billing", "billing", "billing"],
  ["client", "client", "client (company ACME-001)"],
];

/** With a real Keycloak, the realm is brought up to date (idempotently) as soon as it answers. */
async function setUpKeycloak(config: PlatformConfig, note: (line: string) => void) {
  const admin = createKeycloakAdmin({
    url: config.idp.url,
    username: "admin",
    password: readOrCreateSecret(config.home, "keycloak-admin"),
  });
  const result = await setUpRealm(admin, {
    realm: config.idp.realm,
    clientId: config.idp.clientId,
    clientSecret: readOrCreateSecret(config.home, config.idp.clientId),
    nexusOrigin: nexusPublicOrigin(config) ?? config.idp.url,
    adminUsername: "admin",
  });
  for (const change of result.changes) note(`keycloak: ${change}`);
  if (result.adminPassword)
    note(
      `keycloak: first HiveMatrix admin is admin / ${result.adminPassword} (shown once; Keycloak asks for a new password at first sign-in)`,
    );
}

await runMain(async () => {
  const { values } = parseArgs({
    options: {
      only: { type: "string" },
      "no-demo": { type: "boolean", default: false },
      dev: { type: "boolean", default: false },
    },
    strict: true,
  });
  const config = loadPlatformConfig();
  if (values.dev && config.env === "production")
    throw new ConfigError(
      "--dev reloads apps as their files change, for development only; HIVEMATRIX_ENV is production",
    );
  const settings = supervisorSettings(process.env);
  ensureHome(config.home);
  for (const name of [IDENTITY_PROVIDER, ...Object.keys(config.services)]) serviceSecret(config.home, name);
  readOrCreateSecret(config.home, config.idp.clientId);

  const audited = new Set<string>();
  const preflight = await auditAtStart(config, process.env, "before", audited);
  for (const line of preflight.lines) console.log(line);
  if (preflight.refusals.length) {
    for (const line of preflight.refusals) console.error(`cannot start: ${line}`);
    process.exit(1);
  }

  let units = platformUnits(config, process.env, { dev: values.dev });
  if (values.only) {
    const wanted = values.only
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = wanted.filter((w) => !units.some((u) => u.name === w));
    if (unknown.length) {
      console.error(`--only: unknown service(s) ${unknown.join(", ")}; known: ${units.map((u) => u.name).join(", ")}`);
      process.exit(2);
    }
    units = units.filter((u) => wanted.includes(u.name));
  }

  const supervisor = new Supervisor(units, {
    logsDir: join(config.home, "logs"),
    ...settings,
    useColor: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    baseEnv: {
      ...process.env,
      HIVEMATRIX_HOME: config.home,
      ...(values["no-demo"] ? { CODEX_DEMO_DATA: "false" } : {}),
    },
  });
  const control = await serveControlSocket(config.home, supervisor);

  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    supervisor.note("stopping…");
    await supervisor.shutdown();
    control.stop();
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

  supervisor.note(`HIVEMATRIX_HOME=${config.home}`);
  if (values.dev)
    supervisor.note("--dev: each app reloads when its files or lib's change; the identity provider and data stay up");
  for (const stage of startStages(units)) {
    const failures = await Promise.all(
      stage.map(async (unit) => {
        try {
          await supervisor.start(unit.name);
          supervisor.note(`${unit.name} is up on ${unit.host}:${unit.port}`);
          if (unit.name === "idp" && config.idp.keycloakHome) await setUpKeycloak(config, (l) => supervisor.note(l));
          return null;
        } catch (e) {
          return e as Error;
        }
      }),
    );
    // One that is merely slow to become healthy (waiting for its database, say) is retried in
    // the background; one that cannot run at all stops the start with its reason.
    for (const e of failures)
      if (e && !(e instanceof PortTakenError || e instanceof UnitExitedError))
        supervisor.note(`${e.message}; it keeps being retried in the background`);
    const fatal = failures.find((e) => e instanceof PortTakenError || e instanceof UnitExitedError);
    if (fatal) {
      const message =
        fatal instanceof PortTakenError
          ? `${fatal.message}. Stop that process or change the port in services.json.`
          : fatal.message;
      supervisor.note(`cannot start: ${message}`);
      await shutdown(1);
      return;
    }
  }

  const running = await auditAtStart(config, process.env, "running", audited);
  for (const line of running.lines) supervisor.note(line);
  if (running.refusals.length) {
    for (const line of running.refusals) supervisor.note(`cannot run: ${line}`);
    await shutdown(1);
    return;
  }

  const nexus = config.services.nexus;
  const entry =
    nexus && units.some((u) => u.name === "nexus")
      ? `${nexusPublicOrigin(config)}/`
      : `${units.at(-1)?.url ?? config.services.core!.url}/`;
  const lines = ["", `HiveMatrix is running: open ${entry}`];
  if (!config.idp.keycloakHome && units.some((u) => u.name === "idp")) {
    lines.push("Dev logins (user / password → level):");
    for (const [u, p, level] of DEV_LOGINS) lines.push(`  ${u!.padEnd(8)} / ${p!.padEnd(8)} → ${level}`);
    lines.push("  (seeded on the dev IdP's first start; people changed in Helm → Users keep their changes)");
  }
  lines.push(`API token for curl: bun run --silent token --level technician`, "Press Ctrl-C to stop.", "");
  for (const line of lines) supervisor.note(line);
});
